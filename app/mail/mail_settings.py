"""Email settings from the app's configuration or the environment. No Flask here.

With no `SMTP_HOST`, a development or test app writes each message as an `.eml` file to a
folder instead (`MAIL_FOLDER`, by default `instance/outgoing-mail/`); a production app then
sends nothing and keeps messages waiting in the outbox.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any

KEYS = (
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "SMTP_IMPLICIT_TLS",
    "SMTP_TIMEOUT",
    "MAIL_FROM",
    "MAIL_REPLY_TO",
)
DEFAULT_TIMEOUT = 5.0
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")
_PLAIN = re.compile(r"[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+\.[^@\s<>,;:\"()\[\]]+")


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int
    username: str | None
    password: str | None
    starttls: bool
    implicit_tls: bool
    timeout: float
    sender: str
    reply_to: str | None
    folder: Path

    @property
    def uses_smtp(self) -> bool:
        return bool(self.host)


def _raw(config: Mapping[str, Any], environ: Mapping[str, str], key: str) -> Any:
    value = config.get(key)
    return value if value is not None else environ.get(key)


def _flag(value: Any) -> bool | None:
    """True/False, or None when the value is not a recognisable yes or no."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def is_address(value: str | None) -> bool:
    """A plain address such as clerk@example.org (no name, no list)."""
    return bool(_PLAIN.fullmatch((value or "").strip())) and len(value or "") <= 254


def _is_sender(value: str | None) -> bool:
    """An address, optionally with a name: "Safer Together <noreply@example.org>"."""
    return is_address(parseaddr(value or "")[1])


def settings_from(
    config: Mapping[str, Any], environ: Mapping[str, str] | None = None, instance_dir: str | Path = "instance"
) -> MailSettings:
    """The settings to send with; assumes `problems()` found nothing wrong with them."""
    env = os.environ if environ is None else environ
    implicit = bool(_flag(_raw(config, env, "SMTP_IMPLICIT_TLS")))
    starttls_raw = _raw(config, env, "SMTP_STARTTLS")
    host = str(_raw(config, env, "SMTP_HOST") or "").strip() or None
    # STARTTLS unless it is switched off, implicit TLS is chosen, or the server is this machine.
    starttls = _flag(starttls_raw) if starttls_raw not in (None, "") else (not implicit and host not in LOCAL_HOSTS)
    port_raw = _raw(config, env, "SMTP_PORT")
    port = int(port_raw) if str(port_raw or "").strip() else (465 if implicit else 587 if starttls else 25)
    timeout_raw = _raw(config, env, "SMTP_TIMEOUT")
    timeout = float(timeout_raw) if str(timeout_raw or "").strip() else DEFAULT_TIMEOUT
    folder = _raw(config, env, "MAIL_FOLDER") or Path(instance_dir) / "outgoing-mail"
    return MailSettings(
        host=host,
        port=port,
        username=_raw(config, env, "SMTP_USERNAME") or None,
        password=_raw(config, env, "SMTP_PASSWORD") or None,
        starttls=bool(starttls),
        implicit_tls=implicit,
        timeout=timeout,
        sender=str(_raw(config, env, "MAIL_FROM") or "Safer Together <noreply@localhost>"),
        reply_to=_raw(config, env, "MAIL_REPLY_TO") or None,
        folder=Path(folder),
    )


def problems(config: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> list[str]:
    """What is wrong or missing in the email settings; empty when email is fully set or not set at all."""
    env = os.environ if environ is None else environ
    given = {key: _raw(config, env, key) for key in KEYS}
    given = {key: value for key, value in given.items() if value not in (None, "")}
    if not given:
        return []
    found = []
    if "SMTP_HOST" not in given:
        found.append(
            "Email is half set up: " + ", ".join(sorted(given)) + " set but SMTP_HOST is not. "
            "Set SMTP_HOST (and MAIL_FROM), or remove the other email settings."
        )
        return found
    if "MAIL_FROM" not in given:
        found.append("MAIL_FROM is not set: messages need the partnership's sending address.")
    elif not _is_sender(str(given["MAIL_FROM"])):
        found.append("MAIL_FROM is not an email address.")
    if "MAIL_REPLY_TO" in given and not _is_sender(str(given["MAIL_REPLY_TO"])):
        found.append("MAIL_REPLY_TO is not an email address.")
    if ("SMTP_USERNAME" in given) != ("SMTP_PASSWORD" in given):
        found.append("Set both SMTP_USERNAME and SMTP_PASSWORD, or neither.")
    for key in ("SMTP_STARTTLS", "SMTP_IMPLICIT_TLS"):
        if key in given and _flag(given[key]) is None:
            found.append(f"{key} must be true or false.")
    if _flag(given.get("SMTP_STARTTLS")) and _flag(given.get("SMTP_IMPLICIT_TLS")):
        found.append("Choose SMTP_STARTTLS or SMTP_IMPLICIT_TLS, not both.")
    for key, kind in (("SMTP_PORT", int), ("SMTP_TIMEOUT", float)):
        if key in given:
            try:
                if kind(given[key]) <= 0:
                    raise ValueError
            except ValueError:
                found.append(f"{key} must be a positive number.")
    if not found:
        chosen = settings_from(config, env)
        if not (chosen.starttls or chosen.implicit_tls) and chosen.host not in LOCAL_HOSTS:
            found.append(
                "Email would travel unencrypted to another host: set SMTP_STARTTLS=true or SMTP_IMPLICIT_TLS=true."
            )
    return found
