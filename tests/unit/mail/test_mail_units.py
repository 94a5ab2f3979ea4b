"""Email settings and templates, without an app."""

import re
import shutil

import pytest

from app.config import PROJECT_ROOT
from app.mail import mail_settings as settings
from app.mail import templates


@pytest.mark.parametrize(
    "given, reason",
    [
        ({"SMTP_USERNAME": "u", "SMTP_PASSWORD": "p"}, "SMTP_HOST is not"),
        ({"MAIL_FROM": "csp@example.org"}, "SMTP_HOST is not"),
        ({"SMTP_HOST": "mail.example.org", "SMTP_STARTTLS": "true"}, "MAIL_FROM is not set"),
        (
            {"SMTP_HOST": "mail.example.org", "SMTP_STARTTLS": "true", "MAIL_FROM": "nobody"},
            "MAIL_FROM is not an email",
        ),
        ({"SMTP_HOST": "mail.example.org", "MAIL_FROM": "csp@example.org", "SMTP_USERNAME": "u"}, "both SMTP_USERNAME"),
        (
            {
                "SMTP_HOST": "mail.example.org",
                "MAIL_FROM": "csp@example.org",
                "SMTP_STARTTLS": "true",
                "SMTP_IMPLICIT_TLS": "true",
            },
            "not both",
        ),
        ({"SMTP_HOST": "mail.example.org", "MAIL_FROM": "csp@example.org", "SMTP_STARTTLS": "false"}, "unencrypted"),
        ({"SMTP_HOST": "mail.example.org", "MAIL_FROM": "csp@example.org", "SMTP_PORT": "abc"}, "SMTP_PORT must be"),
        ({"SMTP_HOST": "mail.example.org", "MAIL_FROM": "csp@example.org", "SMTP_STARTTLS": "maybe"}, "true or false"),
    ],
)
def test_half_set_or_unsafe_email_settings_are_reported(given, reason):
    assert any(reason in problem for problem in settings.problems(given, environ={}))


def test_complete_or_absent_email_settings_are_fine():
    assert settings.problems({}, environ={}) == []
    full = {
        "SMTP_HOST": "mail.example.org",
        "SMTP_PORT": "587",
        "SMTP_USERNAME": "u",
        "SMTP_PASSWORD": "p",
        "MAIL_FROM": "Harborough CSP <csp@example.org>",
        "MAIL_REPLY_TO": "team@example.org",
    }
    assert settings.problems(full, environ={}) == []
    chosen = settings.settings_from(full, environ={})
    assert (chosen.starttls, chosen.implicit_tls, chosen.port) == (True, False, 587)
    implicit = settings.settings_from({**full, "SMTP_IMPLICIT_TLS": "true", "SMTP_PORT": ""}, environ={})
    assert (implicit.starttls, implicit.implicit_tls, implicit.port) == (False, True, 465)


def test_the_shipped_templates_pass_the_check():
    assert templates.check(PROJECT_ROOT / "content") == []


@pytest.fixture
def emails(tmp_path):
    shutil.copytree(PROJECT_ROOT / "content" / "emails", tmp_path / "emails")
    return tmp_path


def _edit(folder, name, old, new):
    path = folder / "emails" / f"{name}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_missing_or_unknown_placeholder_is_reported_with_its_file(emails):
    _edit(emails, "invitation", "{{ closes }}", "{{ closing }}")
    found = [str(p) for p in templates.check(emails)]
    assert "emails/invitation.md: The message must include {{ closes }}." in found
    assert any(p.startswith("emails/invitation.md: Unknown placeholder {{ closing }}") for p in found)


def test_images_short_links_and_a_missing_subject_are_refused(emails):
    _edit(emails, "reminder", "Here is your council's link:", "![logo](https://example.org/p.gif) https://bit.ly/x")
    _edit(emails, "resume", "subject:", "title:")
    found = "\n".join(str(p) for p in templates.check(emails))
    assert "emails/reminder.md: Emails carry no images" in found
    assert "short link to bit.ly" in found
    assert "emails/resume.md:1: Add a subject" in found
    (emails / "emails" / "invitation.md").unlink()
    assert "emails/invitation.md: This email template is missing." in "\n".join(map(str, templates.check(emails)))


def test_values_are_escaped_in_the_html_part_and_links_written_out_in_full():
    template = templates.EmailTemplate(
        "invitation",
        "{{ survey }} for {{ council }}",
        "For {{ council }}: {{ link }}\n\nPrint: [the paper copy]({{ print_link }})",
    )
    rendered = templates.render(
        template,
        {
            "council": "<b>Foxton</b> & Co",
            "survey": "Survey",
            "link": "https://site.example/invite/abc",
            "print_link": "https://site.example/print",
        },
    )
    assert rendered.subject == "Survey for <b>Foxton</b> & Co"
    assert "For <b>Foxton</b> & Co: https://site.example/invite/abc" in rendered.text
    assert "&lt;b&gt;Foxton&lt;/b&gt; &amp; Co" in rendered.html and "<b>Foxton" not in rendered.html
    assert '<a href="https://site.example/invite/abc">https://site.example/invite/abc</a>' in rendered.html
    assert re.search(r'<a href="https://site.example/print"[^>]*>the paper copy</a>', rendered.html)
