""" "You said, we did": nothing public before publishing, figures frozen, small numbers
suppressed, no free text, commentary sanitised."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.staff.staff_models import AuditEvent
from tests.fixtures.staff import csrf_of, insert_response, ranked_rows

PARISH = "parish-councils-2026-27"
ROUND = "2026/27"
PUBLIC = f"/consultations/{PARISH}/you-said-we-did"
COMMENTARY = (
    "## Road safety\n\nWe will run speed checks in **every** village.\n\n"
    "<script>alert('x')</script>\n\n[bad link](javascript:alert(1)) and [good](https://example.org)"
)


@pytest.fixture
def parish_answers(app):
    # 7 parish councils and 1 councillor. Road safety is first for 6 and in all 8 top threes;
    # anti-social behaviour is in 7 top threes but first for none; fraud is chosen by 2.
    with app.app_context():
        for n in range(6):
            insert_response(
                PARISH,
                ROUND,
                ranked_rows("priorities", ["road-safety", "anti-social-behaviour", "drugs-alcohol"])
                + [("issues", "issues:road-safety", f"Secret issue text {n}"), ("priorities", "other", "Secret other")],
                respondent_type="parish",
                respondent_name=f"Parish {n}",
            )
        insert_response(
            PARISH,
            ROUND,
            ranked_rows("priorities", ["fraud-cybercrime", "road-safety", "anti-social-behaviour"]),
            respondent_type="parish",
            respondent_name="Parish 6",
        )
        insert_response(
            PARISH,
            ROUND,
            ranked_rows("priorities", ["fraud-cybercrime", "anti-social-behaviour", "road-safety"]),
            respondent_type="councillor",
            respondent_name="Cllr Someone",
        )
        db.session.commit()


def post_publish(client, button, commentary=COMMENTARY):
    """Press "Save draft" or "Preview before publishing" on the editing page."""
    page = client.get(f"/staff/publish/{PARISH}")
    return client.post(
        f"/staff/publish/{PARISH}",
        data={"csrf_token": csrf_of(page.get_data(as_text=True)), "commentary": commentary, button: "y"},
    )


def confirm(client, preview_html, while_open=True):
    version = re.search(r'name="version"[^>]*value="([^"]*)"', preview_html).group(1)
    data = {"csrf_token": csrf_of(preview_html), "version": version, "publish": "y"}
    if while_open:
        data["while_open"] = "y"
    return client.post(f"/staff/publish/{PARISH}/confirm", data=data)


def publish_page(client, commentary=COMMENTARY, while_open=True):
    """Preview, then confirm: the only way to publish."""
    preview = post_publish(client, "preview", commentary)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:500]
    return confirm(client, preview.get_data(as_text=True), while_open)


def test_nothing_is_public_before_publishing(app, client, admin_client, parish_answers):
    assert client.get(PUBLIC).status_code == 404
    assert "You said, we did" not in client.get(f"/consultations/{PARISH}").get_data(as_text=True)
    post_publish(admin_client, "save")
    assert client.get(PUBLIC).status_code == 404
    preview = post_publish(admin_client, "preview").get_data(as_text=True)
    assert "Preview (not published)" in preview and "We will run speed checks" in preview
    assert client.get(PUBLIC).status_code == 404


def test_published_page_shows_figures_with_small_numbers_suppressed_and_no_free_text(
    app, client, admin_client, parish_answers
):
    response = publish_page(admin_client)
    assert response.status_code == 303
    page = client.get(PUBLIC)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers and "csrf_token" not in html
    # 8 - 7 would give the councillors' 1 away, so the 7 is withheld too (secondary suppression).
    assert "We received 8 responses: 5 or more from parish councils, fewer than 5 from district councillors." in html
    road = re.search(r"Road safety</th>(.*?)</tr>", html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<]*)</td>", road)] == ["5 or more", "8", "100%"]
    fraud = re.search(r"Fraud and cybercrime</th>(.*?)</tr>", html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<]*)</td>", fraud)] == ["fewer than 5", "fewer than 5", "–"]
    asb = re.search(r"Anti-social behaviour</th>(.*?)</tr>", html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<]*)</td>", asb)] == ["0", "8", "100%"]
    drugs = re.search(r"Drugs and alcohol</th>(.*?)</tr>", html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<]*)</td>", drugs)] == ["0", "5 or more", "–"]
    assert "Secret issue text" not in html and "Secret other" not in html and "Cllr Someone" not in html
    # Commentary: Markdown rendered, dangerous parts removed.
    assert "<strong>every</strong>" in html
    assert '<h3 id="road-safety" class="govuk-heading-s">Road safety</h3>' in html  # under "What we will do"
    assert "<script>alert" not in html and "javascript:" not in html
    assert 'href="https://example.org"' in html
    # The open consultation's pages never link to interim results.
    assert PUBLIC not in client.get(f"/consultations/{PARISH}").get_data(as_text=True)
    assert PUBLIC not in client.get("/consultations").get_data(as_text=True)


def test_published_figures_are_frozen(app, client, admin_client, parish_answers):
    publish_page(admin_client)
    before = client.get(PUBLIC).get_data(as_text=True)
    with app.app_context():
        for _ in range(5):
            insert_response(
                PARISH,
                ROUND,
                ranked_rows("priorities", ["violent-crime", "domestic-abuse", "other"]),
                respondent_type="parish",
            )
        db.session.commit()
    assert client.get(PUBLIC).get_data(as_text=True) == before
    publish_page(admin_client)
    assert "We received 13 responses" in client.get(PUBLIC).get_data(as_text=True)


def test_unpublish_removes_the_page_and_everything_is_audited(app, client, admin_client, parish_answers):
    publish_page(admin_client)
    page = admin_client.get(f"/staff/publish/{PARISH}")
    admin_client.post(f"/staff/publish/{PARISH}/unpublish", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    assert client.get(PUBLIC).status_code == 404
    assert "You said, we did" not in client.get(f"/consultations/{PARISH}").get_data(as_text=True)
    with app.app_context():
        events = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "summary published" in events and "summary unpublished" in events


def test_a_small_survey_shows_fewer_than_5_everywhere(app, client, admin_client):
    with app.app_context():
        for _ in range(3):
            insert_response(
                PARISH,
                ROUND,
                ranked_rows("priorities", ["road-safety", "fraud-cybercrime", "other"]),
                respondent_type="parish",
            )
        db.session.commit()
    publish_page(admin_client, commentary="Thank you.")
    html = client.get(PUBLIC).get_data(as_text=True)
    assert "We received fewer than 5 responses" in html
    # Each cell names its column for phones ("% in top 3"); the figures themselves show no percentage.
    assert "%" not in re.sub(r'data-label="[^"]*"', "", re.search(r"<tbody.*?</tbody>", html, re.S).group(0))
    assert not re.search(r">\s*3\s*<", html)


def hidden(value) -> bool:
    return value is None or value == "withheld"


def test_no_number_shown_as_fewer_than_5_can_be_worked_out_by_subtraction(app, client, admin_client, parish_answers):
    from app.surveys.survey_models import PublishedSummary

    preview = post_publish(admin_client, "preview").get_data(as_text=True)
    assert confirm(admin_client, preview).status_code == 303
    with app.app_context():
        figures = db.session.scalar(select(PublishedSummary.snapshot))
    # Each group of published numbers that adds up to a published total (what the page leaves
    # out, here nothing, would add to the hidden ones): never exactly one hidden.
    groups = [(figures["total"], [t["count"] for t in figures["by_type"]])]
    for ranking in figures["rankings"]:
        groups.append((ranking["respondents"], [o["first"] for o in ranking["options"]]))
        groups.append((ranking["respondents"] * ranking["count"], [o["top"] for o in ranking["options"]]))
    for d in figures["distributions"]:
        groups.append((d["answered"], [s["count"] for s in d["shares"]]))
    for total, cells in groups:
        if total is None:
            continue
        assert sum(1 for c in cells if hidden(c)) != 1, (total, cells)
        if any(hidden(c) for c in cells):
            worked_out = total - sum(c for c in cells if not hidden(c))
            assert worked_out >= 5 or all(not hidden(c) for c in cells), (total, cells)


def audit_actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_commentary_is_required_before_a_preview(app, client, admin_client, parish_answers):
    response = post_publish(admin_client, "preview", commentary="   ")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter what the partnership will do before previewing the page" in html
    assert "govuk-error-summary" in html and 'name="version"' not in html
    assert client.get(PUBLIC).status_code == 404


def test_publishing_while_open_needs_an_explicit_choice(app, client, admin_client, parish_answers, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_TODAY", "2026-11-21")
    preview = post_publish(admin_client, "preview").get_data(as_text=True)
    assert "This survey is still open until 31 January 2027" in preview
    assert 'name="while_open"' in preview
    refused = confirm(admin_client, preview, while_open=False)
    assert refused.status_code == 400
    assert "Tick the box to publish interim results while the survey is open" in refused.get_data(as_text=True)
    assert client.get(PUBLIC).status_code == 404
    assert confirm(admin_client, refused.get_data(as_text=True)).status_code == 303
    assert client.get(PUBLIC).status_code == 200
    assert audit_actions(app).count("summary published") == 1


def test_after_the_round_closes_no_tick_is_needed_and_the_survey_links_to_the_page(
    app, client, admin_client, parish_answers, monkeypatch
):
    monkeypatch.setitem(app.config, "SURVEY_TODAY", "2027-02-10")
    preview = post_publish(admin_client, "preview").get_data(as_text=True)
    assert 'name="while_open"' not in preview
    assert confirm(admin_client, preview, while_open=False).status_code == 303
    start = client.get(f"/consultations/{PARISH}").get_data(as_text=True)
    assert PUBLIC in start and "We received 8 responses. Top of the list: Road safety." in start


def test_one_audit_entry_per_action_even_when_the_button_is_pressed_twice(app, client, admin_client, parish_answers):
    preview = post_publish(admin_client, "preview").get_data(as_text=True)
    assert confirm(admin_client, preview).status_code == 303
    assert confirm(admin_client, preview).status_code == 303  # the same confirmation again
    assert audit_actions(app).count("summary published") == 1
    page = admin_client.get(f"/staff/publish/{PARISH}").get_data(as_text=True)
    for _ in range(2):
        admin_client.post(f"/staff/publish/{PARISH}/unpublish", data={"csrf_token": csrf_of(page)})
    assert audit_actions(app).count("summary unpublished") == 1
    assert client.get(PUBLIC).status_code == 404
