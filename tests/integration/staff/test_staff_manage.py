"""Managing a round: paper entry, finding and deleting a response, invitation links, closing
dates, the chase list and comparing rounds."""

import csv
import io
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.staff.staff_models import AuditEvent
from app.surveys import invitations as invitation_api
from app.surveys.questions.definitions import get_survey
from app.surveys.survey_models import Answer, Invitation, Response, RoundSetting
from tests.fixtures.staff import csrf_of, insert_response, ranked_rows

PARISH = "parish-councils-2026-27"
RESIDENTS = "residents-2026-27"
ROUND = "2026/27"


def actions(app, action):
    with app.app_context():
        return [
            e.detail
            for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        ]


def test_paper_entry_is_refused_to_anonymous_visitors(client):
    page = client.get("/staff/login")
    response = client.post(f"/staff/paper/{RESIDENTS}", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    assert "/staff/login" in response.headers["Location"]
    with client.session_transaction() as s:
        assert "paper_sitting" not in s


def test_results_can_be_filtered_by_channel(app, analyst_client):
    with app.app_context():
        insert_response(RESIDENTS, ROUND, [("safe-day", "", "very-safe")], channel="paper")
        insert_response(RESIDENTS, ROUND, [("safe-day", "", "very-unsafe")])
        db.session.commit()
    html = analyst_client.get(f"/staff/results/{RESIDENTS}?channel=paper").get_data(as_text=True)
    assert "1 response: 1 resident (1 on paper)" in html


def test_find_show_and_delete_a_response_by_reference(app, admin_client):
    with app.app_context():
        insert_response(
            PARISH,
            ROUND,
            ranked_rows("priorities", ["road-safety", "fraud-cybercrime", "drugs-alcohol"])
            + [("contact-email", "", "clerk@example.org", True)],
            respondent_type="parish",
            respondent_name="Foxton",
            reference="HX7K2M9P",
        )
        db.session.commit()
    response = admin_client.get("/staff/responses?reference=hx7k 2m9p")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/responses/HX7K2M9P")
    html = admin_client.get("/staff/responses/HX7K2M9P").get_data(as_text=True)
    assert "Road safety" in html and "Choice 1" in html and "clerk@example.org" in html
    assert actions(app, "response viewed") == ["reference HX7K2M9P"]
    confirm = admin_client.get("/staff/responses/HX7K2M9P/delete")
    done = admin_client.post(
        "/staff/responses/HX7K2M9P/delete", data={"csrf_token": csrf_of(confirm.get_data(as_text=True))}
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert actions(app, "response deleted") == [f"reference HX7K2M9P, survey {PARISH}, 1 version(s)"]
    assert admin_client.get("/staff/responses/HX7K2M9P").status_code == 404


def test_deleting_an_amended_response_erases_every_version(app, admin_client):
    with app.app_context():
        old = insert_response(PARISH, ROUND, [], respondent_type="parish", is_current=False, reference="OLD00001")
        new = insert_response(PARISH, ROUND, [], respondent_type="parish", reference="NEW00001")
        new.supersedes_id = old.id
        db.session.commit()
    page = admin_client.get("/staff/responses/OLD00001/delete")
    admin_client.post("/staff/responses/OLD00001/delete", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_unknown_reference_gets_a_message_beside_the_field(analyst_client):
    response = analyst_client.get("/staff/responses?reference=NOPE")
    html = response.get_data(as_text=True)
    assert "No response has that reference number" in html and "<title>Error:" in html


def _post_form(client, url, data, prefix):
    page = client.get(url)
    token = re.search(rf'name="{prefix}csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(url, data={f"{prefix}csrf_token": token, **data})


def test_issue_list_revoke_and_reissue_invitation_links(app, admin_client):
    url = f"/staff/invitations/{PARISH}"
    response = _post_form(admin_client, url, {"action": "one", "one-parish": "Foxton", "one-output": "page"}, "one-")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "They will not be shown again" in html
    token = re.search(r"/invite/([A-Za-z0-9_-]{43})", html).group(1)
    with app.app_context():
        invitation = invitation_api.find_by_token(token)
        assert invitation.respondent_name == "Foxton" and invitation.round == ROUND
        invitation_id = invitation.id
    listing = admin_client.get(url).get_data(as_text=True)
    assert "Foxton" in listing and "Not used" in listing
    assert token not in listing  # shown once only
    page = admin_client.get(url)
    admin_client.post(f"{url}/{invitation_id}/revoke", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    with app.app_context():
        assert invitation_api.find_by_token(token).is_revoked
    page = admin_client.get(url)
    reissued = admin_client.post(
        f"{url}/{invitation_id}/reissue", data={"csrf_token": csrf_of(page.get_data(as_text=True))}
    )
    new_token = re.search(r"/invite/([A-Za-z0-9_-]{43})", reissued.get_data(as_text=True)).group(1)
    assert new_token != token
    assert actions(app, "invitations issued") == [f"survey {PARISH}, 1 link(s): Foxton"]
    assert actions(app, "invitation revoked") == [f"survey {PARISH}, Foxton"]
    assert len(actions(app, "invitation reissued")) == 1
    assert token not in " ".join(actions(app, "invitations issued") + actions(app, "invitation reissued"))


def test_links_for_every_parish_download_as_a_mail_merge_csv(app, admin_client):
    from app.surveys.parishes import load_parishes

    parishes = load_parishes(app.config["CONTENT_DIR"])
    url = f"/staff/invitations/{PARISH}"
    response = _post_form(admin_client, url, {"action": "all", "all-output": "csv"}, "all-")
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{PARISH}-invitation-links-')
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["respondent", "type", "ward", "link"]
    assert sorted(r[0] for r in rows[1:]) == sorted(p.name for p in parishes)
    assert all("/invite/" in r[3] for r in rows[1:])
    # Again, without "replace": nothing new, and a message says why.
    again = _post_form(admin_client, url, {"action": "all", "all-output": "csv"}, "all-")
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == len(parishes)
    replaced = _post_form(admin_client, url, {"action": "all", "all-output": "page", "all-replace": "y"}, "all-")
    assert replaced.status_code == 200
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.revoked_at.is_(None))
        ) == len(parishes)


def test_councillor_invitation_needs_name_and_ward(app, admin_client):
    url = f"/staff/invitations/{PARISH}"
    response = _post_form(
        admin_client, url, {"action": "councillor", "councillor-councillor": "", "councillor-ward": ""}, "councillor-"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the councillor&#39;s name" in html and "Enter the ward" in html
    ok = _post_form(
        admin_client,
        url,
        {
            "action": "councillor",
            "councillor-councillor": "Cllr Jo Bloggs",
            "councillor-ward": "Lubenham",
            "councillor-output": "page",
        },
        "councillor-",
    )
    assert "Cllr Jo Bloggs" in ok.get_data(as_text=True)


def test_residents_survey_has_no_invitation_page(admin_client):
    assert admin_client.get(f"/staff/invitations/{RESIDENTS}").status_code == 404


def test_chase_list_shows_who_has_answered_and_link_status(app, analyst_client):
    with app.app_context():
        survey = get_survey(app.config["CONTENT_DIR"], PARISH)
        invitation, _ = invitation_api.issue(survey, "Foxton", "parish")
        insert_response(
            PARISH, ROUND, [], respondent_type="parish", respondent_name="Foxton", invitation_id=invitation.id
        )
        invitation_api.issue(survey, "Fleckney", "parish")
        db.session.commit()
    html = analyst_client.get("/staff/rounds/2026-27").get_data(as_text=True)
    assert "Which parishes have answered" in html
    foxton = re.search(r"Foxton Parish Council</th>(.*?)</tr>", html, re.S).group(1)
    fleckney = re.search(r"Fleckney Parish Council</th>(.*?)</tr>", html, re.S).group(1)
    billesdon = re.search(r"Billesdon Parish Council</th>(.*?)</tr>", html, re.S).group(1)
    assert "Yes" in foxton
    assert "Not yet" in fleckney and "Link made, not emailed" in fleckney
    assert "Not yet" in billesdon and "Not sent" in billesdon
    assert "1 response: 1 parish council" in html


def test_close_early_extend_and_undo(app, admin_client):
    url = f"/staff/surveys/{RESIDENTS}/dates"
    page = admin_client.get(url)
    assert page.status_code == 200
    today = clock.now().date()
    admin_client.post(url, data={"csrf_token": csrf_of(page.get_data(as_text=True)), "action": "close"})
    with app.app_context():
        assert db.session.scalar(select(RoundSetting.closes_override)) == today - timedelta(days=1)
    assert "closed" in admin_client.get(url).get_data(as_text=True)
    new = date(2027, 3, 31)
    page = admin_client.get(url)
    admin_client.post(
        url,
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "action": "set",
            "closes-day": "31",
            "closes-month": "3",
            "closes-year": "2027",
        },
    )
    with app.app_context():
        assert db.session.scalar(select(RoundSetting.closes_override)) == new
    assert "31 March 2027 (changed by staff)" in admin_client.get("/staff/").get_data(as_text=True)
    page = admin_client.get(url)
    bad = admin_client.post(
        url,
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "action": "set",
            "closes-day": "31",
            "closes-month": "2",
            "closes-year": "2027",
        },
    )
    assert bad.status_code == 400 and "The closing date must be a real date" in bad.get_data(as_text=True)
    page = admin_client.get(url)
    admin_client.post(url, data={"csrf_token": csrf_of(page.get_data(as_text=True)), "action": "clear"})
    with app.app_context():
        assert db.session.scalar(select(RoundSetting.closes_override)) is None
    assert len(actions(app, "round dates changed")) == 3


def test_compare_rounds_uses_historic_results_and_live_answers(app, analyst_client):
    with app.app_context():
        for _ in range(2):
            insert_response(
                PARISH,
                ROUND,
                ranked_rows("priorities", ["road-safety", "fraud-cybercrime", "drugs-alcohol"]),
                respondent_type="parish",
            )
        db.session.commit()
    html = analyst_client.get("/staff/compare/parish").get_data(as_text=True)
    row = re.search(r"Road safety</th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S)
    # 2017: rank 1, in 13 of 13 top threes; 2019/20: rank 1 (no share published); 2026/27: 2 of 2.
    assert [c.strip() for c in cells] == ["1 (100%)", "1", "1 (100%)"]
    residents = analyst_client.get("/staff/compare/resident").get_data(as_text=True)
    assert "Feel safe after dark" in residents and "94%" in residents
