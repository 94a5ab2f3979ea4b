"""Email: settings, templates from content/emails/, the outbox and its commands.

Invitations, reminders and "save and come back later" links are sent through an SMTP server
(or, on a developer's machine with no server set, written to a folder). Staff pages and
commands queue messages; the outbox sends them within a time budget and records every outcome.
"""

from flask import Flask

from app.mail.mail_settings import problems
from app.surveys.drafts.resume_mailer import RESUME_LINK_MAILER
from app.surveys.questions.definitions import SurveyDefinition

TEMPLATES = "emails"


def init_app(app: Flask) -> None:
    found = problems(app.config)
    if found:
        raise RuntimeError("Email settings have problems:\n- " + "\n- ".join(found))
    from app.mail.mail_commands import mail_cli, send_command
    from app.mail.templates import read_all
    from app.surveys.survey_commands import invites_cli

    # The templates are content: read with the rest of content/, checked by `flask content check`.
    app.extensions["content"].register(TEMPLATES, read_all)
    app.cli.add_command(mail_cli)
    invites_cli.add_command(send_command)
    app.extensions[RESUME_LINK_MAILER] = ResumeLinks()


def deploy_problems(config: dict) -> list[str]:
    """For the production check in app/config.py: email must be fully set up or not at all."""
    return problems(config)


class ResumeLinks:
    """Emails residents their "come back later" links for the surveys (app/surveys/drafts/resume_mailer.py)."""

    def available(self) -> bool:
        from app.mail.outbox import can_send

        return can_send()

    def send(self, address: str, link: str, survey: SurveyDefinition) -> bool:
        from app.mail.outbox import send_resume_link

        return send_resume_link(address, link, survey)
