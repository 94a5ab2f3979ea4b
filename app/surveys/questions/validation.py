"""Checking submitted answers against a survey definition. No Flask here.

Form field names (also the input ids the error summary links to), per question type:

- single, yesno, parish, text, longtext: `<qid>`
- multiple: `<qid>` (one value per ticked box)
- ranked: `<qid>-1`, `<qid>-2`, … one select per place
- rating: `<qid>-<item id>`
- date: `<qid>-day`, `<qid>-month`, `<qid>-year`
- "Other (please specify)" text: `<qid>-other`
- issues behind each chosen option (`issues_for`): `<qid>-<option id>`

Cleaned answers (kept in drafts and in `Response.answers`) follow the stored format in
answer_format.py; dates are YYYY-MM-DD and unanswered optional questions are absent.

Messages are instructions ("Select…", "Enter…"), shown beside the field and in the summary.
Nothing here raises on bad input: unknown option ids and over-long text are errors.

Paper forms (staff keying in a return) are checked with `paper=True`: the answers are stored
as the respondent wrote them. A blank question is not an error but is recorded under
`"_not_answered"` (a list of question ids, or `"<qid>/<part>"` for one row of a grid or one
priority's issues), ranked questions may have fewer choices than asked for, and "Other" may
be ticked without a description. Wrong values (unknown options, bad dates) are still errors.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from app.surveys.questions import answer_format
from app.surveys.questions.definitions import OTHER_ID, Option, Page, Question, SurveyDefinition

if TYPE_CHECKING:
    from app.surveys.parishes import Parish

NOT_ANSWERED_KEY = answer_format.NOT_ANSWERED_KEY
NOT_ANSWERED_ID = answer_format.NOT_ANSWERED_ID
NOT_ANSWERED_VALUE = answer_format.NOT_ANSWERED_VALUE
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# The longest text we keep even when a question sets no limit (a field of 100k characters is
# an error with a message, never a crash).
HARD_MAX_LENGTH = 5000
OTHER_MAX_LENGTH = 200

Form = Mapping[str, list[str]]


@dataclass(frozen=True)
class FieldError:
    field: str  # the input id the error summary links to
    message: str
    key: str = ""  # which rendered field shows the message (defaults to `field`)

    @property
    def target(self) -> str:
        return self.key or self.field


@dataclass
class PageResult:
    values: dict[str, Any] = field(default_factory=dict)  # answers to store for this page's questions
    errors: list[FieldError] = field(default_factory=list)
    not_answered: list[str] = field(default_factory=list)  # paper forms: what was left blank

    @property
    def ok(self) -> bool:
        return not self.errors


def ordinal(n: int) -> str:
    return ORDINALS[n - 1] if 0 < n <= len(ORDINALS) else f"number {n}"


def lower_first(text: str) -> str:
    """ "Rubbish or litter" → "rubbish or litter", but "ASB" stays "ASB"."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def other_max_length(question: Question) -> int:
    """ "Other (please specify)" is a short answer unless the question sets its own limit."""
    return question.max_length or OTHER_MAX_LENGTH


def other_key(question: Question) -> str:
    return answer_format.other_key(question.id)


def _first(form: Form, name: str) -> str:
    values = form.get(name) or []
    value = values[0] if values else ""
    return value if isinstance(value, str) else ""


def _text(form: Form, name: str) -> str:
    # Browsers send line breaks as CRLF; count them as one character, as the page does.
    return _first(form, name).replace("\r\n", "\n").strip()


def parish_options(parishes: Iterable[Parish], audience: str) -> tuple[Option, ...]:
    """Choices for a `parish` question: councils by full name for the parish survey
    ("Lutterworth Town Council"), plain place names for residents."""
    return tuple(Option(p.name, p.display_name if audience == "parish" else p.name) for p in parishes)


def choices_for(question: Question, parishes: tuple[Option, ...] = ()) -> tuple[Option, ...]:
    if question.type == "parish":
        extra = tuple(o for o in question.options if o.id == OTHER_ID)
        return tuple(parishes) + extra
    return question.choices


class _PageValidator:
    def __init__(
        self,
        survey: SurveyDefinition,
        answers: dict[str, Any],
        parishes: tuple[Option, ...],
        today: date | None,
        paper: bool = False,
    ):
        self.survey = survey
        self.answers = answers
        self.parishes = parishes
        self.today = today
        self.paper = paper
        self.result = PageResult()

    def blank(self, where: str) -> bool:
        """On a paper form a blank is recorded as such (True); online the caller decides."""
        if self.paper:
            self.result.not_answered.append(where)
        return self.paper

    def error(self, field_id: str, message: str, key: str = "") -> None:
        self.result.errors.append(FieldError(field_id, message, key))

    def required_message(self, question: Question, default: str) -> str:
        return question.error or default

    def check_length(
        self, question: Question, name: str, text: str, what: str = "your answer", limit: int | None = None
    ) -> bool:
        limit = min(limit or question.max_length or HARD_MAX_LENGTH, HARD_MAX_LENGTH)
        if len(text) > limit:
            self.error(name, f"Enter {what} in {limit} characters or less")
            return False
        return True

    def other_text(self, question: Question, form: Form, chosen: bool) -> None:
        name = f"{question.id}-other"
        text = _text(form, name)
        if not chosen:
            return
        if not text:
            if self.paper:
                return
            if question.other_error:
                message = question.other_error
            elif question.other_label.lower().startswith(("describe", "enter", "tell", "give")):
                message = question.other_label  # already an instruction
            else:
                message = "Enter your other answer"
            self.error(name, message)
            return
        if self.check_length(question, name, text, limit=other_max_length(question)):
            self.result.values[other_key(question)] = text

    # -- one method per type

    def single(self, q: Question, form: Form) -> None:
        value = _first(form, q.id).strip()
        choices = choices_for(q, self.parishes)
        if q.type == "parish" and any(o.id == OTHER_ID for o in choices):
            value = self.typed_place(q, form, value, choices)
        if not value:
            if self.blank(q.id):
                return
            if q.required:
                default = "Select yes or no" if q.type == "yesno" else "Select an answer"
                self.error(q.id, self.required_message(q, default))
            return
        if value not in {o.id for o in choices}:
            self.error(q.id, "Select one of the options in the list")
            return
        self.result.values[q.id] = value
        if q.other or q.type == "parish" and any(o.id == OTHER_ID for o in choices):
            self.other_text(q, form, value == OTHER_ID)

    def typed_place(self, q: Question, form: Form, value: str, choices: tuple[Option, ...]) -> str:
        """A place typed in the "not in the list" box counts even if the list was left alone.

        A typed name that is in the list is taken as that choice. A place chosen from the
        list wins over text also typed (the box is on screen whatever is chosen, without
        JavaScript, so people fill it in passing).
        """
        typed = " ".join(_text(form, f"{q.id}-other").split())
        if not typed or value:
            return value
        match = next(
            (o for o in choices if o.id != OTHER_ID and typed.casefold() in (o.id.casefold(), o.label.casefold())), None
        )
        return match.id if match else OTHER_ID

    def multiple(self, q: Question, form: Form) -> None:
        values = [v for v in (form.get(q.id) or []) if isinstance(v, str) and v]
        valid = {o.id for o in q.choices}
        if not values:
            if self.blank(q.id):
                return
            if q.required:
                self.error(q.id, self.required_message(q, "Select at least one option"))
            return
        if any(v not in valid for v in values):
            self.error(q.id, "Select only options from the list")
            return
        # Keep the definition's order and drop repeats.
        self.result.values[q.id] = [o.id for o in q.choices if o.id in values]
        if q.other:
            self.other_text(q, form, OTHER_ID in values)

    def ranked(self, q: Question, form: Form) -> None:
        valid = {o.id for o in q.choices}
        picks = [_first(form, f"{q.id}-{n}").strip() for n in range(1, q.count + 1)]
        if not any(picks) and (not q.required or self.blank(q.id)):
            return
        if self.paper:
            # As written: fewer choices than asked for are kept, in their order.
            picks = [pick for pick in picks if pick]
        seen: set[str] = set()
        ok = True
        for n, pick in enumerate(picks, start=1):
            name = f"{q.id}-{n}"
            if not pick:
                if n == 1 and not any(picks) and q.error:
                    self.error(name, q.error)
                else:
                    self.error(name, f"Select your {ordinal(n)} {q.noun}")
                ok = False
            elif pick not in valid:
                self.error(name, f"Select your {ordinal(n)} {q.noun} from the list")
                ok = False
            elif pick in seen:
                earlier = picks.index(pick) + 1
                self.error(
                    name,
                    f"You already chose {lower_first(q.option_label(pick))} as your {ordinal(earlier)} "
                    f"{q.noun}: select a different {q.noun} for {ordinal(n)} place",
                )
                ok = False
            else:
                seen.add(pick)
        if ok:
            self.result.values[q.id] = picks
        if q.other:
            self.other_text(q, form, OTHER_ID in picks)

    def rating(self, q: Question, form: Form) -> None:
        """The grid is one question with one message, however many rows are missing."""
        valid = {o.id for o in q.scale}
        grid = {}
        missing: list[str] = []
        for item in q.items:
            value = _first(form, f"{q.id}-{item.id}").strip()
            if not value or value not in valid:
                missing.append(item.id)
                continue
            grid[item.id] = value
        if self.paper and not any(_first(form, f"{q.id}-{item_id}").strip() for item_id in missing):
            # Rows left blank on paper; a grid left wholly blank is one blank question.
            if grid:
                self.result.not_answered.extend(f"{q.id}/{item_id}" for item_id in missing)
            elif missing:
                self.blank(q.id)
        elif missing and (q.required or grid):
            self.error(f"{q.id}-{missing[0]}", grid_message(q, len(missing)), key=q.id)
        if grid:
            self.result.values[q.id] = grid

    def text(self, q: Question, form: Form) -> None:
        text = _text(form, q.id)
        if q.type == "text":
            text = " ".join(text.split())  # a one-line answer: no stray line breaks or runs of spaces
        if not text:
            if not self.blank(q.id) and q.required:
                self.error(q.id, self.required_message(q, "Enter your answer"))
            return
        if not self.check_length(q, q.id, text):
            return
        if q.format == "email" and not EMAIL.match(text):
            self.error(q.id, "Enter an email address in the correct format, like name@example.com")
            return
        self.result.values[q.id] = text

    def date(self, q: Question, form: Form) -> None:
        parts = {p: _first(form, f"{q.id}-{p}").strip() for p in ("day", "month", "year")}
        if not any(parts.values()):
            if not self.blank(q.id) and q.required:
                self.error(f"{q.id}-day", self.required_message(q, "Enter a date"), key=q.id)
            return
        missing = [p for p in ("day", "month", "year") if not parts[p]]
        if missing:
            self.error(f"{q.id}-{missing[0]}", f"The date must include a {' and a '.join(missing)}", key=q.id)
            return
        try:
            if len(parts["year"]) != 4:
                raise ValueError
            value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.error(f"{q.id}-day", "The date must be a real date, like 12 11 2026", key=q.id)
            return
        if self.today and value > self.today:
            self.error(f"{q.id}-day", "The date must be today or in the past", key=q.id)
            return
        self.result.values[q.id] = value.isoformat()

    def issues(self, q: Question, form: Form) -> None:
        # Only called for a question with `issues_for` set (checked when the file was read).
        source = q.issues_for or ""
        target = self.survey.question(source)
        chosen = self.answers.get(source) or []
        texts = {}
        for option_id in chosen:
            name = f"{q.id}-{option_id}"
            text = _text(form, name)
            label = issue_label(target, option_id, self.answers)
            if not text:
                if self.blank(f"{q.id}/{option_id}"):
                    continue
                if q.required:
                    template = q.error or "Enter your answer for {option}"
                    message = template.replace("{option}", lower_first(label))
                    if "{option}" not in template and q.error:
                        message = f"{q.error} ({lower_first(label)})"
                    self.error(name, message)
                continue
            if self.check_length(q, name, text, what=f"the issues for {lower_first(label)}"):
                texts[option_id] = text
        if texts:
            self.result.values[q.id] = texts


def grid_message(q: Question, missing: int) -> str:
    """ "Answer every row…" naming how many rows are left and the "Don't know" answer if there is one."""
    dont_know = next((o.label for o in q.scale if o.id in ("dont-know", "not-sure")), None)
    rows = "1 row has" if missing == 1 else f"{missing} rows have"
    if q.error and "{item}" not in q.error:
        return f"{q.error} ({rows} no answer)"
    advice = f", or select “{dont_know}”" if dont_know else ""
    return f"Select an answer on every row{advice}: {rows} no answer"


def issue_label(target: Question | None, option_id: str, answers: Mapping[str, Any]) -> str:
    """The label shown for one chosen option's issues box ("Road safety", or the "Other" text)."""
    if target is None:
        return option_id
    if option_id == OTHER_ID and answers.get(other_key(target)):
        return str(answers[other_key(target)])
    return target.option_label(option_id)


def validate_page(
    survey: SurveyDefinition,
    page: Page,
    form: Form,
    answers: dict[str, Any] | None = None,
    parishes: tuple[Option, ...] = (),
    today: date | None = None,
    skip: frozenset[str] = frozenset(),
    paper: bool = False,
) -> PageResult:
    """Check one page's submitted fields. `answers` holds earlier pages' answers (for the
    `issues_for` questions); `skip` lists question ids answered another way (a council's
    invitation names the council); `paper` checks a paper form as written (see above)."""
    validator = _PageValidator(survey, answers or {}, parishes, today, paper)
    for q in page.questions:
        if q.id in skip:
            continue
        if q.issues_for:
            validator.issues(q, form)
        elif q.type in ("single", "yesno", "parish"):
            validator.single(q, form)
        elif q.type == "multiple":
            validator.multiple(q, form)
        elif q.type == "ranked":
            validator.ranked(q, form)
        elif q.type == "rating":
            validator.rating(q, form)
        elif q.type in ("text", "longtext"):
            validator.text(q, form)
        elif q.type == "date":
            validator.date(q, form)
    return validator.result


def page_keys(page: Page) -> set[str]:
    """The answer keys a page owns (so re-submitting a page replaces them all)."""
    keys = set()
    for q in page.questions:
        keys.add(q.id)
        keys.add(other_key(q))
    return keys


def form_values(page: Page, answers: dict[str, Any]) -> dict[str, list[str]]:
    """A page's stored answers as form field values, to show them again."""
    values: dict[str, list[str]] = {}
    for q in page.questions:
        value = answers.get(q.id)
        if value is not None:
            if q.issues_for and isinstance(value, dict):
                for option_id, text in value.items():
                    values[f"{q.id}-{option_id}"] = [text]
            elif q.type == "multiple":
                values[q.id] = list(value)
            elif q.type == "ranked":
                for n, pick in enumerate(value, start=1):
                    values[f"{q.id}-{n}"] = [pick]
            elif q.type == "rating" and isinstance(value, dict):
                for item_id, scale_id in value.items():
                    values[f"{q.id}-{item_id}"] = [scale_id]
            elif q.type == "date":
                try:
                    d = date.fromisoformat(value)
                    values.update(
                        {f"{q.id}-day": [str(d.day)], f"{q.id}-month": [str(d.month)], f"{q.id}-year": [str(d.year)]}
                    )
                except (TypeError, ValueError):
                    pass
            else:
                values[q.id] = [str(value)]
        if answers.get(other_key(q)):
            values[f"{q.id}-other"] = [answers[other_key(q)]]
    return values


def page_is_complete(
    survey: SurveyDefinition,
    page: Page,
    answers: dict[str, Any],
    parishes: tuple[Option, ...] = (),
    skip: frozenset[str] = frozenset(),
) -> bool:
    """Whether the stored answers would pass this page's checks (used to stop people skipping
    ahead by URL, and to check everything again before submitting)."""
    return validate_page(survey, page, form_values(page, answers), answers, parishes, skip=skip).ok


def answers_hash(answers: dict[str, Any]) -> str:
    text = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summary_rows(
    survey: SurveyDefinition, page: Page, answers: dict[str, Any], parishes: tuple[Option, ...] = ()
) -> list[dict[str, Any]]:
    """The answers on one page as {question, key, lines} for "Check your answers" and print."""
    rows = []
    for q in page.questions:
        value = answers.get(q.id)
        lines: list[str] = []
        if q.issues_for:
            target = survey.question(q.issues_for)
            for option_id, text in (value or {}).items():
                lines.append(f"{issue_label(target, option_id, answers)}: {text}")
        elif value is None:
            lines = []
        elif q.type == "ranked":
            lines = [f"{n}. {label_for(q, v, answers, parishes)}" for n, v in enumerate(value, start=1)]
        elif q.type == "multiple":
            lines = [label_for(q, v, answers, parishes) for v in value]
        elif q.type == "rating":
            scale = {o.id: o.label for o in q.scale}
            lines = [f"{item.label}: {scale.get(value.get(item.id), 'Not answered')}" for item in q.items]
        elif q.type == "date":
            try:
                lines = [date.fromisoformat(value).strftime("%-d %B %Y")]
            except ValueError:
                lines = [value]
        elif q.type in ("single", "yesno", "parish"):
            lines = [label_for(q, value, answers, parishes)]
        else:
            lines = value.split("\n")
        rows.append({"question": q, "lines": lines})
    return rows


def label_for(q: Question, option_id: str, answers: dict[str, Any], parishes: tuple[Option, ...] = ()) -> str:
    if option_id == OTHER_ID and answers.get(other_key(q)):
        return f"{q.option_label(OTHER_ID)}: {answers[other_key(q)]}"
    for option in choices_for(q, parishes):
        if option.id == option_id:
            return option.label
    return option_id
