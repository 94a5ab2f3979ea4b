"""A resident who saves to come back later can have a fresh link emailed; the address is used for
that one message and kept nowhere."""

import re

from sqlalchemy import select

from app.extensions import db
from app.mail.mail_models import MailMessage
from app.surveys.survey_models import Draft
from tests.fixtures.surveys import PARISH_PAGES, PARISH_SLUG, RESIDENT_PAGES, RESIDENT_SLUG
from tests.integration.surveys.test_surveys_coming_back import RESUME_LINK, save_for_later

ADDRESS = "resident.example@example.org"
EMAILED_LINK = re.compile(r"https?://\S+/resume/[A-Za-z0-9_-]+")
EMAIL_URL = f"/consultations/{RESIDENT_SLUG}/saved/email"


def email_link(respondent, html: str, address: str):
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return respondent.client.post(EMAIL_URL, data={"csrf_token": token, "email": address})


def stored_text(app) -> str:
    with app.app_context():
        drafts = [str(d.answers) + str(d.key) for d in db.session.scalars(select(Draft))]
        sends = [
            " ".join(str(getattr(m, c.key)) for c in MailMessage.__table__.columns)
            for m in db.session.scalars(select(MailMessage))
        ]
    return " ".join(drafts + sends)


def test_the_emailed_link_replaces_the_one_on_screen_and_brings_the_answers_back(
    app, mail_app, smtp_server, respondent, new_respondent
):
    html = save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    shown_link = RESUME_LINK.search(html).group(1)
    assert "Email me a link" in html
    sent = email_link(respondent, html, f"  {ADDRESS} ")
    page = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "Email sent" in page and ADDRESS in page
    [message] = smtp_server.received
    assert message.recipients == [ADDRESS]
    [emailed] = EMAILED_LINK.findall(message.part("plain"))
    assert emailed != shown_link
    assert ADDRESS not in stored_text(app)
    assert new_respondent().get(shown_link.split("127.0.0.1:8000", 1)[-1]).status_code == 404
    other = new_respondent()
    assert other.get(emailed.split("127.0.0.1:8000", 1)[-1]).status_code == 303
    assert re.search(r'value="very-safe" checked', other.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe"))


def test_a_wrong_address_is_explained_beside_the_field_and_kept(app, mail_app, smtp_server, respondent):
    html = save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    for address, message in (("", "Enter your email address"), ("not an address", "in the correct format")):
        refused = email_link(respondent, html, address)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and message in page
        assert "govuk-error-summary" in page and 'href="#email"' in page and "<title>Error:" in page
        assert f'value="{address}"' in page or not address
    assert smtp_server.received == []


def test_a_refusing_mail_server_shows_the_new_link_instead(app, mail_app, smtp_server, respondent, new_respondent):
    html = save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    smtp_server.refuse()
    refused = email_link(respondent, html, ADDRESS)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 503 and "We could not send the email just now" in page
    link = RESUME_LINK.search(page).group(1)
    assert new_respondent().get(link.split("127.0.0.1:8000", 1)[-1]).status_code == 303


def test_no_email_form_where_email_cannot_be_sent_or_for_a_council(app, respondent, invite, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)  # production with no mail server sends nothing
    html = save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    assert "Email me a link" not in html
    monkeypatch.setitem(app.config, "PRODUCTION", False)
    respondent.get(f"/invite/{invite('Foxton')}")
    council = save_for_later(respondent, PARISH_SLUG, "priorities", PARISH_PAGES["priorities"])
    assert "Email me a link" not in council
