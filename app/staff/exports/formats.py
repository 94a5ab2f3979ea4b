"""Streaming exports of a survey's responses: CSV, XLSX and JSON. No Flask here.

One row per current response, one column per question part (ranked questions as
<question>_first, _second, _third). Rows are read from the database in bounded batches
(keyset by response id, one short transaction each, rather than one long server-side cursor:
on SQLite a long read would hold the write lock for the whole export) and written out as they
come, so memory stays flat however many responses there are.

Spreadsheet safety (OWASP "CSV injection"): any text cell starting with = + - @ tab, CR, LF
or NUL is prefixed with an apostrophe, and every CSV field is quoted. JSON is data for
programs, not spreadsheets, so it carries the values unchanged.

The anonymised export is an allow-list: only columns for questions that are not personal
(contact details are), never the respondent's name, and any answer staff or the survey
marked personal (Answer.personal) is left blank.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from dataclasses import dataclass
from itertools import groupby

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.staff.reporting import survey_report
from app.staff.reporting.tally import parts_present
from app.surveys.models import Answer, Response
from app.staff.reporting import response_counts, scoping

FORMATS = ("csv", "xlsx", "json")
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


@dataclass(frozen=True)
class Column:
    name: str
    question_id: str | None = None  # None: a response field (meta)
    part: str | None = None
    meta: str | None = None  # Response attribute for meta columns
    option_id: str | None = None  # multiple choice: one yes/blank column per option
    personal: bool = False
    labels: tuple = ()  # (id, label) pairs to turn stored ids into words


META = (
    Column("reference", meta="reference"),
    Column("submitted_at", meta="submitted_at"),
    Column("channel", meta="channel"),
    Column("respondent_type", meta="respondent_type"),
    Column("area", meta="area"),
    Column("respondent_name", meta="respondent_name", personal=True),
)


def columns_for(survey, extra_parts=(), anonymised: bool = False) -> list[Column]:
    """The export's columns, in question order. `extra_parts` are (question_id, part) pairs
    found in the data that the current definition does not describe (kept, not lost)."""
    cols = list(META)
    known: set[tuple[str, str]] = set()
    known_multi: set[str] = set()
    for q in survey.questions:
        labels = tuple((o.id, o.label) for o in q.choices) if q.type != "rating" else tuple((o.id, o.label) for o in q.scale)
        if q.issues_for:
            target = next((t for t in survey.questions if t.id == q.issues_for), None)
            for option in (target.options if target else ()):
                cols.append(Column(f"{q.id}_{option.id}", q.id, f"issues:{option.id}", personal=q.personal))
                known.add((q.id, f"issues:{option.id}"))
            continue
        if q.type == "ranked":
            for n in range(1, q.count + 1):
                name = ORDINALS[n - 1] if n <= len(ORDINALS) else str(n)
                cols.append(Column(f"{q.id}_{name}", q.id, str(n), personal=q.personal, labels=labels))
                known.add((q.id, str(n)))
        elif q.type == "multiple":
            for option in q.options:
                cols.append(Column(f"{q.id}_{option.id}", q.id, "", option_id=option.id, personal=q.personal))
            known_multi.add(q.id)
        elif q.type == "rating":
            for item in q.items:
                cols.append(Column(f"{q.id}_{item.id}", q.id, item.id, personal=q.personal, labels=labels))
                known.add((q.id, item.id))
        else:
            cols.append(Column(q.id, q.id, "", personal=q.personal, labels=labels))
            known.add((q.id, ""))
        if q.other:
            cols.append(Column(f"{q.id}_other", q.id, "other", personal=q.personal))
            known.add((q.id, "other"))
    for question_id, part in sorted(extra_parts):
        if (question_id, part) in known or (question_id in known_multi and part == ""):
            continue
        cols.append(Column(f"{question_id}_{part}" if part else question_id, question_id, part))
    if anonymised:
        cols = [c for c in cols if not c.personal]
    return cols


def extra_parts(session: Session, scope: scoping.Scope) -> list[tuple[str, str]]:
    return parts_present(session, scope)


def _rows(session: Session, scope: scoping.Scope, columns: list[Column], anonymised: bool):
    """Each current response as a list of cell values (strings or None), in id order.

    Read in batches of BATCH responses by id (keyset), each batch in its own short
    transaction: memory stays flat however many responses there are, and on SQLite, where
    every transaction takes the write lock (app/database.py), respondents can still submit
    between batches of a long export. Core rows (not ORM objects) keep it quick.
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
    width = len(columns)
    connection = session.connection()
    last_id = 0
    while True:
        responses = connection.execute(
            select(Response.id, Response.reference, Response.submitted_at, Response.channel, Response.respondent_type,
                   Response.area, Response.respondent_name)
            .where(*scope.conditions(), Response.id > last_id).order_by(Response.id).limit(BATCH)
        ).all()
        if not responses:
            session.commit()
            return
        low, high = responses[0][0], responses[-1][0]
        answers = connection.execute(
            select(Answer.response_id, Answer.question_id, Answer.part, Answer.value, Answer.personal)
            .where(Answer.response_id >= low, Answer.response_id <= high)
            .order_by(Answer.response_id, Answer.id)
        ).all()
        session.commit()  # end the read transaction before writing anything out
        connection = session.connection()
        last_id = high
        by_response: dict[int, list] = {}
        for response_id, group in groupby(answers, key=lambda r: r[0]):
            by_response[response_id] = list(group)
        del answers
        for response in responses:
            cells: list = [None] * width
            fields = {"reference": response[1],
                      "submitted_at": response[2].isoformat(sep=" ", timespec="seconds") if response[2] else None,
                      "channel": response[3], "respondent_type": response[4], "area": response[5],
                      "respondent_name": response[6]}
            for i, name in meta_cols:
                cells[i] = fields[name]
            for _, question_id, part, value, personal in by_response.get(response[0], ()):
                if anonymised and personal:
                    continue
                if not part:
                    i = multi.get((question_id, value))
                    if i is not None:
                        cells[i] = "yes"
                        continue
                for i, labels in by_part.get((question_id, part), ()):
                    text = labels.get(value, value)
                    cells[i] = text if cells[i] is None else f"{cells[i]}; {text}"
            yield cells


def count(session: Session, scope: scoping.Scope) -> int:
    return response_counts.count_responses(session, scope)


def csv_stream(session: Session, scope: scoping.Scope, columns: list[Column], anonymised: bool):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    buffer.write("\ufeff")  # BOM: Excel then reads the file as UTF-8
    writer.writerow([c.name for c in columns])
    for n, cells in enumerate(_rows(session, scope, columns, anonymised), start=1):
        writer.writerow(["" if v is None else neutralise(v) for v in cells])
        if n % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_stream(session: Session, scope: scoping.Scope, columns: list[Column], anonymised: bool):
    names = [c.name for c in columns]
    yield b"["
    parts, first = [], True
    for n, cells in enumerate(_rows(session, scope, columns, anonymised), start=1):
        parts.append(("\n" if first else ",\n") + json.dumps(dict(zip(names, cells)), ensure_ascii=False))
        first = False
        if n % 500 == 0:
            yield "".join(parts).encode("utf-8")
            parts = []
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


def _summary_rows(session: Session, survey, scope: scoping.Scope):
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


def xlsx_stream(session: Session, survey, scope: scoping.Scope, columns: list[Column], anonymised: bool, chunk: int = 65536):
    """openpyxl's write-only mode keeps rows in temporary files, not memory; the finished
    workbook is then sent from a temporary file in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append([c.name for c in columns])
    for cells in _rows(session, scope, columns, anonymised):
        sheet.append([None if v is None else xlsx_text(v) for v in cells])
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


def filename(survey, fmt: str, anonymised: bool, today, includes_samples: bool = False) -> str:
    kind = "anonymised-responses" if anonymised else "responses"
    # Made-up responses must never reach a real analysis unnoticed (`flask samples load`).
    prefix = "SAMPLE-DATA-" if includes_samples else ""
    return f"{prefix}{survey.slug}-{kind}-{today.strftime('%Y%m%d')}.{fmt}"
