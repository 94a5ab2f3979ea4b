"""Keying in paper returns: saved as written, blanks recorded and counted apart, fewer ranked
choices kept, no public limits, and straight on to the next form."""

import html as html_text
import re

from sqlalchemy import select

from app.extensions import db
from app.surveys.questions.validation import NOT_ANSWERED_ID, NOT_ANSWERED_KEY
from app.surveys.survey_models import Answer, Response
from tests.fixtures.staff import csrf_of

PARISH = "parish-councils-2026-27"
RESIDENTS = "residents-2026-27"
KEY = re.compile(r'name="submission_key" value="([^"]+)"')

# A resident's form with gaps: after dark left blank, two grid rows blank, one concern, no area.
WITH_BLANKS = {
    "safe-day": "fairly-safe",
    **{
        f"problems-{item}": "a-bit"
        for item in (
            "litter",
            "drunk-rowdy",
            "drugs",
            "criminal-damage",
            "speeding",
            "burglary",
            "vehicle-crime",
            "anti-social-behaviour",
        )
    },
    "top-concerns-1": "speeding",
    "age-band": "65-74",
}


def text_of(html: str) -> str:
    return html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def start_sitting(client, slug):
    page = client.get(f"/staff/paper/{slug}")
    response = client.post(f"/staff/paper/{slug}", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/staff/paper/{slug}/form")


def key_in(client, slug, answers, expect=303):
    html = client.get(f"/staff/paper/{slug}/form").get_data(as_text=True)
    data = {"csrf_token": csrf_of(html), "submission_key": KEY.search(html).group(1), **answers}
    response = client.post(f"/staff/paper/{slug}/form", data=data)
    assert response.status_code == expect, text_of(response.get_data(as_text=True))[:600]
    return response, data


def test_a_form_with_blanks_is_saved_as_written_and_staff_stay_in_the_staff_area(app, analyst_client, analyst):
    start_sitting(analyst_client, RESIDENTS)
    response, _ = key_in(analyst_client, RESIDENTS, WITH_BLANKS)
    location = response.headers["Location"]
    assert "/staff/paper/residents-2026-27/form?saved=" in location
    page = text_of(analyst_client.get(location).get_data(as_text=True))
    with app.app_context():
        stored = db.session.scalar(select(Response))
        reference = stored.reference
        assert (stored.channel, stored.entered_by_id) == ("paper", analyst.id)
        assert stored.answers["top-concerns"] == ["speeding"]
        assert set(stored.answers[NOT_ANSWERED_KEY]) == {
            "safe-after-dark",
            "problems/violent-crime",
            "problems/fraud-scams",
            "feel-safer",
            "area",
        }
        blanks = {a.part for a in db.session.scalars(select(Answer).where(Answer.question_id == NOT_ANSWERED_ID))}
        assert "safe-after-dark" in blanks and "problems/fraud-scams" in blanks
    assert f"Paper form saved Reference {reference}" in page
    assert "1 form entered in this sitting" in page
    assert "Enter the next form" in page
    assert "How safe do you feel in your local area after dark?" in page  # listed as not answered
    assert "Thank you for taking part" not in page


def test_blanks_are_counted_apart_from_the_answers_in_the_results(app, analyst_client):
    start_sitting(analyst_client, RESIDENTS)
    key_in(analyst_client, RESIDENTS, WITH_BLANKS)
    key_in(analyst_client, RESIDENTS, {**WITH_BLANKS, "safe-after-dark": "very-safe"})
    html = analyst_client.get(f"/staff/results/{RESIDENTS}").get_data(as_text=True)
    dark = html.split('id="q-safe-after-dark"', 1)[1].split("<h2", 1)[0]
    assert "Not answered on the paper form: 1 form left this question blank" in text_of(dark)
    assert "100%" in dark  # the one answer given is all of the answers
    grid = text_of(html.split('id="q-problems"', 1)[1].split("<h2", 1)[0])
    assert "rows left blank: Violent crime (2), Fraud and scams (2)" in grid


def test_no_public_limit_applies_and_the_sitting_count_goes_up(app, analyst_client, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_SUBMIT_LIMIT", "2 per hour")
    start_sitting(analyst_client, RESIDENTS)
    for _ in range(12):
        response, _ = key_in(analyst_client, RESIDENTS, WITH_BLANKS)
    page = text_of(analyst_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "12 forms entered in this sitting" in page
    with app.app_context():
        assert db.session.query(Response).filter_by(channel="paper").count() == 12


def test_staff_are_limited_per_account(app, analyst_client, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_ACTION_LIMIT", "2 per hour")
    start_sitting(analyst_client, RESIDENTS)
    key_in(analyst_client, RESIDENTS, WITH_BLANKS)
    key_in(analyst_client, RESIDENTS, WITH_BLANKS)
    key_in(analyst_client, RESIDENTS, WITH_BLANKS, expect=429)


def test_pressing_save_twice_stores_one_form_and_counts_it_once(app, analyst_client):
    start_sitting(analyst_client, RESIDENTS)
    response, data = key_in(analyst_client, RESIDENTS, WITH_BLANKS)
    again = analyst_client.post(f"/staff/paper/{RESIDENTS}/form", data=data)
    assert again.headers["Location"] == response.headers["Location"]
    page = text_of(analyst_client.get(again.headers["Location"]).get_data(as_text=True))
    assert "1 form entered in this sitting" in page
    with app.app_context():
        assert db.session.query(Response).count() == 1


def test_a_keying_mistake_is_shown_and_nothing_is_saved(app, analyst_client):
    start_sitting(analyst_client, RESIDENTS)
    response, _ = key_in(analyst_client, RESIDENTS, {**WITH_BLANKS, "top-concerns-2": "speeding"}, expect=400)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and 'value="fairly-safe" checked' in html
    with app.app_context():
        assert db.session.query(Response).count() == 0


def test_a_council_form_with_two_priorities_and_the_issues_behind_them(app, analyst_client):
    start_sitting(analyst_client, PARISH)
    key_in(
        analyst_client,
        PARISH,
        {
            "council": "Foxton",
            "priorities-1": "road-safety",
            "priorities-2": "drugs-alcohol",
            "issues-road-safety": "Speeding on the main road",
            "issues-fraud-cybercrime": "Not a chosen priority",
            "contact-name": "Pat Clerk",
        },
    )
    with app.app_context():
        stored = db.session.scalar(select(Response))
        assert (stored.respondent_type, stored.respondent_name, stored.channel) == ("parish", "Foxton", "paper")
        assert stored.answers["priorities"] == ["road-safety", "drugs-alcohol"]
        assert stored.answers["issues"] == {"road-safety": "Speeding on the main road"}
        assert set(stored.answers[NOT_ANSWERED_KEY]) == {"issues/drugs-alcohol", "meeting-date", "contact-email"}


def test_paper_entry_is_for_signed_in_staff_only(client):
    assert "/staff/login" in client.get(f"/staff/paper/{RESIDENTS}/form").headers["Location"]


def test_exports_say_what_was_not_answered_on_the_form(app, analyst_client):
    import csv
    import io
    import json

    start_sitting(analyst_client, RESIDENTS)
    key_in(analyst_client, RESIDENTS, WITH_BLANKS)
    body = analyst_client.get(f"/staff/exports/{RESIDENTS}/download?format=csv&anonymised=no").get_data()
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["How safe do you feel in your local area after dark?"] == "not answered on the form"
    assert (
        cells["How much of a problem is each of these in your local area? – Fraud and scams"]
        == "not answered on the form"
    )
    assert cells["How much of a problem is each of these in your local area? – Burglary"] == "A bit of a problem"
    assert cells["Which three things concern you most? – 1st choice"] == "Speeding traffic"
    assert cells["Which three things concern you most? – 2nd choice"] == ""
    assert cells["Channel"] == "paper"
    data = json.loads(analyst_client.get(f"/staff/exports/{RESIDENTS}/download?format=json").get_data())
    dark = data[0]["answers"]["safe-after-dark"]
    assert dark["answer"] is None and dark["not_answered_on_form"] is True
