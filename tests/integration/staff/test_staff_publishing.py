""""You said, we did": nothing public before publishing, figures frozen, small numbers
suppressed, no free text, commentary sanitised."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.staff.models import AuditEvent
from tests.fixtures.staff import csrf_of, insert_response, ranked_rows

PARISH = "parish-councils-2026-27"
ROUND = "2026/27"
PUBLIC = f"/consultations/{PARISH}/you-said-we-did"
COMMENTARY = ("## Road safety\n\nWe will run speed checks in **every** village.\n\n"
              "<script>alert('x')</script>\n\n[bad link](javascript:alert(1)) and [good](https://example.org)")


@pytest.fixture
def parish_answers(app):
    # 7 parish councils and 1 councillor. Road safety is first for 6 and in all 8 top threes;
    # anti-social behaviour is in 7 top threes but first for none; fraud is chosen by 2.
    with app.app_context():
        for n in range(6):
            insert_response(PARISH, ROUND, ranked_rows("priorities", ["road-safety", "anti-social-behaviour", "drugs-alcohol"])
                            + [("issues", "issues:road-safety", f"Secret issue text {n}"), ("priorities", "other", "Secret other")],
                            respondent_type="parish", respondent_name=f"Parish {n}")
        insert_response(PARISH, ROUND, ranked_rows("priorities", ["fraud-cybercrime", "road-safety", "anti-social-behaviour"]),
                        respondent_type="parish", respondent_name="Parish 6")
        insert_response(PARISH, ROUND, ranked_rows("priorities", ["fraud-cybercrime", "anti-social-behaviour", "road-safety"]),
                        respondent_type="councillor", respondent_name="Cllr Someone")
        db.session.commit()


def post_publish(client, button, commentary=COMMENTARY):
    page = client.get(f"/staff/publish/{PARISH}")
    return client.post(f"/staff/publish/{PARISH}", data={"csrf_token": csrf_of(page.get_data(as_text=True)),
                                                         "commentary": commentary, button: "y"})


def test_nothing_is_public_before_publishing(app, client, admin_client, parish_answers):
    assert client.get(PUBLIC).status_code == 404
    assert "You said, we did" not in client.get(f"/consultations/{PARISH}").get_data(as_text=True)
    post_publish(admin_client, "save")
    assert client.get(PUBLIC).status_code == 404
    preview = post_publish(admin_client, "preview").get_data(as_text=True)
    assert "Preview (not published)" in preview and "We will run speed checks" in preview
    assert client.get(PUBLIC).status_code == 404


def test_published_page_shows_figures_with_small_numbers_suppressed_and_no_free_text(app, client, admin_client, parish_answers):
    response = post_publish(admin_client, "publish")
    assert response.status_code == 302
    page = client.get(PUBLIC)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers and "csrf_token" not in html
    assert "We received 8 responses: 7 from parish councils, fewer than 5 from district councillors." in html
    road = re.search(r"Road safety</th>(.*?)</tr>", html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<]*)</td>", road)] == ["6", "8", "100%"]
    fraud = re.search(r"Fraud and cybercrime</th>(.*?)</tr>", html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<]*)</td>", fraud)] == ["fewer than 5", "fewer than 5", "–"]
    asb = re.search(r"Anti-social behaviour</th>(.*?)</tr>", html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<]*)</td>", asb)] == ["0", "8", "100%"]
    assert "Secret issue text" not in html and "Secret other" not in html and "Cllr Someone" not in html
    # Commentary: Markdown rendered, dangerous parts removed.
    assert "<strong>every</strong>" in html
    assert '<h3 id="road-safety" class="govuk-heading-s">Road safety</h3>' in html  # under "What we will do"
    assert "<script>alert" not in html and "javascript:" not in html
    assert 'href="https://example.org"' in html
    # The consultation's page links to it, the same for every visitor.
    start = client.get(f"/consultations/{PARISH}").get_data(as_text=True)
    assert PUBLIC in start and "We received 8 responses. Top of the list: Road safety." in start


def test_published_figures_are_frozen(app, client, admin_client, parish_answers):
    post_publish(admin_client, "publish")
    before = client.get(PUBLIC).get_data(as_text=True)
    with app.app_context():
        for _ in range(5):
            insert_response(PARISH, ROUND, ranked_rows("priorities", ["violent-crime", "domestic-abuse", "other"]),
                            respondent_type="parish")
        db.session.commit()
    assert client.get(PUBLIC).get_data(as_text=True) == before
    post_publish(admin_client, "publish")
    assert "We received 13 responses" in client.get(PUBLIC).get_data(as_text=True)


def test_unpublish_removes_the_page_and_everything_is_audited(app, client, admin_client, parish_answers):
    post_publish(admin_client, "publish")
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
            insert_response(PARISH, ROUND, ranked_rows("priorities", ["road-safety", "fraud-cybercrime", "other"]),
                            respondent_type="parish")
        db.session.commit()
    post_publish(admin_client, "publish", commentary="Thank you.")
    html = client.get(PUBLIC).get_data(as_text=True)
    assert "We received fewer than 5 responses" in html
    assert "%" not in re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
    assert not re.search(r">\s*3\s*<", html)
