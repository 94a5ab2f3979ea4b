"""Synthetic residents' responses for the staff benches (bench/staff_results.py, staff_exports.py).

Rows go in with Core executemany inserts in batches, with ids chosen here so answers need no
round trip per response. The answers follow the residents' survey in content/surveys.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

SURVEY = "residents-2026-27"
ROUND = "2026/27"
SAFETY = ["very-safe", "fairly-safe", "a-bit-unsafe", "very-unsafe", "dont-know"]
SAFETY_WEIGHTS = [35, 40, 15, 5, 5]
ITEMS = [
    "litter",
    "drunk-rowdy",
    "drugs",
    "criminal-damage",
    "speeding",
    "burglary",
    "vehicle-crime",
    "anti-social-behaviour",
    "violent-crime",
    "fraud-scams",
]
SCALE = ["not-a-problem", "a-bit", "big", "dont-know"]
CONCERNS = ITEMS + ["other"]
AGES = ["under-18", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-plus", "prefer-not-to-say"]
AREAS = [
    "Billesdon",
    "Broughton Astley",
    "Fleckney",
    "Foxton",
    "Great Bowden",
    "Great Glen",
    "Hallaton",
    "Husbands Bosworth",
    "Kibworth Beauchamp",
    "Lutterworth",
    "Market Harborough",
    "Scraptoft",
]
PHRASES = [
    "More police patrols in the evening",
    "Better street lighting near the park",
    "Slow the traffic on the main road",
    "Something for young people to do",
    "Clear up the fly-tipping",
    "CCTV in the town centre",
]
BATCH = 5000


def database_urls() -> Iterator[tuple[str, str]]:
    """(label, URL): a fresh SQLite file (deleted once the caller moves on), and PostgreSQL when
    BENCH_DATABASE_URL is set."""
    with tempfile.TemporaryDirectory(prefix="staff-bench-") as folder:
        yield ("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}")
    if os.environ.get("BENCH_DATABASE_URL"):
        from app.config import database_url

        yield ("PostgreSQL", database_url(os.environ["BENCH_DATABASE_URL"]))


def make_app(url: str, fresh: bool = True):
    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    if fresh:
        with app.app_context():
            db.drop_all()
            db.create_all()
    return app


def _answers(rng: random.Random, response_id: int) -> list[dict]:
    rows = [
        {
            "response_id": response_id,
            "question_id": "safe-day",
            "part": "",
            "value": rng.choices(SAFETY, SAFETY_WEIGHTS)[0],
            "personal": False,
        },
        {
            "response_id": response_id,
            "question_id": "safe-after-dark",
            "part": "",
            "value": rng.choices(SAFETY, [15, 35, 30, 15, 5])[0],
            "personal": False,
        },
    ]
    rows += [
        {
            "response_id": response_id,
            "question_id": "problems",
            "part": item,
            "value": rng.choice(SCALE),
            "personal": False,
        }
        for item in ITEMS
    ]
    for place, option in enumerate(rng.sample(CONCERNS, 3), start=1):
        rows.append(
            {
                "response_id": response_id,
                "question_id": "top-concerns",
                "part": str(place),
                "value": option,
                "personal": False,
            }
        )
        if option == "other":
            rows.append(
                {
                    "response_id": response_id,
                    "question_id": "top-concerns",
                    "part": "other",
                    "value": "Loose dogs",
                    "personal": True,
                }
            )
    if rng.random() < 0.3:
        rows.append(
            {
                "response_id": response_id,
                "question_id": "feel-safer",
                "part": "",
                "value": f"{rng.choice(PHRASES)} ({response_id})",
                "personal": True,
            }
        )
    if rng.random() < 0.8:
        rows.append(
            {
                "response_id": response_id,
                "question_id": "age-band",
                "part": "",
                "value": rng.choice(AGES),
                "personal": False,
            }
        )
    return rows


def _stored(rows: list[dict]) -> dict:
    """The response's own copy of its answers, in the surveys feature's format."""
    stored: dict = {}
    for r in rows:
        qid, part, value = r["question_id"], r["part"], r["value"]
        if part == "other":
            stored[f"{qid}:other"] = value
        elif part.isdigit():
            stored.setdefault(qid, []).append(value)
        elif part:
            stored.setdefault(qid, {})[part] = value
        else:
            stored[qid] = value
    return stored


def _copy(conn, table: str, rows: list[dict]) -> None:
    """PostgreSQL's COPY: far quicker than INSERTs for a million rows."""
    if not rows:
        return
    columns = list(rows[0])
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in (row[c] for c in columns)])


def fill(app, first_id: int, count: int, seed: int = 2026) -> None:
    """Insert `count` responses with ids first_id, first_id + 1, ..."""
    from app.extensions import db
    from app.surveys.survey_models import Answer, Response, SurveyVersion

    rng = random.Random(seed + first_id)
    start = datetime(2026, 10, 1, 8, 0)
    with app.app_context():
        version_id = db.session.scalar(select(SurveyVersion.id).where(SurveyVersion.survey_slug == SURVEY))
        if version_id is None:
            version = SurveyVersion(survey_slug=SURVEY, round=ROUND, definition_hash="bench-" + SURVEY, definition={})
            db.session.add(version)
            db.session.commit()
            version_id = version.id
        db.session.remove()  # end the session's transaction: on SQLite it holds the write lock
        with db.engine.begin() as conn:
            for batch_start in range(first_id, first_id + count, BATCH):
                responses, answers = [], []
                for rid in range(batch_start, min(batch_start + BATCH, first_id + count)):
                    area = rng.choice(AREAS) if rng.random() < 0.7 else None
                    rows = _answers(rng, rid)
                    if area:
                        rows.append(
                            {"response_id": rid, "question_id": "area", "part": "", "value": area, "personal": False}
                        )
                    answers += rows
                    responses.append(
                        {
                            "id": rid,
                            "reference": f"B{rid:09d}",
                            "submission_key": f"bench-{rid}",
                            "survey_slug": SURVEY,
                            "round": ROUND,
                            "version_id": version_id,
                            "audience": "resident",
                            "respondent_type": "resident",
                            "respondent_name": None,
                            "area": area,
                            "channel": "paper" if rng.random() < 0.05 else "online",
                            "is_current": True,
                            "possible_duplicate": False,
                            "answers": _stored(rows),
                            "submitted_at": start + timedelta(minutes=rng.randrange(0, 120 * 24 * 60)),
                        }
                    )
                if conn.dialect.name == "postgresql":
                    _copy(conn, "response", responses)
                    _copy(conn, "answer", answers)
                else:
                    conn.execute(Response.__table__.insert(), responses)
                    conn.execute(Answer.__table__.insert(), answers)
            if conn.dialect.name == "postgresql":
                # Ids were chosen here: move the sequences on so later inserts do not collide.
                for table in ("response", "answer"):
                    conn.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                    )
        if db.engine.dialect.name == "postgresql":
            # Fresh statistics, as autovacuum would give a real database after a while.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE response"))
                conn.execute(text("ANALYZE answer"))


def count(app) -> int:
    from app.extensions import db
    from app.surveys.survey_models import Response

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response)) or 0


def signed_in_client(app):
    """An admin signed in through the real login pages (password, then a one-time code)."""
    from support.staff_accounts import create_staff, sign_in

    account = create_staff(app, "admin", email=f"bench-{os.getpid()}-{random.randrange(10**9)}@example.org")
    client = app.test_client()
    sign_in(app, client, account)
    return client
