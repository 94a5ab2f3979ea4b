"""Free-text answers: search, filters, themes with counts, and marking text as personal."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.staff.staff_models import AuditEvent
from app.surveys.survey_models import Answer
from tests.fixtures.staff import csrf_of, insert_response

RESIDENTS = "residents-2026-27"
ROUND = "2026/27"
URL = f"/staff/results/{RESIDENTS}/free-text"


@pytest.fixture
def texts(app):
    with app.app_context():
        insert_response(RESIDENTS, ROUND, [("feel-safer", "", "More police patrols at night", True)], area="Foxton")
        insert_response(
            RESIDENTS,
            ROUND,
            [("feel-safer", "", "Better street lighting on the 100% dark lane", True)],
            area="Fleckney",
        )
        insert_response(
            RESIDENTS,
            ROUND,
            [("top-concerns", "other", "Loose dogs", True), ("safe-day", "", "very-safe")],
            area="Foxton",
            channel="paper",
        )
        db.session.commit()
        return {a.value: a.id for a in db.session.scalars(select(Answer).where(Answer.part != "1"))}


def post_theme(client, answer_id, **data):
    page = client.get(URL)
    return client.post(
        f"{URL}/{answer_id}", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "return_to": URL, **data}
    )


def test_free_text_lists_text_and_other_answers_with_search_and_filters(analyst_client, texts):
    html = analyst_client.get(URL).get_data(as_text=True)
    assert "3 answers" in html
    assert "More police patrols at night" in html and "Loose dogs" in html
    assert "1 answer" in analyst_client.get(URL + "?q=LIGHTING").get_data(as_text=True)
    # LIKE wildcards in a search are taken literally.
    assert "1 answer" in analyst_client.get(URL + "?q=100%25").get_data(as_text=True)
    assert "0 answers" in analyst_client.get(URL + "?q=_").get_data(as_text=True)
    assert "2 answers" in analyst_client.get(URL + "?area=Foxton").get_data(as_text=True)
    only_paper = analyst_client.get(URL + "?channel=paper").get_data(as_text=True)
    assert "1 answer" in only_paper and "Loose dogs" in only_paper
    only_other = analyst_client.get(URL + "?question=top-concerns").get_data(as_text=True)
    assert "Loose dogs" in only_other and "patrols" not in only_other


def test_themes_are_added_counted_filtered_and_removed(app, analyst_client, texts):
    post_theme(analyst_client, texts["More police patrols at night"], theme="Policing")
    post_theme(analyst_client, texts["Better street lighting on the 100% dark lane"], theme="lighting")
    response = post_theme(analyst_client, texts["Loose dogs"], theme="  policing ")
    assert response.status_code == 302 and f"#answer-{texts['Loose dogs']}" in response.headers["Location"]
    html = analyst_client.get(URL).get_data(as_text=True)
    counts = dict(re.findall(r'theme=[^"]*">([^<]+)</a></th>\s*<td[^>]*>(\d+)</td>', html))
    assert counts == {"policing": "2", "lighting": "1"}
    filtered = analyst_client.get(URL + "?theme=policing").get_data(as_text=True)
    assert "2 answers" in filtered and "lighting on" not in filtered
    post_theme(analyst_client, texts["Loose dogs"], remove="policing")
    html = analyst_client.get(URL).get_data(as_text=True)
    assert dict(re.findall(r'theme=[^"]*">([^<]+)</a></th>\s*<td[^>]*>(\d+)</td>', html)) == {
        "lighting": "1",
        "policing": "1",
    }


def test_marking_text_personal_is_saved_and_audited(app, analyst_client, texts):
    answer_id = texts["More police patrols at night"]
    post_theme(analyst_client, answer_id)  # box unticked: not personal
    with app.app_context():
        assert db.session.get(Answer, answer_id).personal is False
    post_theme(analyst_client, answer_id, personal="y")
    with app.app_context():
        assert db.session.get(Answer, answer_id).personal is True
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "free text marked personal"))
        assert "patrols" not in event.detail and str(answer_id) in event.detail


def test_tagging_an_answer_from_another_survey_is_404(app, analyst_client, texts):
    response = analyst_client.post(
        f"/staff/results/parish-councils-2026-27/free-text/{texts['Loose dogs']}",
        data={"csrf_token": csrf_of(analyst_client.get(URL).get_data(as_text=True)), "theme": "x"},
    )
    assert response.status_code == 404


def test_free_text_pages(app, analyst_client):
    with app.app_context():
        for n in range(120):
            insert_response(RESIDENTS, ROUND, [("feel-safer", "", f"Comment number {n}")])
        db.session.commit()
    first = analyst_client.get(URL).get_data(as_text=True)
    assert "120 answers" in first and first.count('class="app-answer"') == 50
    assert "govuk-pagination" in first
    third = analyst_client.get(URL + "?page=3").get_data(as_text=True)
    assert third.count('class="app-answer"') == 20
