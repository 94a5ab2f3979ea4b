"""An area that staff marked personal (say, "Other" text naming a street) leaves the anonymised
export, and the retention purge clears it from the response."""

import csv
import io
from datetime import timedelta

from app import clock
from app.extensions import db
from app.surveys.survey_models import Response
from tests.fixtures.staff import insert_response

RESIDENTS = "residents-2026-27"
ROUND = "2026/27"
STREET = "Flat 2, 14 Elm Road, Fleckney"


def add(submitted_at, area=STREET, personal=True, reference=None):
    return insert_response(
        RESIDENTS,
        ROUND,
        [("safe-day", "", "very-safe"), ("area", "", "other"), ("area", "other", area, personal)],
        area=area,
        submitted_at=submitted_at,
        reference=reference,
        stored={"safe-day": "very-safe", "area": "other", "area:other": area},
    )


def test_the_anonymised_export_leaves_out_an_area_marked_personal(app, analyst_client):
    with app.app_context():
        add(clock.now(), reference="REFP0001")
        add(clock.now(), area="Foxton", personal=False, reference="REFP0002")
        db.session.commit()
    body = analyst_client.get(f"/staff/exports/{RESIDENTS}/download?format=csv&anonymised=yes").get_data()
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    area = header.index("Parish or area (from the response)")  # not the question of the same name
    assert STREET not in body.decode("utf-8-sig")
    assert {r[0]: r[area] for r in rows} == {"REFP0001": "", "REFP0002": "Foxton"}
    full = analyst_client.get(f"/staff/exports/{RESIDENTS}/download?format=csv&anonymised=no").get_data()
    assert STREET in full.decode("utf-8-sig")


def test_the_retention_purge_clears_an_area_that_was_personal(app):
    with app.app_context():
        personal = add(clock.now() - timedelta(days=400)).id
        plain = add(clock.now() - timedelta(days=400), area="Foxton", personal=False).id
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["responses", "purge", "--older-than", "12m"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Response, personal).area is None
        assert db.session.get(Response, plain).area == "Foxton"
