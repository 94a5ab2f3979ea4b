"""Exports: readable unique headers with a codebook, UK times, only the survey's own questions,
formula-safe cells, the same rows in CSV, XLSX and JSON (read back with csv, openpyxl and
pandas), the anonymised option, streaming headers and the audit trail."""

import csv
import io
import json
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from app.extensions import db
from app.staff.staff_models import AuditEvent
from app.surveys import repository
from app.surveys.questions.definitions import get_survey
from tests.fixtures.staff import insert_bulk_responses, insert_response, ranked_rows

PARISH = "parish-councils-2026-27"
RESIDENTS = "residents-2026-27"
ROUND = "2026/27"
PARISH_ISSUE_IDS = [
    f"issues_{o}"
    for o in (
        "road-safety",
        "acquisitive-crime",
        "anti-social-behaviour",
        "violent-crime",
        "domestic-abuse",
        "vulnerable-people",
        "fraud-cybercrime",
        "drugs-alcohol",
        "criminal-damage",
        "other",
    )
]
FULL_IDS = (
    [
        "reference",
        "submitted_at",
        "channel",
        "respondent_type",
        "area",
        "respondent_name",
        "council",
        "council_other",
        "priorities_first",
        "priorities_second",
        "priorities_third",
        "priorities_other",
    ]
    + PARISH_ISSUE_IDS
    + ["meeting-date", "contact-name", "contact-email"]
)
PRIORITIES = "What are your council's top three community safety priorities for the coming year?"
ISSUES = "What are the specific local issues behind each of your priorities?"


def add_parish_response(name, issue="Speeding through the village", flagged=False, **kwargs):
    return insert_response(
        PARISH,
        ROUND,
        ranked_rows("priorities", ["road-safety", "anti-social-behaviour", "other"])
        + [
            ("council", "", name),
            ("priorities", "other", "Hare coursing"),
            ("issues", "issues:road-safety", issue, flagged),
            ("issues", "issues:anti-social-behaviour", "Noise"),
            ("contact-name", "", "Pat Clerk", True),
            ("contact-email", "", "clerk@example.org", True),
        ],
        respondent_type="parish",
        respondent_name=name,
        area=name,
        **kwargs,
    )


@pytest.fixture
def parish_export_data(app):
    with app.app_context():
        add_parish_response("Foxton", reference="REF0001")
        add_parish_response(
            "Fleckney",
            issue="Names a neighbour, Mr Smith",
            flagged=True,
            reference="REF0002",
            submitted_at=datetime(2026, 7, 1, 10, 0),
        )  # British Summer Time
        insert_response(
            PARISH,
            ROUND,
            ranked_rows("priorities", ["other", "domestic-abuse", "fraud-cybercrime"]),
            respondent_type="parish",
            respondent_name="Foxton",
            is_current=False,
            reference="OLD0001",
        )
        db.session.commit()


def download(client, fmt, anonymised=False, slug=PARISH):
    response = client.get(f"/staff/exports/{slug}/download?format={fmt}&anonymised={'yes' if anonymised else 'no'}")
    assert response.status_code == 200, response.status_code
    response.get_data()  # read it all now: a streamed export left open holds its request context
    return response


def parse_csv(response):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def by_id(client, rows, anonymised=False, slug=PARISH) -> list[dict]:
    """CSV rows keyed by column id, using the codebook to read the headers."""
    codebook = parse_csv(download(client, "codebook", anonymised, slug))
    ids = {row[0]: row[1] for row in codebook[1:]}
    return [{ids[h]: v for h, v in zip(rows[0], row, strict=True)} for row in rows[1:]]


def test_csv_headers_are_the_question_wording_with_ids_in_the_codebook(app, analyst_client, parish_export_data):
    response = download(analyst_client, "csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="parish-councils-2026-27-responses-'
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = parse_csv(response)
    header = rows[0]
    assert len(set(header)) == len(header)
    assert f"{PRIORITIES} – 1st choice" in header and f"{ISSUES} – Road safety" in header
    assert "Sent at (UK time)" in header and "Reference" in header
    codebook = parse_csv(download(analyst_client, "codebook"))
    assert codebook[0][:2] == ["Column", "Id"] and [row[1] for row in codebook[1:]] == FULL_IDS
    assert [row[0] for row in codebook[1:]] == header
    assert "road-safety = Road safety" in {row[1]: row[5] for row in codebook[1:]}["priorities_first"]
    foxton, fleckney = by_id(analyst_client, rows)
    assert [foxton["reference"], fleckney["reference"]] == ["REF0001", "REF0002"]
    assert foxton["priorities_first"] == "Road safety"
    assert foxton["priorities_third"] == "Something else"
    assert foxton["priorities_other"] == "Hare coursing"
    assert foxton["issues_road-safety"] == "Speeding through the village"
    assert foxton["contact-email"] == "clerk@example.org"
    assert foxton["respondent_type"] == "parish" and foxton["channel"] == "online"
    # ISO 8601 with the UK offset: GMT in November, BST in July.
    assert foxton["submitted_at"] == "2026-11-02T10:00:00+00:00"
    assert fleckney["submitted_at"] == "2026-07-01T11:00:00+01:00"
    # Every field is quoted.
    assert response.get_data().decode("utf-8-sig").splitlines()[1].startswith('"REF0001","')


def test_every_export_is_audited_with_round_format_and_row_count(app, analyst_client, parish_export_data):
    download(analyst_client, "csv")
    download(analyst_client, "json", anonymised=True)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
        ).all()
        assert [e.detail for e in events] == [
            "survey parish-councils-2026-27, round 2026/27, format csv, full, 2 rows",
            "survey parish-councils-2026-27, round 2026/27, format json, anonymised, 2 rows",
        ]
        assert all(e.user_id is not None for e in events)
        assert "Speeding" not in " ".join(e.detail for e in events)


# NUL is covered in the unit tests: PostgreSQL cannot store it in text, so it never reaches an export there.
@pytest.mark.parametrize("payload", ["=1+2", "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", "\nLF", '=1+2";=1+2'])
def test_formula_payloads_are_neutralised_in_csv_and_are_plain_text_in_xlsx(app, analyst_client, payload):
    with app.app_context():
        add_parish_response(payload, issue=payload)
        db.session.commit()
    rows = parse_csv(download(analyst_client, "csv"))
    [row] = by_id(analyst_client, rows)
    for column in ("respondent_name", "area", "council", "issues_road-safety"):
        assert row[column] == "'" + payload, (column, row[column])
    workbook = openpyxl.load_workbook(io.BytesIO(download(analyst_client, "xlsx").get_data()))
    sheet = workbook["Responses"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index(f"{ISSUES} – Road safety") + 1)
    # A text cell, never a formula; no apostrophe in the text: Excel's quote prefix keeps it text.
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == payload.replace("\r", "\n")  # XML reads a CR back as LF


def test_owasp_example_in_csv_is_quoted_and_prefixed(app, analyst_client):
    with app.app_context():
        add_parish_response("Foxton", issue='=1+2";=1+2')
        db.session.commit()
    text = download(analyst_client, "csv").get_data().decode("utf-8-sig")
    assert '"\'=1+2"";=1+2"' in text


def test_xlsx_has_the_same_rows_as_csv_with_date_cells_a_frozen_header_filters_and_a_codebook(
    app, analyst_client, parish_export_data
):
    rows = parse_csv(download(analyst_client, "csv"))
    response = download(analyst_client, "xlsx")
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Responses", "Codebook", "Summary"]
    sheet = workbook["Responses"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(rows[0]))}3"
    time_column = rows[0].index("Sent at (UK time)")
    sheet_rows = list(sheet.iter_rows(values_only=True))
    assert list(sheet_rows[0]) == rows[0]
    for csv_row, xlsx_row in zip(rows[1:], sheet_rows[1:], strict=True):
        moment = xlsx_row[time_column]
        assert isinstance(moment, datetime)
        assert datetime.fromisoformat(csv_row[time_column]).replace(tzinfo=None) == moment
        assert ["" if v is None else str(v) for i, v in enumerate(xlsx_row) if i != time_column] == [
            v for i, v in enumerate(csv_row) if i != time_column
        ]
    assert sheet.cell(row=3, column=time_column + 1).is_date
    assert sheet.cell(row=3, column=time_column + 1).value == datetime(2026, 7, 1, 11, 0)  # UK clock time
    for row in sheet.iter_rows(min_row=2):
        assert all(c.data_type == "s" for i, c in enumerate(row) if c.value is not None and i != time_column)
    codebook = [list(r) for r in workbook["Codebook"].iter_rows(values_only=True)]
    assert [r[1] for r in codebook[1:]] == FULL_IDS
    summary = [[c for c in row if c is not None] for row in workbook["Summary"].iter_rows(values_only=True)]
    assert ["Responses", "2 responses: 2 parish councils"] in summary
    assert ["1", "Road safety", 2, 2, 6, 100] in summary


def test_json_is_nested_by_question_and_matches_csv(app, analyst_client, parish_export_data):
    [foxton, fleckney] = by_id(analyst_client, parse_csv(download(analyst_client, "csv")))
    data = json.loads(download(analyst_client, "json").get_data())
    assert [r["reference"] for r in data] == ["REF0001", "REF0002"]
    first = data[0]
    assert first["submitted_at"] == foxton["submitted_at"] == "2026-11-02T10:00:00+00:00"
    assert first["respondent_name"] == "Foxton"
    priorities = first["answers"]["priorities"]
    assert priorities == {
        "question": PRIORITIES,
        "choices": ["Road safety", "Anti-social behaviour", "Something else"],
        "other": "Hare coursing",
    }
    issues = first["answers"]["issues"]
    assert issues["question"] == ISSUES
    assert issues["parts"]["Road safety"] == "Speeding through the village"
    assert issues["parts"]["Domestic abuse"] is None
    assert first["answers"]["contact-email"] == {"question": "Contact email address", "answer": "clerk@example.org"}
    assert data[1]["submitted_at"] == fleckney["submitted_at"]


def test_every_format_reads_back_with_pandas(app, analyst_client, parish_export_data):
    csv_frame = pd.read_csv(io.BytesIO(download(analyst_client, "csv").get_data()), encoding="utf-8-sig")
    assert list(csv_frame.columns) == parse_csv(download(analyst_client, "csv"))[0]
    assert not any(str(c).endswith(".1") for c in csv_frame.columns)  # no header renamed for clashing
    assert list(csv_frame["Reference"]) == ["REF0001", "REF0002"]
    times = pd.to_datetime(csv_frame["Sent at (UK time)"], utc=True)
    assert list(times.dt.tz_convert("Europe/London").dt.hour) == [10, 11]
    xlsx_frame = pd.read_excel(io.BytesIO(download(analyst_client, "xlsx").get_data()), sheet_name="Responses")
    assert list(xlsx_frame.columns) == list(csv_frame.columns)
    assert pd.api.types.is_datetime64_any_dtype(xlsx_frame["Sent at (UK time)"])
    assert list(xlsx_frame[f"{PRIORITIES} – 1st choice"]) == ["Road safety", "Road safety"]
    json_frame = pd.json_normalize(json.loads(download(analyst_client, "json").get_data()))
    first_choices = list(json_frame["answers.priorities.choices"])[0]
    assert first_choices == ["Road safety", "Anti-social behaviour", "Something else"]
    codebook = pd.read_csv(io.BytesIO(download(analyst_client, "codebook").get_data()), encoding="utf-8-sig")
    assert list(codebook["Column"]) == list(csv_frame.columns)


def test_each_survey_exports_only_its_own_questions(app, analyst_client):
    with app.app_context():
        for slug, answers in (
            (RESIDENTS, {"safe-day": "very-safe", "area": "Foxton"}),
            (PARISH, {"council": "Foxton", "priorities": ["road-safety"], "contact-email": "a@b.org"}),
            (RESIDENTS, {"safe-day": "fairly-safe"}),
        ):
            survey = get_survey(app.config["CONTENT_DIR"], slug)
            respondent = repository.Respondent("resident" if slug == RESIDENTS else "parish")
            repository.save_response(survey, answers, repository.new_submission_key(), respondent)
    for anonymised in (False, True):
        header = parse_csv(download(analyst_client, "csv", anonymised, slug=RESIDENTS))[0]
        ids = [row[1] for row in parse_csv(download(analyst_client, "codebook", anonymised, slug=RESIDENTS))[1:]]
        assert not {"council", "contact-email", "priorities_first", "priorities_1"} & set(ids)
        assert not any("Which council is responding" in h or "Contact email" in h for h in header)
        assert len(set(header)) == len(header)
        # The response's area and the area question: two columns, named apart.
        assert {"Parish or area (from the response)", "Which parish or area do you live in? (optional)"} <= set(header)


def test_anonymised_export_drops_contact_details_names_and_flagged_text(app, analyst_client, parish_export_data):
    rows = parse_csv(download(analyst_client, "csv", anonymised=True))
    assert "anonymised" in download(analyst_client, "csv", anonymised=True).headers["Content-Disposition"]
    ids = [row[1] for row in parse_csv(download(analyst_client, "codebook", anonymised=True))[1:]]
    assert ids == [c for c in FULL_IDS if c not in ("respondent_name", "contact-name", "contact-email")]
    text = "\n".join(",".join(r) for r in rows)
    assert "clerk@example.org" not in text and "Pat Clerk" not in text
    assert "Mr Smith" not in text  # flagged personal by staff
    fleckney = by_id(analyst_client, rows, anonymised=True)[1]
    assert fleckney["reference"] == "REF0002"
    assert fleckney["issues_road-safety"] == ""
    assert fleckney["issues_anti-social-behaviour"] == "Noise"
    data = json.loads(download(analyst_client, "json", anonymised=True).get_data())
    assert "contact-email" not in data[0]["answers"] and "respondent_name" not in data[0]
    assert data[1]["answers"]["issues"]["parts"]["Road safety"] is None


def test_unknown_format_is_a_clear_400(analyst_client):
    response = analyst_client.get(f"/staff/exports/{PARISH}/download?format=exe")
    assert response.status_code == 400
    assert "There is a problem with your request" in response.get_data(as_text=True)


def test_export_page_offers_formats_and_anonymised_option(analyst_client, parish_export_data):
    html = analyst_client.get(f"/staff/exports/{PARISH}").get_data(as_text=True)
    assert "2 responses, one row each" in html
    assert "Anonymised" in html
    assert "the answers to questions that can hold personal details (“Contact name”; “Contact email address”)" in html


def test_export_page_counts_with_a_thousands_separator_and_names_free_text_for_what_it_is(app, analyst_client):
    with app.app_context():
        insert_bulk_responses(1234, RESIDENTS, "2026/27")
    html = analyst_client.get(f"/staff/exports/{RESIDENTS}").get_data(as_text=True)
    assert "1,234 responses, one row each" in html
    assert "contact details" not in html
    assert "personal details (“What would make you feel safer where you live? (optional)”)" in html
