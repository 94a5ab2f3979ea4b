"""One one-time code signs in once, even when several sign-ins send it at the same moment."""

import threading
from datetime import datetime

import pyotp
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.staff.auth import totp
from app.staff.staff_models import StaffUser
from tests.fixtures.staff import csrf_of, submit_password

SESSIONS = 6


def test_the_same_code_sent_by_six_sessions_at_once_signs_in_only_one(app, analyst):
    clients = []
    for _ in range(SESSIONS):
        client = app.test_client()
        assert submit_password(client, analyst).status_code == 302
        clients.append(client)
    forms = [{"csrf_token": csrf_of(c.get("/staff/login/code").get_data(as_text=True))} for c in clients]
    step = int((clock.now() - datetime(1970, 1, 1)).total_seconds()) // totp.STEP_SECONDS
    code = pyotp.TOTP(analyst.secret).at(step * totp.STEP_SECONDS)
    start = threading.Barrier(SESSIONS)
    outcomes: list[str] = []

    def send(client, form):
        start.wait()
        response = client.post("/staff/login/code", data={**form, "code": code})
        outcomes.append(response.headers.get("Location", str(response.status_code)))

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    signed_in = [o for o in outcomes if o.endswith("/staff/")]
    assert len(outcomes) == SESSIONS
    assert len(signed_in) == 1, outcomes
    with app.app_context():
        assert db.session.scalar(select(StaffUser.totp_last_step).where(StaffUser.id == analyst.id)) == step
