"""The address converter for a survey's question pages."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

# The journey's own steps, which live beside the question pages under a consultation's address.
JOURNEY_STEPS = ("submit", "check-answers", "confirmation", "print", "you-said-we-did")


class QuestionPageConverter(BaseConverter):
    """Any page id except a journey step's name. Without this, `GET …/submit` matched the
    question-page address and answered 404, when it should say the address takes POST (405)."""

    regex = r"(?!(?:" + "|".join(JOURNEY_STEPS) + r")$)[^/]+"
