"""Survey definitions: `content/surveys/<slug>.md` files read into typed objects. No Flask here.

Staff change next year's questions by editing these files, so everything a file can get wrong
is reported by `check()` with the file and line, in words a non-developer can act on.
Each definition carries `definition_hash` (SHA-256 of a canonical JSON copy of the whole
file), which is how a stored response names the exact questions it answered.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.content.problems import Problem
from app.content.reading.source import read_source

# A place in the front matter (keys and list positions), to point a problem at its line.
Where = tuple[str | int, ...]

QUESTION_TYPES = ("single", "multiple", "ranked", "rating", "yesno", "text", "longtext", "parish", "date")
CHOICE_TYPES = ("single", "multiple", "ranked")
TEXT_TYPES = ("text", "longtext")
AUDIENCES = ("resident", "parish")
TEXT_FORMATS = ("email",)
DEFAULT_MAX_LENGTH = {"text": 200, "longtext": 1000}
# Measured in Chromium at 320 px wide with the site's fonts (tests/browser/test_surveys_phone.py).
RANKED_LABEL_LIMIT = 24
YES_NO = (("yes", "Yes"), ("no", "No"))
OTHER_ID = "other"
# Ids become form field names, URL parts and stored values: keep them plain.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

SURVEY_KEYS = {
    "slug",
    "title",
    "summary",
    "audience",
    "round",
    "opens",
    "closes",
    "accepts_responses",
    "allow_without_invitation",
    "retention_months",
    "pages",
    "historic_results",
    "results_published",
}
PAGE_KEYS = {"id", "title", "intro", "questions"}
QUESTION_KEYS = {
    "id",
    "type",
    "label",
    "hint",
    "required",
    "options",
    "other",
    "other_label",
    "count",
    "items",
    "scale",
    "max_length",
    "personal",
    "issues_for",
    "error",
    "other_error",
    "noun",
    "format",
    "width",
}


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    hint: str | None = None
    required: bool = True
    options: tuple[Option, ...] = ()
    other: bool = False
    other_label: str = "Other (please specify)"
    count: int = 3
    items: tuple[Option, ...] = ()
    scale: tuple[Option, ...] = ()
    max_length: int | None = None
    personal: bool = False
    issues_for: str | None = None
    error: str | None = None  # the "Select…"/"Enter…" message when a required answer is missing
    other_error: str | None = None  # the message when "Other" is chosen but not described
    noun: str = "answer"  # ranked: "Choose a different <noun> for each place"
    format: str | None = None  # text: "email"
    width: int | None = None  # input width in characters (GOV.UK width classes), for short answers
    page_id: str = ""

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def option_label(self, option_id: str) -> str:
        found = self.option(option_id) or next((o for o in self.items if o.id == option_id), None)
        return found.label if found else option_id

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options a respondent can pick from (yes/no included)."""
        if self.type == "yesno":
            return tuple(Option(i, label) for i, label in YES_NO)
        return self.options


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None


@dataclass(frozen=True)
class SurveyDefinition:
    slug: str
    title: str
    summary: str
    audience: str
    round: str
    opens: date | None  # None only on historic rounds whose dates are not recorded
    closes: date | None
    accepts_responses: bool
    allow_without_invitation: bool
    retention_months: int
    pages: tuple[Page, ...]
    intro: str  # Markdown body: the start page's introduction
    definition_hash: str
    data: dict[str, Any] = field(repr=False, compare=False)  # canonical JSON-ready copy, stored with responses
    historic_results: dict[str, Any] | None = None
    path: str = ""

    @property
    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)

    @property
    def is_historic(self) -> bool:
        return not self.accepts_responses


def _canonical(value: Any) -> Any:
    """Dates as ISO strings so the definition is plain JSON (stored and hashed)."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def definition_hash_of(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Reader:
    """Builds one SurveyDefinition from one file, collecting every problem on the way."""

    def __init__(self, path: Path, content_dir: Path):
        self.path = path
        self.rel = str(path.relative_to(content_dir)) if path.is_relative_to(content_dir) else path.name
        self.problems: list[Problem] = []
        self.lines: dict[Where, int] = {}

    def problem(self, where: Where, message: str) -> None:
        line = None
        for n in range(len(where), -1, -1):
            if where[:n] in self.lines:
                line = self.lines[where[:n]]
                break
        self.problems.append(Problem(self.rel, line, message))

    def read(self) -> SurveyDefinition | None:
        source, problems = read_source(self.path, self.rel)
        self.problems.extend(problems)
        if source is None:
            return None
        self.lines = source.lines
        return self._survey(source.meta, source.body.strip())

    def _str(self, data: dict[str, Any], key: str, where: Where, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where, f"'{key}' is missing.")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(where + (key,), f"'{key}' must be text.")
            return None
        return str(value).strip()

    def _bool(self, data: dict[str, Any], key: str, where: Where, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(where + (key,), f"'{key}' must be true or false.")
            return default
        return value

    def _date(self, data: dict[str, Any], key: str, required: bool = True) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((), f"'{key}' is missing: give a date like 2026-10-01.")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem((key,), f"'{key}' is not a real date: write it as YYYY-MM-DD, like 2026-10-01.")
            return None

    def _unknown_keys(self, data: dict[str, Any], allowed: set[str], where: Where, what: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(where + (key,), f"Unknown setting '{key}' in {what}.")

    def _options(self, raw: Any, where: Where, what: str) -> tuple[Option, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem(where, f"'{what}' must be a list of {{id, label}}.")
            return ()
        result, seen = [], set()
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or not item.get("id") or not item.get("label"):
                self.problem(where + (i,), f"Each entry in '{what}' needs an id and a label.")
                continue
            for key in item:
                if key not in ("id", "label", "hint"):
                    # Usually an unquoted comma inside {…}: "label: Theft, burglary" splits in two.
                    self.problem(
                        where + (i,),
                        f"Unknown setting '{key}' in an entry of '{what}' "
                        "(if a label has a comma, put the label in quotes).",
                    )
            oid = str(item["id"])
            if not ID_PATTERN.match(oid):
                self.problem(where + (i, "id"), f"'{oid}' in '{what}' must be lower-case letters, digits and hyphens.")
            if oid in seen:
                self.problem(where + (i, "id"), f"'{oid}' appears twice in '{what}'.")
            seen.add(oid)
            hint = item.get("hint")
            result.append(Option(oid, str(item["label"]), str(hint) if hint else None))
        return tuple(result)

    # -- building

    def _question(self, raw: Any, where: Where, page_id: str) -> Question | None:
        if not isinstance(raw, dict):
            self.problem(where, "Each question must be a set of 'key: value' lines.")
            return None
        self._unknown_keys(raw, QUESTION_KEYS, where, "a question")
        qid = self._str(raw, "id", where)
        qtype = self._str(raw, "type", where)
        label = self._str(raw, "label", where)
        if qid and not ID_PATTERN.match(qid):
            self.problem(where + ("id",), f"Question id '{qid}' must be lower-case letters, digits and hyphens.")
        if qtype and qtype not in QUESTION_TYPES:
            self.problem(where + ("type",), f"Unknown question type '{qtype}': use one of {', '.join(QUESTION_TYPES)}.")
            return None
        if not (qid and qtype and label):
            return None
        options = self._options(raw.get("options"), where + ("options",), "options")
        other = self._bool(raw, "other", where, False)
        if qtype in CHOICE_TYPES and not options:
            self.problem(where, f"Question '{qid}' is a {qtype} question but has no options.")
        if other and qtype not in CHOICE_TYPES + ("parish",):
            self.problem(where + ("other",), f"'other' only works on choice questions, not on '{qtype}'.")
        # The "other" option's text is the option labelled `other` if there is one ("Something
        # else"); `other_label` labels the box for the details ("Describe the other priority").
        if other and not any(o.id == OTHER_ID for o in options):
            options = options + (Option(OTHER_ID, "Other"),)
        if qtype == "parish" and any(o.id != OTHER_ID for o in options):
            self.problem(
                where + ("options",),
                "A parish question takes its options from parishes.yaml: only an 'other' option may be listed.",
            )
        items = self._options(raw.get("items"), where + ("items",), "items")
        scale = self._options(raw.get("scale"), where + ("scale",), "scale")
        if qtype == "rating" and (not items or not scale):
            self.problem(where, f"Rating question '{qid}' needs both 'items' (the things rated) and 'scale'.")
        count = raw.get("count", 3)
        if qtype == "ranked":
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                self.problem(where + ("count",), "'count' must be a whole number of 1 or more.")
                count = 3
            elif options and count > len(options):
                self.problem(where + ("count",), f"'count' is {count} but there are only {len(options)} options.")
        max_length = raw.get("max_length", DEFAULT_MAX_LENGTH.get(qtype))
        if max_length is not None and (
            not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
        ):
            self.problem(where + ("max_length",), "'max_length' must be a whole number of 1 or more.")
            max_length = DEFAULT_MAX_LENGTH.get(qtype)
        fmt = raw.get("format")
        if fmt is not None and (qtype != "text" or fmt not in TEXT_FORMATS):
            self.problem(where + ("format",), f"'format' can only be {', '.join(TEXT_FORMATS)} on a text question.")
            fmt = None
        issues_for = raw.get("issues_for")
        if issues_for is not None and qtype not in TEXT_TYPES:
            self.problem(where + ("issues_for",), "'issues_for' only works on a text or longtext question.")
        return Question(
            id=qid,
            type=qtype,
            label=label,
            hint=self._str(raw, "hint", where, required=False),
            required=self._bool(raw, "required", where, True),
            options=options,
            other=other,
            other_label=str(raw.get("other_label") or "Other (please specify)"),
            count=count if qtype == "ranked" else 3,
            items=items,
            scale=scale,
            max_length=max_length,
            personal=self._bool(raw, "personal", where, False),
            issues_for=str(issues_for) if issues_for else None,
            error=self._str(raw, "error", where, required=False),
            other_error=self._str(raw, "other_error", where, required=False),
            noun=str(raw.get("noun") or "answer"),
            format=fmt,
            page_id=page_id,
            width=raw.get("width") if raw.get("width") in (2, 3, 4, 5, 10, 20, 30) else None,
        )

    def _pages(self, raw: Any) -> tuple[Page, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem(("pages",), "'pages' must be a list of pages.")
            return ()
        pages, page_ids, question_ids = [], set(), set()
        for i, page in enumerate(raw):
            where = ("pages", i)
            if not isinstance(page, dict):
                self.problem(where, "Each page must be a set of 'key: value' lines.")
                continue
            self._unknown_keys(page, PAGE_KEYS, where, "a page")
            pid = self._str(page, "id", where)
            title = self._str(page, "title", where)
            if pid and not ID_PATTERN.match(pid):
                self.problem(where + ("id",), f"Page id '{pid}' must be lower-case letters, digits and hyphens.")
            if pid in ("check-answers", "confirmation", "print", "submit", "start", "you-said-we-did"):
                self.problem(where + ("id",), f"Page id '{pid}' is reserved: choose another.")
            if pid in page_ids:
                self.problem(where + ("id",), f"Duplicate page id '{pid}'.")
            page_ids.add(pid)
            questions = []
            raw_questions = page.get("questions")
            if not isinstance(raw_questions, list) or not raw_questions:
                self.problem(where, f"Page '{pid}' has no questions.")
                raw_questions = []
            for j, rq in enumerate(raw_questions):
                q = self._question(rq, where + ("questions", j), pid or "")
                if q is None:
                    continue
                if q.id in question_ids:
                    self.problem(where + ("questions", j, "id"), f"Duplicate question id '{q.id}'.")
                question_ids.add(q.id)
                questions.append(q)
            if pid and title:
                pages.append(Page(pid, title, tuple(questions), self._str(page, "intro", where, required=False)))
        # issues_for must name a ranked or multiple question on an earlier page.
        seen: dict[str, Question] = {}
        for i, page in enumerate(pages):
            for j, q in enumerate(page.questions):
                if q.issues_for:
                    target = seen.get(q.issues_for)
                    if target is None or target.type not in ("ranked", "multiple"):
                        self.problem(
                            ("pages", i, "questions", j, "issues_for"),
                            f"'issues_for: {q.issues_for}' must name a ranked or multiple-choice question "
                            "on an earlier page.",
                        )
            for q in page.questions:
                seen[q.id] = q
        return tuple(pages)

    def _survey(self, meta: dict[str, Any], body: str) -> SurveyDefinition | None:
        self._unknown_keys(meta, SURVEY_KEYS, (), "the survey")
        slug = self._str(meta, "slug", ())
        title = self._str(meta, "title", ())
        summary = self._str(meta, "summary", ()) or ""
        audience = self._str(meta, "audience", ())
        rnd = self._str(meta, "round", ())
        if slug and not ID_PATTERN.match(slug):
            self.problem(("slug",), f"Slug '{slug}' must be lower-case letters, digits and hyphens.")
        if audience and audience not in AUDIENCES:
            self.problem(("audience",), f"Unknown audience '{audience}': use resident or parish.")
        accepts = self._bool(meta, "accepts_responses", (), True)
        # Historic rounds may leave out dates the source documents do not record.
        opens, closes = self._date(meta, "opens", accepts), self._date(meta, "closes", accepts)
        if opens and closes and closes < opens:
            self.problem(("closes",), f"The survey closes ({closes}) before it opens ({opens}).")
        retention = meta.get("retention_months", 12)
        if not isinstance(retention, int) or isinstance(retention, bool) or retention < 1:
            self.problem(("retention_months",), "'retention_months' must be a whole number of months.")
            retention = 12
        pages = self._pages(meta.get("pages"))
        if accepts and not pages:
            self.problem(("pages",), "A survey that accepts responses needs at least one page of questions.")
        if accepts:
            self._check_ranked_labels(pages)
        historic = meta.get("historic_results")
        if historic is not None and not isinstance(historic, dict):
            self.problem(("historic_results",), "'historic_results' must be a set of 'key: value' lines.")
            historic = None
        if not accepts and historic is None:
            self.problem((), "A survey that does not accept responses should have 'historic_results'.")
        if historic:
            self._check_historic(historic, pages)
        if not (slug and title and audience in AUDIENCES and rnd and ((opens and closes) or not accepts)):
            return None
        data = _canonical({"front_matter": meta, "body": body})
        return SurveyDefinition(
            slug=slug,
            title=title,
            summary=summary,
            audience=audience,
            round=rnd,
            opens=opens,
            closes=closes,
            accepts_responses=accepts,
            allow_without_invitation=self._bool(meta, "allow_without_invitation", (), False),
            retention_months=retention,
            pages=pages,
            intro=body,
            definition_hash=definition_hash_of(data),
            data=data,
            historic_results=_canonical(historic) if historic else None,
            path=self.rel,
        )

    def _check_ranked_labels(self, pages: tuple[Page, ...]) -> None:
        """A ranked question's choices are drop-downs, which a phone cuts off after about 24 characters."""
        for pi, page in enumerate(pages):
            for qi, q in enumerate(page.questions):
                if q.type != "ranked":
                    continue
                for oi, option in enumerate(q.options):
                    if len(option.label) > RANKED_LABEL_LIMIT:
                        self.problem(
                            ("pages", pi, "questions", qi, "options", oi),
                            f"The choice '{option.label}' is {len(option.label)} characters long: a phone "
                            f"cuts drop-down choices off after about {RANKED_LABEL_LIMIT}. Shorten the label "
                            "and put the details in a 'hint' on the same line.",
                        )

    def _check_historic(self, historic: dict[str, Any], pages: Sequence[Page]) -> None:
        for i, row in enumerate(historic.get("ranked") or []):
            if not isinstance(row, dict) or "option" not in row:
                self.problem(("historic_results", "ranked", i), "Each ranked result needs an 'option'.")
        for i, row in enumerate(historic.get("concerns") or []):
            if not isinstance(row, dict) or "option" not in row:
                self.problem(("historic_results", "concerns", i), "Each concern needs an 'option'.")


# --- public API ----------------------------------------------------------------------------


def read_survey_file(
    path: str | Path, content_dir: str | Path | None = None
) -> tuple[SurveyDefinition | None, list[Problem]]:
    path = Path(path)
    reader = _Reader(path, Path(content_dir) if content_dir else path.parent)
    survey = reader.read()
    return survey, reader.problems


def survey_from_stored(data: dict[str, Any]) -> SurveyDefinition | None:
    """Rebuild a definition from the copy stored with a response (`SurveyVersion.definition`),
    so an old response is shown with the questions it answered."""
    if not isinstance(data, dict) or "front_matter" not in data:
        return None
    reader = _Reader(Path("stored.md"), Path("."))
    return reader._survey(dict(data["front_matter"]), data.get("body", ""))


def _survey_files(content_dir: str | Path) -> list[Path]:
    folder = Path(content_dir) / "surveys"
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith(("_", "."))) if folder.is_dir() else []


def _load(content_dir: str | Path) -> tuple[list[SurveyDefinition], list[Problem]]:
    surveys: list[SurveyDefinition] = []
    problems: list[Problem] = []
    slugs: dict[str, str] = {}
    for path in _survey_files(content_dir):
        survey, found = read_survey_file(path, content_dir)
        problems.extend(found)
        if survey is None:
            continue
        if survey.slug in slugs:
            problems.append(Problem(survey.path, 1, f"Slug '{survey.slug}' is already used by {slugs[survey.slug]}."))
            continue
        slugs[survey.slug] = survey.path
        surveys.append(survey)
    return surveys, problems


def check(content_dir: str | Path) -> list[Problem]:
    """Every problem in the survey files and the parish list (empty when all is well)."""
    from app.surveys.parishes import check_parishes

    return sorted(_load(content_dir)[1] + check_parishes(content_dir))


def read_surveys(content_dir: str | Path) -> tuple[list[SurveyDefinition], list[Problem]]:
    """The surveys that read without problems, newest round first, and every problem found."""
    surveys, problems = _load(content_dir)
    surveys.sort(key=lambda s: (s.round, s.opens or date.min, s.slug), reverse=True)
    return surveys, problems


def load_surveys(content_dir: str | Path) -> list[SurveyDefinition]:
    """Read the folder now (tests, the benches); the running app reads `surveys.library`."""
    return read_surveys(content_dir)[0]


def get_survey(content_dir: str | Path, slug: str) -> SurveyDefinition | None:
    return next((s for s in load_surveys(content_dir) if s.slug == slug), None)
