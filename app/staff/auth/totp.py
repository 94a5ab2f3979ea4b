"""Time-based one-time codes (RFC 6238) for the second sign-in step, via pyotp.

A code is accepted for the current 30-second step or one step either side (clock drift), and
only if its step is later than the last one accepted for that user, so a code seen over a
shoulder or replayed from a log cannot be used again.
"""

import hmac
import re
from datetime import UTC, datetime

import pyotp
import segno

STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The set-up link as an inline SVG QR code: no external image, no style attribute."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code"
    )
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)


def _step(at: datetime) -> int:
    return int(at.replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def code_at(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(_step(at) * STEP_SECONDS)


def matching_step(secret: str, code: str, at: datetime, last_step: int | None) -> int | None:
    """The time-step the code belongs to, or None if it is wrong, stale or already used."""
    code = re.sub(r"[\s-]", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = _step(at)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None
