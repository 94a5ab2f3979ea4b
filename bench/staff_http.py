"""A staff member's browser over HTTP: signs in through the real pages, then downloads exports.

The contention bench downloads exports this way so that each one runs where it runs for staff:
in a gunicorn worker beside the workers serving respondents, sharing their CPU scheduling group.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from bench.staff_data import SURVEY
from support.staff_accounts import create_staff, csrf_of, fresh_code

CHUNK = 64 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, PLR0913
        return None  # a 302 comes back as an HTTPError, so its Location can be checked


class StaffBrowser:
    def __init__(self, app, base_url: str, role: str = "analyst"):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects())
        self.account = create_staff(app, role, email=f"bench-export-{time.monotonic_ns()}@example.org")
        self._app = app

    def _get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def _post_expecting_redirect(self, path: str, fields: dict) -> str:
        try:
            self.opener.open(self.base_url + path, urlencode(fields).encode(), timeout=30).close()
        except urllib.error.HTTPError as answer:
            if answer.code in (302, 303):
                return answer.headers["Location"]
            raise RuntimeError(f"{answer.code} from {path}: {answer.read()[:300]!r}") from answer
        raise RuntimeError(f"{path} did not redirect: the sign-in was refused")

    def sign_in(self) -> None:
        fields = {"email": self.account.email, "password": self.account.password}
        fields["csrf_token"] = csrf_of(self._get("/staff/login"))
        if not self._post_expecting_redirect("/staff/login", fields).endswith("/staff/login/code"):
            raise RuntimeError("the password step did not lead to the code step")
        token = csrf_of(self._get("/staff/login/code"))
        self._post_expecting_redirect(
            "/staff/login/code", {"csrf_token": token, "code": fresh_code(self._app, self.account)}
        )

    def download(self, fmt: str) -> dict:
        """One full export, read as fast as it comes; returns its seconds, bytes and rows."""
        started = time.perf_counter()
        size = 0
        with self.opener.open(
            f"{self.base_url}/staff/exports/{SURVEY}/download?format={fmt}&anonymised=no", timeout=600
        ) as response:
            while chunk := response.read(CHUNK):
                size += len(chunk)
            rows = int(response.headers.get("X-Export-Rows", "0"))
        return {"seconds": time.perf_counter() - started, "bytes": size, "rows": rows}
