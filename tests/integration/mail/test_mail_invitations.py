"""Invitations, reminders and failures, sent through a real local SMTP server (aiosmtpd)."""

import re
import time
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.mail.mail_models import MailMessage
from app.staff.staff_models import AuditEvent
from app.surveys import invitations
from app.surveys.survey_models import Invitation
from tests.fixtures.mail import NO_ADDRESS, clerk_address, links_in
from tests.fixtures.staff import csrf_of, insert_response
from tests.fixtures.surveys import PARISH_SLUG

PAGE = f"/staff/invitations/{PARISH_SLUG}"
ROUND = "2026/27"


def _post(client, url, data, prefix):
    """Post one of the page's forms with its own CSRF token, as a browser would."""
    html = client.get(PAGE).get_data(as_text=True)
    token = re.search(rf'name="{prefix}csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post(url, data={f"{prefix}csrf_token": token, **data})


def _confirm(client, page_html, url):
    """Press the confirm page's send button with the fields it carries (None: the page has none)."""
    form = next((f for f in page_html.split("<form")[1:] if "confirmed" in f.split("</form>", 1)[0]), None)
    if form is None:
        return None
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    return client.post(url, data=fields)


def _email_all(app, client, replace=False):
    url = f"{PAGE}/email"
    data = {"action": "all", **({"email-all-replace": "y"} if replace else {})}
    confirm = _post(client, url, data, "email-all-")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    sent = _confirm(client, html, url)
    if sent is not None:
        flash = client.get(sent.headers["Location"]).get_data(as_text=True)
        _send_queued(app)
        return flash, sent
    return html, sent


def _send_queued(app):
    """What cron does every minute: send whatever the web request left waiting."""
    result = app.test_cli_runner().invoke(args=["mail", "send-queued"])
    assert result.exit_code in (0, 1), result.output
    return result.output


def _remind(app, client, insist=False):
    url = f"{PAGE}/remind"
    confirm = _post(client, url, {"remind-insist": "y"} if insist else {}, "remind-")
    html = confirm.get_data(as_text=True)
    sent = _confirm(client, html, url)
    if sent is not None:
        _send_queued(app)
    return html, sent


def _opens_survey_for(app, link):
    """The council a link's survey says it is answering for (a fresh browser each time)."""
    browser = app.test_client()
    path = link.split("127.0.0.1:8000", 1)[-1]
    response = browser.get(path)
    if response.status_code != 303:
        return None
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    found = re.search(r"You are answering for <strong>([^<]+)</strong>", html)
    return found.group(1) if found else None


def test_invitations_go_to_every_parish_with_an_address_and_each_link_opens_its_survey(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today
):
    with_address = [n for n in parishes_with_email if n != NO_ADDRESS]
    confirm = _post(admin_client, f"{PAGE}/email", {"action": "all"}, "email-all-")
    confirm_html = confirm.get_data(as_text=True)
    assert f"Send {len(with_address)} invitations by email?" in confirm_html
    assert "no email address in the parish list (1)" in confirm_html and NO_ADDRESS in confirm_html
    sent = _confirm(admin_client, confirm_html, f"{PAGE}/email")
    assert sent.status_code == 302
    page = admin_client.get(sent.headers["Location"]).get_data(as_text=True)
    # The request sends for a few seconds at most; cron's `flask mail send-queued` sends the rest.
    shown = re.search(r"Emails: (\d+) sent(, (\d+) waiting to be sent)?\.", page)
    assert int(shown.group(1)) + int(shown.group(3) or 0) == len(with_address)
    _send_queued(app)

    received = {r.recipients[0]: r for r in smtp_server.received}
    assert sorted(received) == sorted(clerk_address(n) for n in with_address)
    for name in with_address:
        message = received[clerk_address(name)]
        text, html = message.part("plain"), message.part("html")
        assert message.message["Reply-To"] == "community-safety@example.org"
        assert "Harborough District Community Safety Partnership" in text  # who is writing
        assert f"This message is for {name} " in text
        assert "Sunday 31 January 2027" in text  # the closing date
        assert "paper copy" in text and f"/consultations/{PARISH_SLUG}/print" in text
        assert "<img" not in html
        [link] = links_in(text)
        assert f'href="{link}"' in html  # the same link in both parts, written out in full
        assert _opens_survey_for(app, link) == name

    with app.app_context():
        records = db.session.scalars(select(MailMessage)).all()
        assert len(records) == len(with_address) and {r.status for r in records} == {"sent"}
        tokens = {link.rsplit("/", 1)[1] for r in smtp_server.received for link in links_in(r.part("plain"))}
        for record in records:  # the record never holds the link
            stored = " ".join(str(getattr(record, c.key)) for c in MailMessage.__table__.columns)
            assert not any(token in stored for token in tokens)
        assert records[0].actor.startswith("admin")
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitations emailed"))


def test_sending_again_replaces_the_link_and_a_second_all_parishes_send_skips_those_emailed(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today
):
    _email_all(app, admin_client)
    first = {r.recipients[0]: links_in(r.part("plain"))[0] for r in smtp_server.received}
    html, _ = _email_all(app, admin_client)
    assert "No invitations to send" in html and "emailed an invitation already" in html
    smtp_server.received.clear()
    _email_all(app, admin_client, replace=True)
    second = {r.recipients[0]: links_in(r.part("plain"))[0] for r in smtp_server.received}
    foxton = clerk_address("Foxton")
    assert second[foxton] != first[foxton]
    assert _opens_survey_for(app, first[foxton]) is None  # the old link was revoked
    assert _opens_survey_for(app, second[foxton]) == "Foxton"


def test_reminders_reach_only_councils_that_have_not_answered(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today
):
    _email_all(app, admin_client)
    invited = {r.recipients[0]: links_in(r.part("plain"))[0] for r in smtp_server.received}
    with app.app_context():
        latest = {i.respondent_name: i for i in db.session.scalars(select(Invitation))}
        insert_response(
            PARISH_SLUG,
            ROUND,
            [],
            respondent_type="parish",
            respondent_name="Foxton",
            invitation_id=latest["Foxton"].id,
        )
        insert_response(PARISH_SLUG, ROUND, [], respondent_type="parish", respondent_name="Fleckney", channel="paper")
        invitations.revoke(latest["Lubenham"])
        db.session.commit()
    smtp_server.received.clear()

    confirm_html, sent = _remind(app, admin_client)
    expected = [n for n in parishes_with_email if n not in (NO_ADDRESS, "Foxton", "Fleckney", "Lubenham")]
    assert f"Send {len(expected)} reminders by email?" in confirm_html
    assert sent.status_code == 302
    reminded = {r.recipients[0]: r for r in smtp_server.received}
    assert sorted(reminded) == sorted(clerk_address(n) for n in expected)
    great_glen = reminded[clerk_address("Great Glen")]
    assert great_glen.message["Subject"].startswith("Reminder:")
    new_link = links_in(great_glen.part("plain"))[0]
    assert _opens_survey_for(app, new_link) == "Great Glen"
    assert _opens_survey_for(app, invited[clerk_address("Great Glen")]) is None  # the reminder's link replaces it
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reminders emailed"))

    # Not twice within 3 days, unless the staff member insists.
    smtp_server.received.clear()
    again_html, again = _remind(app, admin_client)
    assert again is None and "No reminders to send" in again_html and "reminded in the last 3 days" in again_html
    assert smtp_server.received == []
    with app.app_context():  # four days later, a reminder is allowed again
        for message in db.session.scalars(select(MailMessage).where(MailMessage.template == "reminder")):
            message.sent_at -= timedelta(days=4)
            message.created_at -= timedelta(days=4)
        db.session.commit()
    insisted_html, _ = _remind(app, admin_client, insist=True)
    assert f"Send {len(expected)} reminders" in insisted_html


def test_a_refusing_server_leaves_every_invitation_usable_and_shows_the_failure_with_a_retry(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today, invite
):
    old_links = {name: f"http://127.0.0.1:8000/invite/{invite(name)}" for name in ("Foxton", "Great Glen")}
    smtp_server.refuse()
    _email_all(app, admin_client)
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "Failed" in page and "refused the message (code 550)" in page
    assert page.count(">Retry<") == len(parishes_with_email) - 1
    for name, link in old_links.items():  # nothing was revoked or lost
        assert _opens_survey_for(app, link) == name
    chase = admin_client.get("/staff/rounds/2026-27").get_data(as_text=True)
    foxton = re.search(r"Foxton Parish Council</th>(.*?)</tr>", chase, re.DOTALL).group(1)
    hallaton = re.search(r"Hallaton Parish Council</th>(.*?)</tr>", chase, re.DOTALL).group(1)
    assert "Link opened" in foxton and "Bounced or failed" in hallaton

    smtp_server.accept()
    with app.app_context():
        failed = db.session.scalar(select(MailMessage).where(MailMessage.respondent_name == "Hallaton"))
        assert failed.status == "failed" and failed.invitation_id is None
    html = admin_client.get(PAGE).get_data(as_text=True)
    retry = admin_client.post(f"{PAGE}/emails/{failed.id}/retry", data={"csrf_token": csrf_of(html)})
    assert retry.status_code == 302
    assert [r.recipients[0] for r in smtp_server.received] == [clerk_address("Hallaton")]
    chase = admin_client.get("/staff/rounds/2026-27").get_data(as_text=True)
    hallaton = re.search(r"Hallaton Parish Council</th>(.*?)</tr>", chase, re.DOTALL).group(1)
    assert re.search(r"Sent on \d+ \w+ \d{4}", hallaton)
    assert _opens_survey_for(app, links_in(smtp_server.received[0].part("plain"))[0]) == "Hallaton"


def test_a_slow_server_never_holds_the_page_for_more_than_a_few_seconds(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today, monkeypatch
):
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", "30")
    smtp_server.handler.delay = 8
    started = time.monotonic()
    html = admin_client.get(PAGE).get_data(as_text=True)
    token = re.search(r'name="email-one-csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = {"email-one-csrf_token": token, "action": "one", "email-one-parish": "Foxton", "email-one-confirmed": "yes"}
    response = admin_client.post(f"{PAGE}/email", data=data)
    assert response.status_code == 302
    assert time.monotonic() - started < 6
    smtp_server.handler.delay = 0
    with app.app_context():
        record = db.session.scalar(select(MailMessage))
        assert record.status == "failed" and "did not answer" in record.outcome


def test_the_chase_list_says_where_each_councils_email_stands(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today
):
    _email_all(app, admin_client)
    foxton_link = next(
        links_in(r.part("plain"))[0] for r in smtp_server.received if r.recipients[0] == clerk_address("Foxton")
    )
    _opens_survey_for(app, foxton_link)
    with app.app_context():
        insert_response(PARISH_SLUG, ROUND, [], respondent_type="parish", respondent_name="Fleckney", channel="paper")
        db.session.commit()
    chase = admin_client.get("/staff/rounds/2026-27").get_data(as_text=True)

    def row(name):
        return re.search(rf"{name} Parish Council</th>(.*?)</tr>", chase, re.DOTALL).group(1)

    assert "Link opened" in row("Foxton")
    assert "Answered" in row("Fleckney")
    assert re.search(r"Sent on \d+ \w+ \d{4}", row("Hallaton"))
    assert "Not sent" in row(NO_ADDRESS)


def test_staff_page_errors_are_shown_beside_the_field_and_nothing_is_sent(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today
):
    response = _post(
        admin_client,
        f"{PAGE}/email",
        {
            "action": "councillor",
            "email-councillor-councillor": "Cllr Ann Example",
            "email-councillor-ward": "Lubenham",
            "email-councillor-email": "not an address",
        },
        "email-councillor-",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in html
    assert "Enter an email address in the correct format" in html and "Cllr Ann Example" in html
    assert smtp_server.received == []


def test_a_councillor_is_invited_by_email_from_the_staff_page(
    app, mail_app, smtp_server, parishes_with_email, admin_client, survey_today
):
    url = f"{PAGE}/email"
    confirm = _post(
        admin_client,
        url,
        {
            "action": "councillor",
            "email-councillor-councillor": "Cllr Ann Example",
            "email-councillor-ward": "Lubenham",
            "email-councillor-email": "ann.example@example.org",
        },
        "email-councillor-",
    )
    html = confirm.get_data(as_text=True)
    assert "Send 1 invitation by email?" in html and "ann.example@example.org" in html
    _confirm(admin_client, html, url)
    [message] = smtp_server.received
    assert message.recipients == ["ann.example@example.org"]
    assert "This message is for Cllr Ann Example." in message.part("plain")
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert (invitation.respondent_type, invitation.ward) == ("councillor", "Lubenham")
