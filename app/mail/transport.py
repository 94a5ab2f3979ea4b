"""Handing a message to the mail server, or to a folder on a developer's machine. No Flask here."""

from __future__ import annotations

import functools
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol

from app.mail.mail_settings import MailSettings
from app.mail.templates import RenderedEmail


class MailError(Exception):
    """The message was not accepted; the text is safe to show to staff (never a token)."""


class Transport(Protocol):
    def send(self, message: EmailMessage, timeout: float) -> None: ...


def build_message(settings: MailSettings, to: str, rendered: RenderedEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = parseaddr(settings.sender)[1].partition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the system's certificates takes a noticeable moment: once per process is enough.
    return ssl.create_default_context()


class SMTPTransport:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage, timeout: float) -> None:
        s = self.settings
        context = _tls_context() if (s.implicit_tls or s.starttls) else None
        try:
            if s.implicit_tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host or "", s.port, timeout=timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host or "", s.port, timeout=timeout)
            with smtp:
                if s.starttls:
                    smtp.starttls(context=context)
                if s.username:
                    smtp.login(s.username, s.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = {code for code, _ in error.recipients.values()}
            listed = ", ".join(map(str, sorted(codes)))
            raise MailError(f"The mail server refused the address (code {listed}).") from None
        except smtplib.SMTPResponseException as error:
            raise MailError(f"The mail server refused the message (code {error.smtp_code}).") from None
        except TimeoutError:
            raise MailError(f"The mail server did not answer within {timeout:.0f} seconds.") from None
        except smtplib.SMTPServerDisconnected as error:
            # smtplib reports a reply that never came as a lost connection ("… timed out").
            if "timed out" in str(error):
                raise MailError(f"The mail server did not answer within {timeout:.0f} seconds.") from None
            raise MailError("The mail server closed the connection before taking the message.") from None
        except smtplib.SMTPException as error:
            raise MailError(f"The mail server could not take the message ({type(error).__name__}).") from None
        except (OSError, ssl.SSLError) as error:
            raise MailError(f"Could not reach the mail server ({error.strerror or type(error).__name__}).") from None


class FolderTransport:
    """Development without a mail server: each message becomes an `.eml` file to open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, timeout: float) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        (self.folder / f"{stamp}.eml").write_bytes(bytes(message))


def transport_for(settings: MailSettings, production: bool) -> Transport | None:
    """SMTP when a host is set; a folder on a developer's machine; nothing in production."""
    if settings.uses_smtp:
        return SMTPTransport(settings)
    return None if production else FolderTransport(settings.folder)
