"""Made-up answers for a developer's database, so staff results, charts and exports have data.

No Flask here. Answers are built from the survey definition itself (so they follow next year's
questions too) and each page is passed through the same validation a respondent's answers are:
a sample response is always one a real respondent could have sent. Sample responses are stored
with the channel `SAMPLE_CHANNEL`, which staff pages and export file names make visible.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.surveys.questions.definitions import OTHER_ID, Option, Question, SurveyDefinition
from app.surveys.questions.validation import Form, validate_page

SAMPLE_CHANNEL = "sample"
SAMPLE_NAME_PREFIX = "Sample: "

_PHRASES = (
    "Speeding through the village in the evenings",
    "Litter and fly-tipping by the recreation ground",
    "Young people gathering by the shops late at night",
    "Parked cars blocking the pavement near the school",
    "Thefts from sheds and garages",
    "Scam phone calls to older residents",
)


def _pick(rng: random.Random, options: tuple[Option, ...], avoid_other: bool = True) -> str:
    ids = [o.id for o in options if not (avoid_other and o.id == OTHER_ID)] or [o.id for o in options]
    return rng.choice(ids)


def _fields_for(
    question: Question,
    rng: random.Random,
    parishes: tuple[Option, ...],
    answers: dict[str, Any],
    survey: SurveyDefinition,
) -> Form:
    """Form fields for one question, as a respondent's browser would send them."""
    qid = question.id
    if question.issues_for:
        chosen = answers.get(question.issues_for) or []
        return {f"{qid}-{option_id}": [rng.choice(_PHRASES)] for option_id in chosen}
    if question.type == "parish":
        return {qid: [_pick(rng, parishes)]} if parishes else {}
    if question.type in ("single", "yesno"):
        return {qid: [_pick(rng, question.choices)]}
    if question.type == "multiple":
        ids = [o.id for o in question.choices if o.id != OTHER_ID]
        return {qid: rng.sample(ids, k=min(len(ids), rng.randint(1, 3)))}
    if question.type == "ranked":
        ids = [o.id for o in question.choices if o.id != OTHER_ID]
        picks = rng.sample(ids, k=min(len(ids), question.count))
        return {f"{qid}-{n}": [pick] for n, pick in enumerate(picks, start=1)}
    if question.type == "rating":
        return {f"{qid}-{item.id}": [_pick(rng, question.scale, avoid_other=False)] for item in question.items}
    if question.type in ("text", "longtext"):
        if question.format == "email":
            # example.org is reserved for examples: no real person can ever receive mail there.
            return {qid: ["sample.clerk@example.org"]} if question.required else {}
        if question.personal:
            return {qid: ["Sample Clerk"]} if question.required else {}
        return {qid: [rng.choice(_PHRASES)]} if question.required or rng.random() < 0.5 else {}
    if question.type == "date":
        day = (survey.opens or date.today()) + timedelta(days=rng.randint(0, 20))
        return {f"{qid}-day": [str(day.day)], f"{qid}-month": [str(day.month)], f"{qid}-year": [str(day.year)]}
    return {}


def sample_answers(
    survey: SurveyDefinition, rng: random.Random, parishes: tuple[Option, ...] = (), skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """One complete set of answers that passes every page's checks.

    `parishes` are the choices for `parish` questions; `skip` lists questions answered another
    way (a council's name comes from its invitation). Raises ValueError if a page's rules
    cannot be met by made-up answers (a required personal question, for instance).
    """
    answers: dict[str, Any] = {}
    for page in survey.pages:
        form: dict[str, list[str]] = {}
        for question in page.questions:
            if question.id not in skip:
                form.update(_fields_for(question, rng, parishes, answers, survey))
        result = validate_page(survey, page, form, answers, parishes, skip=skip)
        if not result.ok:
            problems = "; ".join(f"{e.field}: {e.message}" for e in result.errors)
            raise ValueError(f"Cannot make sample answers for {survey.slug}, page {page.id}: {problems}")
        answers.update(result.values)
    return answers
