"""Hostile input sent to every form and query parameter the site has: each gets a clear page
(4xx, or the form again with its error summary), never a 500 or a traceback, markup always comes
back escaped, and nothing partial is stored.

Forms are found, not listed: the residents' survey is walked page by page from its start page,
staff sign-in from `staff.login`, query parameters are tried on every argument-free public page,
and slugs on every public rule that takes one.
"""

import csv
import io
import re
import secrets
import zipfile
from io import BytesIO
from urllib.parse import quote, urlsplit

import pyotp
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.staff.staff_models import StaffSession
from app.surveys.survey_models import Answer, Draft, Invitation, Response
from bench.survey_client import fill, is_honeypot, primary_form
from tests.browser import data

# The emergency banner every page of the site design carries (its numbers are tap-to-call links).
SITE_BANNER = 'In an emergency call <a class="govuk-link" href="tel:999">999</a>'

XSS = '<script>alert("quality-xss")</script>'
ATTRIBUTE_XSS = '" onmouseover="alert(\'quality-attr\')" x="'
HOSTILE_TEXT = {
    "xss": XSS + ATTRIBUTE_XSS,
    "sql": "'; DROP TABLE response; -- \" OR 1=1 --",
    "null byte": "before\x00after",
    "very long": "A" * 100_000,
    "control and bidi characters": "\x1b[31m\u202eevil\u0007",
}
BOGUS_OPTION = "'; DROP TABLE answer; --"
PUBLIC_BLUEPRINTS = ("site", "surveys", "published")


def body(response) -> str:
    return response.get_data(as_text=True)


def assert_clear_page(response, what: str, allow_ok: bool = True):
    """A page a person can read: 4xx with the site's error page or the form with its errors."""
    html = body(response)
    assert response.status_code < 500, f"{what}: {response.status_code}"
    assert "Traceback" not in html and "Werkzeug Debugger" not in html, f"{what}: shows a traceback"
    assert XSS not in html and "onmouseover=\"alert('quality-attr')\"" not in html, (
        f"{what}: markup came back unescaped"
    )
    if response.status_code >= 400 and "text/html" in response.content_type:
        assert SITE_BANNER in html or response.status_code == 429, f"{what}: not the site's page"
    if response.status_code < 300 and not allow_ok:
        raise AssertionError(f"{what}: accepted with {response.status_code}")


def counts() -> dict:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in (Response, Answer)
    }


def argument_free_public_paths(app) -> list[str]:
    return sorted(
        {
            r.rule
            for r in app.url_map.iter_rules()
            if "GET" in r.methods and not r.arguments and r.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS
        }
    )


# --- walking the survey with the test client ----------------------------------------------


class Respondent:
    """The test client answering the residents' survey like a browser (cookies, CSRF token)."""

    def __init__(self, app, slug: str):
        self.client = app.test_client()
        self.slug = slug

    def get(self, path: str):
        response = self.client.get(path, follow_redirects=True)
        return response, BeautifulSoup(body(response), "html.parser")

    def start(self):
        response, soup = self.get(f"/consultations/{self.slug}")
        start = soup.select_one("main a.govuk-button--start")
        assert start is not None, "no Start button on the survey's start page"
        return self.get(start["href"])

    def post(self, path: str, fields=None, **kwargs):
        if isinstance(fields, list):
            fields = MultiDict(fields)
        return self.client.post(path, data=fields if fields is not None else kwargs.pop("data"), **kwargs)


def question_pages(app, slug: str):
    """Walk the survey with valid answers, yielding (path, form fields, soup) for each page with a
    form, up to and including Check your answers; returns the respondent at the end."""
    respondent = Respondent(app, slug)
    response, soup = respondent.start()
    path = urlsplit(response.request.url).path
    for _ in range(20):
        form, button = primary_form(soup)
        assert form is not None, f"no form on {path}"
        action = form.get("action") or path
        fields = fill(form, button)
        yield respondent, action, fields, soup  # the caller may change `fields` in place
        response = respondent.post(action, fields, follow_redirects=True)
        soup = BeautifulSoup(body(response), "html.parser")
        assert not soup.select_one(".govuk-error-summary"), f"valid answers refused on {action}"
        path = urlsplit(response.request.url).path
        if "confirmation" in path:
            return


@pytest.fixture
def resident_slug(app):
    return data.survey(app, "resident").slug


def is_choice(soup, name: str) -> bool:
    element = soup.select_one(f'[name="{name}"]')
    return element is not None and (element.name == "select" or element.get("type") in ("radio", "checkbox"))


def is_text(soup, name: str) -> bool:
    """A box a respondent types into (not the honeypot, which is silently dropped by design)."""
    element = soup.select_one(f'[name="{name}"]')
    if element is None or is_honeypot(element):
        return False
    return element.name == "textarea" or (
        element.name == "input" and element.get("type", "text") in ("text", "email", "tel")
    )


# --- the tests ------------------------------------------------------------------------------


def test_survey_pages_refuse_bogus_options_and_hostile_text_without_storing_anything(app, resident_slug):
    tried = 0
    with app.app_context():
        before = counts()
    for respondent, action, fields, soup in question_pages(app, resident_slug):
        names = {name for name, _ in fields if name != "csrf_token"}
        choice_names = [n for n in names if is_choice(soup, n)]
        text_names = [n for n in names if is_text(soup, n)]
        if choice_names:
            bogus = [(n, BOGUS_OPTION if n in choice_names else v) for n, v in fields]
            response = respondent.post(action, bogus)
            assert_clear_page(response, f"unknown option ids on {action}", allow_ok=False)
            assert response.status_code in (200, 400) and "govuk-error-summary" in body(response), (
                f"unknown option ids on {action} were not refused with the error summary"
            )
            tried += 1
        for kind, value in HOSTILE_TEXT.items():
            if not text_names:
                break
            hostile = [(n, value if n in text_names else v) for n, v in fields]
            response = respondent.post(action, hostile)
            assert_clear_page(response, f"{kind} text on {action}")
            tried += 1
            if kind == "very long" and response.status_code in (302, 303):
                # Accepted only if the text box was not in use (an "Other" box whose choice was
                # not made): then the text must have been dropped, not saved.
                with app.app_context():
                    drafts = " ".join(str(d.answers) for d in db.session.scalars(select(Draft)))
                    assert "A" * 1000 not in drafts, f"a 100,000-character answer was saved on {action}"
                    db.session.remove()
            respondent.post(action, fields)  # put the valid answers back
        for other_box in [n for n in text_names if n.endswith("-other")]:
            choice = other_box.removesuffix("-other")
            if soup.select_one(f'[name="{choice}"][value="other"], [name^="{choice}"] option[value="other"]') is None:
                continue
            chosen = [
                (
                    n,
                    "other"
                    if n == choice or (n.startswith(choice + "-") and n != other_box and is_choice(soup, n))
                    else ("A" * 100_000 if n == other_box else v),
                )
                for n, v in fields
            ]
            response = respondent.post(action, chosen)
            assert_clear_page(response, f"100,000 characters in {other_box} on {action}", allow_ok=False)
            assert response.status_code in (200, 400, 413) and "govuk-error-summary" in body(response), (
                f"a 100,000-character 'Other' answer was not refused on {action}"
            )
            tried += 1
            respondent.post(action, fields)
        with app.app_context():
            assert counts() == before, f"a refused or unfinished answer on {action} stored response rows"
            db.session.remove()
    assert tried >= 3, "too few hostile posts were tried: did the survey walk find the forms?"


def test_markup_typed_into_answers_is_escaped_on_check_answers_and_stored_as_typed(app, resident_slug):
    pages = question_pages(app, resident_slug)
    texts_seen = 0
    for _respondent, _action, fields, soup in pages:
        if "submission_key" in dict(fields):
            html = str(soup)
            assert XSS not in html
            assert texts_seen == 0 or "&lt;script&gt;" in html, (
                "the typed markup is not shown (escaped) on Check your answers"
            )
            break
        text_names = {n for n, _ in fields if is_text(soup, n) and not n.endswith(("-day", "-month", "-year"))}
        if text_names:
            texts_seen += 1
            fields[:] = [
                (n, HOSTILE_TEXT["xss"] + " " + HOSTILE_TEXT["sql"] if n in text_names else v) for n, v in fields
            ]
    for _ in pages:
        pass
    assert texts_seen, "the residents' survey has no text box to try markup in"
    with app.app_context():
        stored = db.session.scalars(select(Answer.value)).all()
        assert any(XSS in value for value in stored), "the answer was not stored as typed"
        db.session.remove()


def test_text_with_null_bytes_never_breaks_storage(app, resident_slug):
    """PostgreSQL refuses NUL in text: the site must strip or refuse it, never fail with a 500."""
    tried = 0
    for respondent, action, fields, soup in question_pages(app, resident_slug):
        text_names = {n for n, _ in fields if is_text(soup, n) and not n.endswith(("-day", "-month", "-year"))}
        if not text_names:
            continue
        response = respondent.post(action, [(n, "nul\x00byte" if n in text_names else v) for n, v in fields])
        assert_clear_page(response, f"null bytes on {action}")
        tried += 1
    assert tried, "no text box to try"
    with app.app_context():
        stored = db.session.scalars(select(Answer.value)).all()
        assert stored, "the survey walk stored nothing"
        assert not any("\x00" in value for value in stored)
        db.session.remove()


def test_query_parameters_are_escaped_and_never_fail(app, client):
    payloads = [XSS + ATTRIBUTE_XSS, "' OR 1=1 --", "%00", "%FF%FE%FD", "A" * 5000, "../../etc/passwd"]
    for path in argument_free_public_paths(app):
        for payload in payloads:
            query = "&".join(f"{name}={quote(payload, safe='%')}" for name in ("q", "page", "sort", "type", "topic"))
            response = client.get(f"{path}?{query}")
            assert_clear_page(response, f"GET {path}?{query[:60]}")
    search = [r.rule for r in app.url_map.iter_rules() if r.endpoint == "site.search"]
    assert search, "no search page"
    html = body(client.get(f"{search[0]}?q={quote(XSS)}"))
    assert "&lt;script&gt;alert(" in html, "the search page does not show the query back (escaped)"


def test_oversized_bodies_get_the_413_page_on_every_form(app, client):
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert posts
    for rule in posts:
        numbers = ("invitation_id", "answer_id", "user_id", "message_id")
        url = rule.build(
            {name: "quality-sample" if name not in numbers else 1 for name in rule.arguments}, append_unknown=False
        )[1]
        response = client.post(
            url, data=b"answer=" + b"x" * (10 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 413, f"POST {rule.rule} with 10 MB: {response.status_code}"
        assert "What you sent is too large" in body(response)


def test_wrong_content_types_missing_and_wrong_csrf_tokens_get_a_400_page(app, resident_slug):
    respondent, action, fields, soup = next(question_pages(app, resident_slug))
    wrong_token = [(n, "not-the-token" if n == "csrf_token" else v) for n, v in fields]
    no_token = [(n, v) for n, v in fields if n != "csrf_token"]
    with app.app_context():
        before = counts()
    attempts = {
        "missing CSRF token": respondent.post(action, no_token),
        "wrong CSRF token": respondent.post(action, wrong_token),
        "JSON body": respondent.post(action, data='{"a": 1}', content_type="application/json"),
        "plain text body": respondent.post(action, data="hello", content_type="text/plain"),
        "XML body": respondent.post(action, data="<a>1</a>", content_type="application/xml"),
        "multipart with a file": respondent.post(
            action,
            data={**dict(fields), "upload": (BytesIO(b"MZ\x90\x00"), "x.exe")},
            content_type="multipart/form-data",
        ),
        "invalid UTF-8": respondent.post(
            action,
            data=b"csrf_token=" + dict(fields)["csrf_token"].encode() + b"&x=\xff\xfe\xfd%FF%FE",
            content_type="application/x-www-form-urlencoded",
        ),
    }
    for what, response in attempts.items():
        assert_clear_page(response, what)
        if "CSRF" in what or "body" in what:
            assert response.status_code == 400, f"{what}: {response.status_code}"
    with app.app_context():
        assert counts() == before
        db.session.remove()


def test_forged_revoked_and_malformed_invitation_tokens_get_a_clear_page(app, client):
    from app.surveys import invitations
    from app.surveys.questions.definitions import get_survey

    parish = data.survey(app, "parish")
    with app.app_context():
        invitation, token = invitations.issue(
            get_survey(app.config["CONTENT_DIR"], parish.slug), "Revoked Parish Council", "parish"
        )
        invitations.revoke(invitation)
        invitation_id = invitation.id
        before = db.session.scalar(select(func.count()).select_from(Invitation))
        db.session.remove()
    forged = [
        secrets.token_urlsafe(32),
        token,
        token[:-1],
        token + "A",
        "A" * 5000,
        "%00",
        quote("' OR '1'='1"),
        "..%2F..%2Fetc%2Fpasswd",
        quote(XSS, safe=""),
    ]
    for value in forged:
        response = client.get(f"/invite/{value}", follow_redirects=True)
        assert_clear_page(response, f"/invite/{value[:40]}")
        assert response.status_code in (400, 403, 404, 410), f"/invite/{value[:40]}: {response.status_code}"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == before
        assert db.session.get(Invitation, invitation_id).first_used_at is None, "a revoked link was used"
        assert counts() == {"response": 0, "answer": 0}
        db.session.remove()


TRAVERSAL = [
    "..%2F..%2Fapp%2Fconfig.py",
    "..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "....%2F%2F....%2F%2Fetc%2Fpasswd",
    "..%5C..%5Capp%5Cconfig.py",
    "site.yaml",
    "%00",
    "con",
    "A" * 3000,
    quote(XSS, safe=""),
    "%FF%FE",
]


def test_path_traversal_and_odd_slugs_in_content_urls_get_a_404_page(app, client):
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS and r.arguments and "GET" in r.methods
    ]
    assert rules
    for rule in rules:
        for payload in TRAVERSAL:
            url = rule.rule
            for name in rule.arguments:
                url = re.sub(rf"<(?:[a-z]+:)?{name}>", payload, url)
            # Doubled slashes are first sent to the one canonical address, which must then refuse.
            response = client.get(url, follow_redirects=True)
            html = body(response)
            assert_clear_page(response, f"GET {url[:80]}")
            assert 400 <= response.status_code < 500, f"GET {url[:80]}: {response.status_code}"
            for leak in ("root:x:", "SECRET_KEY", "import os", "slug: "):
                assert leak not in html, f"GET {url[:80]} shows file content ({leak!r})"


def staff_sign_in(app, client, login: data.StaffLogin):
    html = body(client.get("/staff/login"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(
        "/staff/login",
        data={"csrf_token": token, "email": login.email, "password": login.password},
        follow_redirects=True,
    )
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body(response)).group(1)
    response = client.post(
        urlsplit(response.request.url).path,
        data={"csrf_token": token, "code": pyotp.TOTP(login.secret).now()},
        follow_redirects=True,
    )
    assert "/staff/login" not in response.request.url, "staff sign-in failed"


def test_hostile_sign_in_attempts_are_refused_clearly(app, client):
    html = body(client.get("/staff/login"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    for kind, value in {**HOSTILE_TEXT, "sql login": "' OR '1'='1' --"}.items():
        response = client.post("/staff/login", data={"csrf_token": token, "email": value, "password": value})
        assert_clear_page(response, f"sign-in with {kind}")
        assert "/staff/login/code" not in response.headers.get("Location", ""), (
            f"sign-in with {kind} got past the password"
        )
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(StaffSession).where(StaffSession.two_factor_passed.is_(True))
            )
            == 0
        )
        db.session.remove()


def test_respondent_markup_is_escaped_on_every_staff_page_and_exports_neutralise_formulas(app, client):
    data.seed_responses(app)
    login = data.staff_user(app, role="admin")
    staff_sign_in(app, client, login)
    shown_escaped = []
    for path in data.staff_get_paths(app):
        response = client.get(path)
        html = body(response)
        assert response.status_code < 500, f"{path}: {response.status_code}"
        assert "no-store" in response.headers.get("Cache-Control", ""), f"{path} may be cached"
        assert XSS not in html and 'onmouseover="alert(1)' not in html, f"{path}: respondent markup unescaped"
        if (
            "&lt;script&gt;alert(&#34;quality-xss&#34;)" in html
            or "&lt;script&gt;alert(&quot;quality-xss&quot;)" in html
        ):
            shown_escaped.append(path)
    assert shown_escaped, "no staff page shows the respondents' written answers at all"

    survey = data.survey(app, "resident")
    download = [r.rule for r in app.url_map.iter_rules() if r.endpoint == "staff.export_download"]
    assert download, "no export download endpoint"
    url = download[0].replace("<slug>", survey.slug)
    csv_export = client.get(f"{url}?format=csv&anonymised=no")
    assert csv_export.status_code == 200 and "attachment" in csv_export.headers.get("Content-Disposition", "")
    assert "no-store" in csv_export.headers.get("Cache-Control", "")
    cells = [cell for row in csv.reader(io.StringIO(body(csv_export))) for cell in row]
    assert any("quality-xss" in cell for cell in cells), "the written answers are not in the full export"
    for cell in cells:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), f"formula-like cell in the CSV: {cell[:40]!r}"
    xlsx = client.get(f"{url}?format=xlsx&anonymised=no")
    assert xlsx.status_code == 200 and zipfile.is_zipfile(BytesIO(xlsx.get_data()))
    json_export = client.get(f"{url}?format=json&anonymised=no")
    assert json_export.status_code == 200 and json_export.content_type.startswith("application/json")
