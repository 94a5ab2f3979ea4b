"""Invitation links: exchanged for a session, amendable until the round closes, refusable."""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.surveys import invitations
from app.surveys.questions.definitions import get_survey
from app.surveys.survey_models import Invitation, Response
from tests.fixtures.surveys import PARISH_PAGES, PARISH_SLUG


def test_a_link_is_exchanged_for_a_session_and_the_token_leaves_the_url(app, respondent, invite):
    token = invite("Fleckney")
    response = respondent.get(f"/invite/{token}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/consultations/{PARISH_SLUG}"
    assert token not in response.headers["Location"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}")
    assert token not in html and "You are answering for <strong>Fleckney</strong>" in html
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.first_used_at is not None
        assert invitation.token_hash == invitations.hash_token(token) and token not in invitation.token_hash
        assert invitations.status(invitation) == "opened"


def test_tokens_are_long_random_and_stored_hashed(app, invite):
    tokens = {invite("Foxton") for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 43 for t in tokens)  # 32 random bytes
    with app.app_context():
        hashes = db.session.scalars(select(Invitation.token_hash)).all()
        assert not set(hashes) & tokens and all(len(h) == 64 for h in hashes)


def test_a_council_comes_back_through_its_link_to_change_its_answer(app, respondent, new_respondent, invite):
    token = invite("Great Glen")
    respondent.get(f"/invite/{token}")
    first = respondent.complete(PARISH_SLUG, PARISH_PAGES)

    # Later, perhaps on the clerk's other computer: the link again, answers pre-filled.
    later = new_respondent()
    later.get(f"/invite/{token}")
    html = later.page_html(f"/consultations/{PARISH_SLUG}")
    assert f"(reference {first})" in html and "Change your answers" in html
    html = later.page_html(f"/consultations/{PARISH_SLUG}/priorities")
    assert '<option value="road-safety" selected' in html
    changed = {
        **PARISH_PAGES,
        "priorities": {**PARISH_PAGES["priorities"], "priorities-1": "violent-crime"},
        "local-issues": {**PARISH_PAGES["local-issues"], "issues-violent-crime": "Fights at closing time"},
    }
    del changed["local-issues"]["issues-road-safety"]
    second = later.complete(PARISH_SLUG, changed)
    assert second != first

    with app.app_context():
        old, new = db.session.scalars(select(Response).order_by(Response.id)).all()
        assert (old.reference, old.is_current) == (first, False)
        assert (new.reference, new.is_current, new.supersedes_id) == (second, True, old.id)
        assert old.answers["priorities"][0] == "road-safety"  # history kept as it was
        assert new.answers["priorities"][0] == "violent-crime"
        assert invitations.status(db.session.get(Invitation, new.invitation_id)) == "answered"


def test_an_invalid_link_gets_a_clear_page(respondent):
    response = respondent.get("/invite/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)
    assert respondent.get("/invite/" + "x" * 500).status_code == 404


def test_a_revoked_link_gets_a_clear_page_and_stops_working_mid_way(app, respondent, invite):
    token = invite("Kibworth Beauchamp")
    respondent.get(f"/invite/{token}")
    respondent.answer(PARISH_SLUG, "priorities", PARISH_PAGES["priorities"])
    with app.app_context():
        invitations.revoke(invitations.find_by_token(token))
        assert invitations.status(invitations.find_by_token(token)) == "revoked"
    response = respondent.get(f"/consultations/{PARISH_SLUG}/local-issues")
    assert response.status_code == 410 and "This link has been cancelled" in response.get_data(as_text=True)
    response = respondent.get(f"/invite/{token}")
    assert response.status_code == 410 and "This link has been cancelled" in response.get_data(as_text=True)


def test_reissue_revokes_the_old_link(app, respondent, invite):
    token = invite("Medbourne")
    with app.app_context():
        new, new_token = invitations.reissue(invitations.find_by_token(token))
        assert new.respondent_name == "Medbourne" and new_token != token
    assert respondent.get(f"/invite/{token}").status_code == 410
    assert respondent.get(f"/invite/{new_token}").status_code == 303


def test_a_link_for_another_round_is_refused(app, respondent):
    with app.app_context():
        survey = get_survey(app.config["CONTENT_DIR"], PARISH_SLUG)
        invitation, token = invitations.issue(survey, "Foxton", "parish")
        invitation.round = "2025/26"  # last year's link for a survey with the same address
        db.session.commit()
    response = respondent.get(f"/invite/{token}")
    assert response.status_code == 404
    assert "This link is for a different survey" in response.get_data(as_text=True)


def test_a_link_after_the_round_closed_is_refused_and_answers_kept(app, respondent, invite, monkeypatch):
    token = invite("Hallaton")
    respondent.get(f"/invite/{token}")
    respondent.complete(PARISH_SLUG, PARISH_PAGES)
    monkeypatch.setitem(app.config, "SURVEY_TODAY", date(2027, 2, 1))
    response = respondent.get(f"/invite/{token}")
    assert response.status_code == 410
    assert "The survey closed on 31 January 2027" in response.get_data(as_text=True)
    # The session from before cannot change the answer either.
    response = respondent.get(f"/consultations/{PARISH_SLUG}/priorities")
    assert response.status_code == 410 and "This survey has closed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Response).count() == 1


def test_without_a_link_the_parish_survey_explains_how_to_get_one(respondent):
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}")
    assert "How to answer for your council" in html and "Start now" not in html
    response = respondent.get(f"/consultations/{PARISH_SLUG}/your-council")
    assert response.status_code == 403
    assert "You need your council's link to answer this survey" in response.get_data(as_text=True)


def test_a_survey_may_allow_councils_to_answer_without_a_link(app, respondent, content_copy):
    path = content_copy / "surveys" / f"{PARISH_SLUG}.md"
    path.write_text(path.read_text().replace("allow_without_invitation: false", "allow_without_invitation: true"))
    response = respondent.answer(PARISH_SLUG, "your-council", {"council": "Lutterworth"})
    assert response.status_code == 303
    respondent.complete(PARISH_SLUG, PARISH_PAGES)
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert (response.respondent_type, response.respondent_name, response.invitation_id) == (
            "parish",
            "Lutterworth",
            None,
        )
