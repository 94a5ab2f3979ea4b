"""Exports: columns, BOM, formula payloads neutralised, the same rows in CSV, XLSX and JSON,
the anonymised option, streaming headers and the audit trail."""

import csv
import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from app.extensions import db
from app.staff.models import AuditEvent
from tests.fixtures.staff import insert_response, ranked_rows

PARISH = "parish-councils-2026-27"
ROUND = "2026/27"
PARISH_ISSUE_COLUMNS = [f"issues_{o}" for o in (
    "road-safety", "acquisitive-crime", "anti-social-behaviour", "violent-crime", "domestic-abuse",
    "vulnerable-people", "fraud-cybercrime", "drugs-alcohol", "criminal-damage", "other")]
FULL_COLUMNS = (["reference", "submitted_at", "channel", "respondent_type", "area", "respondent_name",
                 "council", "council_other", "priorities_first", "priorities_second", "priorities_third",
                 "priorities_other"] + PARISH_ISSUE_COLUMNS + ["meeting-date", "contact-name", "contact-email"])


def add_parish_response(name, issue="Speeding through the village", flagged=False, **kwargs):
    return insert_response(PARISH, ROUND, ranked_rows("priorities", ["road-safety", "anti-social-behaviour", "other"]) + [
        ("council", "", name), ("priorities", "other", "Hare coursing"),
        ("issues", "issues:road-safety", issue, flagged), ("issues", "issues:anti-social-behaviour", "Noise"),
        ("contact-name", "", "Pat Clerk", True), ("contact-email", "", "clerk@example.org", True),
    ], respondent_type="parish", respondent_name=name, area=name, **kwargs)


@pytest.fixture
def parish_export_data(app):
    with app.app_context():
        add_parish_response("Foxton", reference="REF0001")
        add_parish_response("Fleckney", issue="Names a neighbour, Mr Smith", flagged=True, reference="REF0002")
        insert_response(PARISH, ROUND, ranked_rows("priorities", ["other", "domestic-abuse", "fraud-cybercrime"]),
                        respondent_type="parish", respondent_name="Foxton", is_current=False, reference="OLD0001")
        db.session.commit()


def download(client, fmt, anonymised=False, slug=PARISH):
    response = client.get(f"/staff/exports/{slug}/download?format={fmt}&anonymised={'yes' if anonymised else 'no'}")
    assert response.status_code == 200, response.status_code
    return response


def parse_csv(response):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_one_column_per_question_part_and_one_row_per_current_response(app, analyst_client, parish_export_data):
    response = download(analyst_client, "csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="parish-councils-2026-27-responses-')
    assert response.headers["Cache-Control"] == "no-store"
    rows = parse_csv(response)
    assert rows[0] == FULL_COLUMNS
    assert [r[0] for r in rows[1:]] == ["REF0001", "REF0002"]
    foxton = dict(zip(rows[0], rows[1]))
    assert foxton["priorities_first"] == "Road safety"
    assert foxton["priorities_second"] == "Anti-social behaviour"
    assert foxton["priorities_third"] == "Something else"
    assert foxton["priorities_other"] == "Hare coursing"
    assert foxton["issues_road-safety"] == "Speeding through the village"
    assert foxton["contact-email"] == "clerk@example.org"
    assert foxton["respondent_type"] == "parish" and foxton["channel"] == "online"
    assert foxton["submitted_at"] == "2026-11-02 10:00:00"
    # Every field is quoted.
    assert response.get_data().decode("utf-8-sig").splitlines()[1].startswith('"REF0001","')


def test_every_export_is_audited_with_round_format_and_row_count(app, analyst_client, parish_export_data):
    download(analyst_client, "csv")
    download(analyst_client, "json", anonymised=True)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)).all()
        assert [e.detail for e in events] == [
            "survey parish-councils-2026-27, round 2026/27, format csv, full, 2 rows",
            "survey parish-councils-2026-27, round 2026/27, format json, anonymised, 2 rows",
        ]
        assert all(e.user_id is not None for e in events)
        assert "Speeding" not in " ".join(e.detail for e in events)


# NUL is covered in the unit tests: PostgreSQL cannot store it in text, so it never reaches an export there.
@pytest.mark.parametrize("payload", ["=1+2", "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", "\nLF", '=1+2";=1+2'])
def test_formula_payloads_are_neutralised_in_csv_and_xlsx(app, analyst_client, payload):
    with app.app_context():
        add_parish_response(payload, issue=payload)
        db.session.commit()
    rows = parse_csv(download(analyst_client, "csv"))
    row = dict(zip(rows[0], rows[1]))
    for column in ("respondent_name", "area", "council", "issues_road-safety"):
        assert row[column] == "'" + payload, (column, row[column])
    workbook = openpyxl.load_workbook(io.BytesIO(download(analyst_client, "xlsx").get_data()))
    sheet = workbook["Responses"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("issues_road-safety") + 1)
    assert cell.data_type == "s"
    # XML reads a CR back as LF; the apostrophe stays first.
    assert cell.value == "'" + payload.replace("\r", "\n")


def test_owasp_example_in_csv_is_quoted_and_prefixed(app, analyst_client):
    with app.app_context():
        add_parish_response("Foxton", issue='=1+2";=1+2')
        db.session.commit()
    text = download(analyst_client, "csv").get_data().decode("utf-8-sig")
    assert '"\'=1+2"";=1+2"' in text


def test_xlsx_opens_and_has_the_same_rows_as_csv_plus_a_summary(app, analyst_client, parish_export_data):
    rows = parse_csv(download(analyst_client, "csv"))
    response = download(analyst_client, "xlsx")
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Responses", "Summary"]
    sheet_rows = [["" if v is None else str(v) for v in row] for row in workbook["Responses"].iter_rows(values_only=True)]
    assert sheet_rows == rows
    for row in workbook["Responses"].iter_rows(min_row=2):
        assert all(c.data_type == "s" for c in row if c.value is not None)
    summary = [[c for c in row if c is not None] for row in workbook["Summary"].iter_rows(values_only=True)]
    assert ["Responses", "2 responses: 2 parish councils"] in summary
    assert ["1", "Road safety", 2, 2, 6, 100] in summary


def test_json_parses_and_matches_csv(app, analyst_client, parish_export_data):
    rows = parse_csv(download(analyst_client, "csv"))
    data = json.loads(download(analyst_client, "json").get_data())
    assert [list(item) for item in data] == [rows[0]] * 2
    assert [["" if v is None else v for v in item.values()] for item in data] == rows[1:]


def test_anonymised_export_drops_contact_details_names_and_flagged_text(app, analyst_client, parish_export_data):
    rows = parse_csv(download(analyst_client, "csv", anonymised=True))
    assert "anonymised" in analyst_client.get(
        f"/staff/exports/{PARISH}/download?format=csv&anonymised=yes").headers["Content-Disposition"]
    header = rows[0]
    assert header == [c for c in FULL_COLUMNS if c not in ("respondent_name", "contact-name", "contact-email")]
    text = "\n".join(",".join(r) for r in rows)
    assert "clerk@example.org" not in text and "Pat Clerk" not in text
    assert "Mr Smith" not in text  # flagged personal by staff
    fleckney = dict(zip(header, rows[2]))
    assert fleckney["reference"] == "REF0002"
    assert fleckney["issues_road-safety"] == ""
    assert fleckney["issues_anti-social-behaviour"] == "Noise"
    data = json.loads(download(analyst_client, "json", anonymised=True).get_data())
    assert "contact-email" not in data[0] and data[1]["issues_road-safety"] is None


def test_unknown_format_is_a_clear_400(analyst_client):
    response = analyst_client.get(f"/staff/exports/{PARISH}/download?format=exe")
    assert response.status_code == 400
    assert "There is a problem with your request" in response.get_data(as_text=True)


def test_export_page_offers_formats_and_anonymised_option(analyst_client, parish_export_data):
    html = analyst_client.get(f"/staff/exports/{PARISH}").get_data(as_text=True)
    assert "2 responses, one row each" in html
    assert "Anonymised" in html and "Contact email address" in html
