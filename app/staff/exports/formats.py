"""Streaming exports of a survey's responses: CSV, XLSX and JSON. No Flask here.

One row per current response, one column per answer part, and only this survey's questions
(including any an older version of it asked). Each column has a unique header made from the
question's wording ("Which three things concern you most? – 1st choice") and an id
(`top-concerns_first`); the ids are in the XLSX's Codebook sheet and in the codebook CSV.
Times are ISO 8601 with the UK offset (Europe/London); in the XLSX they are real date cells
in UK time. A question a paper form left blank reads "not answered on the form".
Rows are read from the database in bounded batches (keyset by response id) and written out as
they come, so memory stays flat however many responses there are. The whole export is one read
transaction: one consistent snapshot, which on SQLite never takes the write lock
(app/database.py), so respondents keep submitting while it streams.

Spreadsheet safety (OWASP "CSV injection"): in the CSV any text starting with = + - @ tab,
CR, LF or NUL is prefixed with an apostrophe, and every field is quoted. In the XLSX every
answer is a text cell (never a formula) marked "quote prefix", so Excel shows the text as
typed, with no apostrophe, and keeps it text even when the cell is edited. JSON is data for
programs, not spreadsheets, so it carries the values unchanged, nested by question.

The anonymised export is an allow-list: only columns for questions that are not personal
(contact details are), never the respondent's name, and any answer staff or the survey
marked personal (Answer.personal) is left blank, as is the area when it came from such an answer.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from app.staff.reporting import response_counts, scoping, survey_report
from app.staff.reporting.scoping import DbSession
from app.staff.reporting.tally import parts_present
from app.surveys.questions.answer_format import NOT_ANSWERED_ID, NOT_ANSWERED_VALUE
from app.surveys.questions.definitions import survey_from_stored
from app.surveys.survey_models import Answer, Response, SurveyVersion

FORMATS = ("csv", "xlsx", "json", "codebook")
LOCAL_ZONE = ZoneInfo("Europe/London")
XLSX_DATETIME = "yyyy-mm-dd hh:mm:ss"
PLACES = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
BATCH = 2000


def neutralise(value):
    """A cell a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def xlsx_text(value) -> str:
    """Neutralised, then without the control characters an XLSX file cannot hold (a NUL in a
    respondent's text must not make the whole export fail)."""
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value)))


def xlsx_plain_text(value) -> str:
    """The text itself, less what an XLSX file cannot hold: the cell is made text, not neutralised."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def local_time(value: datetime | None) -> datetime | None:
    """A stored (naive UTC) time in UK time, with its offset."""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE) if value else None


def iso_time(value: datetime | None) -> str | None:
    """ISO 8601 with the UK offset: "2026-07-01T11:00:00+01:00"."""
    found = local_time(value)
    return found.isoformat(timespec="seconds") if found else None


@dataclass(frozen=True)
class Column:
    name: str  # the id ("top-concerns_first"), for programs and the codebook
    question_id: str | None = None  # None: a response field (meta)
    part: str | None = None
    meta: str | None = None  # Response attribute for meta columns
    option_id: str | None = None  # multiple choice: one yes/blank column per option
    personal: bool = False
    labels: tuple = ()  # (id, label) pairs to turn stored ids into words
    header: str = ""  # what people read: the question's wording and which part
    question: str = ""  # the question's wording alone (JSON, codebook)
    part_label: str = ""  # which part, in words ("1st choice", "Rubbish or litter")

    @property
    def title(self) -> str:
        return self.header or self.name


META = (
    Column("reference", meta="reference", header="Reference"),
    Column("submitted_at", meta="submitted_at", header="Sent at (UK time)"),
    Column("channel", meta="channel", header="Channel"),
    Column("respondent_type", meta="respondent_type", header="Respondent type"),
    Column("area", meta="area", header="Parish or area (from the response)"),
    Column("respondent_name", meta="respondent_name", personal=True, header="Respondent's name (councils only)"),
)


def _unique_headers(columns: list[Column]) -> list[Column]:
    """Two columns never share a header (pandas would rename one, JSON would lose one)."""
    seen: dict[str, int] = {}
    for c in columns:
        seen[c.title] = seen.get(c.title, 0) + 1
    result = []
    for c in columns:
        if seen[c.title] > 1:
            c = Column(**{**c.__dict__, "header": f"{c.title} [{c.name}]"})
        result.append(c)
    return result


def _column(q, name: str, part: str, part_label: str = "", **kw) -> Column:
    """One answer part's column, headed by the question's wording and, after a dash, the part's."""
    header = f"{q.label} – {part_label}" if part_label else q.label
    return Column(name, q.id, part, personal=q.personal, header=header, question=q.label, part_label=part_label, **kw)


def columns_for(survey, extra_parts=(), anonymised: bool = False) -> list[Column]:
    """The export's columns, in question order. `extra_parts` are (question_id, part) pairs
    found in the data that the current definition does not describe (kept, not lost)."""
    cols = list(META)
    known: set[tuple[str, str]] = set()
    known_multi: set[str] = set()
    for q in survey.questions:
        labels = (
            tuple((o.id, o.label) for o in q.choices) if q.type != "rating" else tuple((o.id, o.label) for o in q.scale)
        )
        if q.issues_for:
            target = next((t for t in survey.questions if t.id == q.issues_for), None)
            for option in target.options if target else ():
                cols.append(_column(q, f"{q.id}_{option.id}", f"issues:{option.id}", option.label))
                known.add((q.id, f"issues:{option.id}"))
            continue
        if q.type == "ranked":
            for n in range(1, q.count + 1):
                name = ORDINALS[n - 1] if n <= len(ORDINALS) else str(n)
                place = PLACES[n - 1] if n <= len(PLACES) else f"{n}th"
                cols.append(_column(q, f"{q.id}_{name}", str(n), f"{place} choice", labels=labels))
                known.add((q.id, str(n)))
        elif q.type == "multiple":
            for option in q.options:
                cols.append(_column(q, f"{q.id}_{option.id}", "", option.label, option_id=option.id))
            known_multi.add(q.id)
        elif q.type == "rating":
            for item in q.items:
                cols.append(_column(q, f"{q.id}_{item.id}", item.id, item.label, labels=labels))
                known.add((q.id, item.id))
        else:
            cols.append(_column(q, q.id, "", labels=labels))
            known.add((q.id, ""))
        if q.other:
            cols.append(_column(q, f"{q.id}_other", "other", q.other_label))
            known.add((q.id, "other"))
    for question_id, part in sorted(extra_parts):
        if (
            question_id == NOT_ANSWERED_ID
            or (question_id, part) in known
            or (question_id in known_multi and part == "")
        ):
            continue
        name = f"{question_id}_{part}" if part else question_id
        cols.append(
            Column(
                name,
                question_id,
                part,
                header=f"{name} (asked by an earlier version of this survey)",
                question=question_id,
                part_label=part,
            )
        )
    if anonymised:
        cols = [c for c in cols if not c.personal]
    return _unique_headers(cols)


def extra_parts(session: DbSession, scope: scoping.Scope) -> list[tuple[str, str]]:
    """Answer parts in the data that this survey (any stored version of it) asked about.

    Parts of other surveys' questions never become columns, even where the id ranges of two
    surveys' responses overlap.
    """
    asked: set[str] = set()
    versions = select(SurveyVersion.definition).where(SurveyVersion.survey_slug == scope.survey_slug)
    for definition in session.scalars(versions):
        stored = survey_from_stored(definition)
        if stored is not None:
            asked.update(q.id for q in stored.questions)
    return [(q, p) for q, p in parts_present(session, scope) if q in asked]


def _rows(session: DbSession, scope: scoping.Scope, columns: list[Column], anonymised: bool):
    """Each current response as a list of cell values (strings or None), in id order.

    Read in batches of BATCH responses by id (keyset) so memory stays flat however many
    responses there are, all in one read transaction so every batch sees the same snapshot.
    Core rows (not ORM objects) keep it quick.
    """
    # (question_id, part) -> [(cell index, {stored id: label})]
    by_part: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    multi: dict[tuple[str, str], int] = {}
    for i, c in enumerate(columns):
        if c.question_id is None:
            continue
        if c.option_id is not None:
            multi[(c.question_id, c.option_id)] = i
        else:
            by_part.setdefault((c.question_id, c.part), []).append((i, dict(c.labels)))
    meta_cols = [(i, c.meta) for i, c in enumerate(columns) if c.meta]
    area_cell = next((i for i, name in meta_cols if name == "area"), None)
    blank_cells: dict[str, list[int]] = {}
    for i, c in enumerate(columns):
        if c.question_id is not None and c.part != "other":
            blank_cells.setdefault(c.question_id, []).append(i)
    width = len(columns)
    connection = session.connection()
    last_id = 0
    while True:
        responses = connection.execute(
            select(
                Response.id,
                Response.reference,
                Response.submitted_at,
                Response.channel,
                Response.respondent_type,
                Response.area,
                Response.respondent_name,
            )
            .where(*scope.conditions(), Response.id > last_id)
            .order_by(Response.id)
            .limit(BATCH)
        ).all()
        if not responses:
            return
        low, high = responses[0][0], responses[-1][0]
        answers = connection.execute(
            select(Answer.response_id, Answer.question_id, Answer.part, Answer.value, Answer.personal)
            .where(Answer.response_id >= low, Answer.response_id <= high)
            .order_by(Answer.response_id, Answer.id)
        ).all()
        last_id = high
        by_response: dict[int, list] = {}
        for response_id, group in groupby(answers, key=lambda r: r[0]):
            by_response[response_id] = list(group)
        del answers
        for response in responses:
            cells: list = [None] * width
            fields = {
                "reference": response[1],
                "submitted_at": iso_time(response[2]),
                "channel": response[3],
                "respondent_type": response[4],
                "area": response[5],
                "respondent_name": response[6],
            }
            for i, name in meta_cols:
                cells[i] = fields[name]
            blanks = []
            for _, question_id, part, value, personal in by_response.get(response[0], ()):
                if question_id == NOT_ANSWERED_ID:
                    blanks.append(part)
                    continue
                if anonymised and personal:
                    if area_cell is not None and value == response[5]:
                        # The area came from this answer ("Other" text naming a street, say).
                        cells[area_cell] = None
                    continue
                if not part:
                    i = multi.get((question_id, value))
                    if i is not None:
                        cells[i] = "yes"
                        continue
                for i, labels in by_part.get((question_id, part), ()):
                    text = labels.get(value, value)
                    cells[i] = text if cells[i] is None else f"{cells[i]}; {text}"
            for where in blanks:
                question_id, _, part = where.partition("/")
                for i in blank_cells.get(question_id, ()):
                    c = columns[i]
                    if cells[i] is None and (not part or c.part in (part, f"issues:{part}")):
                        cells[i] = NOT_ANSWERED_VALUE
            yield cells


def count(session: DbSession, scope: scoping.Scope) -> int:
    return response_counts.count_responses(session, scope)


def csv_stream(session: DbSession, scope: scoping.Scope, columns: list[Column], anonymised: bool):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    buffer.write("\ufeff")  # BOM: Excel then reads the file as UTF-8
    writer.writerow([c.title for c in columns])
    for n, cells in enumerate(_rows(session, scope, columns, anonymised), start=1):
        writer.writerow(["" if v is None else neutralise(v) for v in cells])
        if n % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def nested(columns: list[Column], cells: list) -> dict:
    """One response as JSON: its fields, then "answers" keyed by question id (see the README)."""
    record: dict = {}
    answers: dict = {}
    for c, value in zip(columns, cells, strict=True):
        if c.question_id is None:
            record[c.meta or c.name] = value
            continue
        entry = answers.setdefault(c.question_id, {"question": c.question or c.question_id})
        if c.part == "other":
            entry["other"] = value
        elif c.option_id is not None:
            entry.setdefault("chosen", [])
            if value == "yes":
                entry["chosen"].append(c.part_label)
            elif value == NOT_ANSWERED_VALUE:
                entry["not_answered_on_form"] = True
        elif c.part_label and c.part and c.part.isdigit():
            entry.setdefault("choices", [])
            if value is not None:
                entry["choices"].append(value)
        elif c.part_label:
            entry.setdefault("parts", {})[c.part_label] = value
        else:
            entry["answer"] = value
    for entry in answers.values():
        if entry.get("choices") and NOT_ANSWERED_VALUE in entry["choices"]:
            entry["choices"], entry["not_answered_on_form"] = [], True
        if entry.get("answer") == NOT_ANSWERED_VALUE:
            entry["answer"], entry["not_answered_on_form"] = None, True
    record["answers"] = answers
    return record


def json_stream(session: DbSession, scope: scoping.Scope, columns: list[Column], anonymised: bool):
    yield b"["
    parts, first = [], True
    for n, cells in enumerate(_rows(session, scope, columns, anonymised), start=1):
        parts.append(("\n" if first else ",\n") + json.dumps(nested(columns, cells), ensure_ascii=False))
        first = False
        if n % 500 == 0:
            yield "".join(parts).encode("utf-8")
            parts = []
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


def _summary_rows(session: DbSession, survey, scope: scoping.Scope):
    data = survey_report.build(session, survey, scope.filters)
    yield ["Survey", survey.title]
    yield ["Round", survey.round]
    yield ["Responses", data.count.sentence]
    for section in data.sections:
        q = section.question
        yield []
        yield [q.label]
        if section.kind == "ranked":
            r = section.ranking
            yield ["Rank", "Option", "First", f"Top {r.count}", "Points", "% of respondents (top)"]
            for o in r.options:
                yield [o.rank_label, o.label, o.first, o.top, o.points, o.top_percent]
            yield ["Respondents who answered", r.respondents]
        elif section.kind in ("single", "multiple"):
            d = section.distribution
            yield ["Answer", "Count", "%"]
            for s in d.shares:
                yield [s.label, s.count, s.percent]
            yield ["Respondents who answered", d.answered]
        elif section.kind == "rating":
            yield ["Item", *[f"{s.label}" for s in q.scale], "Answered"]
            for item in section.rated:
                yield [item.label, *[item.share(s.id).count if item.share(s.id) else 0 for s in q.scale], item.answered]
        elif section.kind == "text":
            yield ["Answers written", section.answered]


def xlsx_stream(
    session: DbSession, survey, scope: scoping.Scope, columns: list[Column], anonymised: bool, chunk: int = 65536
):
    """openpyxl's write-only mode keeps rows in temporary files, not memory; the finished
    workbook is then sent from a temporary file in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.freeze_panes = "A2"  # set before the first row: write-only sheets write it first
    sheet.append([c.title for c in columns])
    time_columns = {i for i, c in enumerate(columns) if c.meta == "submitted_at"}
    rows = 0
    for cells in _rows(session, scope, columns, anonymised):
        sheet.append([_xlsx_cell(sheet, v, i in time_columns) for i, v in enumerate(cells)])
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{rows + 1}"
    codebook = workbook.create_sheet("Codebook")
    for row in codebook_rows(columns):
        codebook.append([xlsx_text(v) if isinstance(v, str) else v for v in row])
    summary = workbook.create_sheet("Summary")
    for row in _summary_rows(session, survey, scope):
        summary.append([xlsx_text(v) if isinstance(v, str) else v for v in row])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while True:
            data = handle.read(chunk)
            if not data:
                break
            yield data


def _xlsx_cell(sheet, value, is_time: bool):
    """A real date cell for the time (UK clock time: Excel has no time zones); every other value
    a text cell with the quote prefix, so it shows as typed and can never run as a formula."""
    if value is None:
        return None
    if is_time:
        moment = datetime.fromisoformat(value)
        cell = WriteOnlyCell(sheet, value=moment.replace(tzinfo=None))
        cell.number_format = XLSX_DATETIME
        return cell
    cell = WriteOnlyCell(sheet, value=xlsx_plain_text(value))
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def codebook_rows(columns: list[Column]):
    """What each column is: its header, its id, the question and part, and the answers' codes."""
    yield ["Column", "Id", "Question id", "Part", "Question", "Answers (id = text)"]
    for c in columns:
        codes = "; ".join(f"{code} = {label}" for code, label in c.labels)
        yield [c.title, c.name, c.question_id or "", c.part or c.option_id or "", c.question or "", codes]


def codebook_stream(columns: list[Column]):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    buffer.write("\ufeff")
    for row in codebook_rows(columns):
        writer.writerow([neutralise(v) for v in row])
    yield buffer.getvalue().encode("utf-8")


def filename(survey, fmt: str, anonymised: bool, today, includes_samples: bool = False) -> str:
    if fmt == "codebook":
        return f"{survey.slug}-codebook.csv"
    kind = "anonymised-responses" if anonymised else "responses"
    # Made-up responses must never reach a real analysis unnoticed (`flask samples load`).
    prefix = "SAMPLE-DATA-" if includes_samples else ""
    return f"{prefix}{survey.slug}-{kind}-{today.strftime('%Y%m%d')}.{fmt}"
