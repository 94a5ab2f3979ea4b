"""`flask invites send`, `flask mail send-queued`, the development folder, production's
refusal of half-set email settings, and the "finish later" link by email."""

import pytest
from sqlalchemy import select

from app import UnsafeConfiguration, create_app
from app.cli_support import ContentRefused
from app.extensions import db
from app.mail import outbox
from app.mail.mail_models import MailMessage
from app.surveys.questions.definitions import get_survey
from app.surveys.survey_models import Invitation
from tests.fixtures.mail import NO_ADDRESS, clerk_address, links_in
from tests.fixtures.surveys import PARISH_SLUG, RESIDENT_SLUG
from tests.integration.core.test_quality_production import SAFE


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _opens(app, link):
    browser = app.test_client()
    response = browser.get(link.split("127.0.0.1:8000", 1)[-1])
    if response.status_code != 303:
        return False
    return "answering for" in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_send_to_all_parishes_one_parish_and_a_councillor(
    app, mail_app, smtp_server, parishes_with_email, survey_today
):
    result = invoke(app, "invites", "send", PARISH_SLUG, "--all-parishes")
    assert result.exit_code == 0, result.output
    with_address = [n for n in parishes_with_email if n != NO_ADDRESS]
    assert f"{len(with_address)} sent." in result.output and f"No email address for {NO_ADDRESS}" in result.output
    assert sorted(r.recipients[0] for r in smtp_server.received) == sorted(map(clerk_address, with_address))
    first = {r.recipients[0]: links_in(r.part("plain"))[0] for r in smtp_server.received}
    with app.app_context():  # the record of sends says who asked: here, the command line
        assert {m.actor for m in db.session.scalars(select(MailMessage))} == {"command line"}

    smtp_server.received.clear()
    result = invoke(app, "invites", "send", PARISH_SLUG, "--parish", "Foxton")
    assert result.exit_code == 0 and "1 sent." in result.output
    [again] = smtp_server.received
    assert not _opens(app, first[clerk_address("Foxton")]) and _opens(app, links_in(again.part("plain"))[0])

    result = invoke(app, "invites", "send", PARISH_SLUG, "--councillor", "Cllr Ann Example", "--ward", "Lubenham")
    assert result.exit_code != 0 and "--email ADDRESS" in result.output
    result = invoke(
        app,
        "invites",
        "send",
        PARISH_SLUG,
        "--councillor",
        "Cllr Ann Example",
        "--ward",
        "Lubenham",
        "--email",
        "ann.example@example.org",
    )
    assert result.exit_code == 0 and smtp_server.received[-1].recipients == ["ann.example@example.org"]
    assert invoke(app, "invites", "send", RESIDENT_SLUG, "--all-parishes").exit_code != 0
    assert "Nowhere" in invoke(app, "invites", "send", PARISH_SLUG, "--parish", "Nowhere").output


def test_send_queued_sends_what_is_waiting_and_fails_loudly(
    app, mail_app, smtp_server, parishes_with_email, survey_today
):
    with app.app_context():
        survey = get_survey(app.config["CONTENT_DIR"], PARISH_SLUG)
        for name in ("Foxton", "Fleckney"):
            outbox.enqueue(survey, "invitation", name, "parish", clerk_address(name))
        db.session.commit()
    result = invoke(app, "mail", "send-queued")
    assert result.exit_code == 0 and "2 sent." in result.output
    assert len(smtp_server.received) == 2
    with app.app_context():
        outbox.enqueue(survey, "invitation", "Hallaton", "parish", clerk_address("Hallaton"))
        db.session.commit()
    smtp_server.refuse()
    result = invoke(app, "mail", "send-queued")
    assert result.exit_code == 1 and "1 failed" in result.output
    with app.app_context():
        assert db.session.scalar(select(Invitation).where(Invitation.respondent_name == "Hallaton")) is None


def test_with_no_mail_server_development_writes_messages_to_the_folder(
    app, parishes_with_email, survey_today, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "outgoing-mail"))
    for key in ("SMTP_HOST", "SMTP_PORT"):
        monkeypatch.delenv(key, raising=False)
    result = invoke(app, "invites", "send", PARISH_SLUG, "--parish", "Foxton")
    assert result.exit_code == 0, result.output
    [saved] = (tmp_path / "outgoing-mail").glob("*.eml")
    text = saved.read_text(encoding="utf-8")
    assert f"To: {clerk_address('Foxton')}" in text and "/invite/" in text


@pytest.mark.parametrize("given", [{"SMTP_USERNAME": "u", "SMTP_PASSWORD": "p"}, {"SMTP_HOST": "mail.example.org"}])
def test_production_refuses_to_start_with_email_half_set_up(app, given):
    settings = {**SAFE, **given, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    with pytest.raises(UnsafeConfiguration, match="SMTP_HOST|MAIL_FROM"):
        create_app("production", **settings)


def test_a_resume_link_is_emailed_once_and_the_address_is_not_kept(app, mail_app, smtp_server, survey_today):
    address = "resident.example@example.org"
    link = "http://127.0.0.1:8000/consultations/residents-2026-27/resume/abc123"
    with app.test_request_context():
        survey = get_survey(app.config["CONTENT_DIR"], RESIDENT_SLUG)
        assert outbox.send_resume_link(address, link, survey) is True
    [message] = smtp_server.received
    assert message.recipients == [address]
    assert link in message.part("plain") and f'href="{link}"' in message.part("html")
    assert "closes on" in message.part("plain") and "not kept your email address" in message.part("plain")
    smtp_server.refuse()
    with app.test_request_context():
        assert outbox.send_resume_link(address, link, survey) is False
    with app.app_context():
        records = db.session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
        assert [(r.template, r.status) for r in records] == [("resume", "sent"), ("resume", "failed")]
        for record in records:
            stored = " ".join(str(getattr(record, c.key)) for c in MailMessage.__table__.columns)
            assert address not in stored and "abc123" not in stored


def test_addresses_in_the_record_of_sends_are_deleted_with_other_contact_details(
    app, mail_app, smtp_server, parishes_with_email, survey_today
):
    from datetime import date

    from app.staff.governance import retention

    assert invoke(app, "invites", "send", PARISH_SLUG, "--parish", "Foxton").exit_code == 0
    with app.app_context():
        survey = get_survey(app.config["CONTENT_DIR"], PARISH_SLUG)
        retention.purge_survey(survey, date(2030, 1, 1), survey.closes)
        record = db.session.scalar(select(MailMessage))
        assert record.recipient is None and record.respondent_name == "Foxton" and record.status == "sent"


def test_the_site_refuses_to_start_with_a_broken_email_template(app, tmp_path):
    import shutil

    from app.config import PROJECT_ROOT

    folder = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    path = folder / "emails" / "reminder.md"
    path.write_text(path.read_text(encoding="utf-8").replace("{{ closes }}", "{{ closing_date }}"), encoding="utf-8")
    with pytest.raises(ContentRefused) as refused:
        create_app("testing", CONTENT_DIR=str(folder), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert "emails/reminder.md: The message must include {{ closes }}." in str(refused.value)
    assert "Unknown placeholder {{ closing_date }}" in str(refused.value)
