"""A bounded HTTP client that answers a survey as a browser would: it follows the Start button,
fills each page's form from its HTML (first option, distinct ranked choices, short text), posts it
with its CSRF token and cookies, and reads the reference off the confirmation page.

It knows nothing of the survey's URLs or field names, so it keeps working as the survey changes.
A POST that dies with the connection (a killed worker) is retried with the same fields, hidden
submission key included, as a person pressing the button again would: the site must store it once.
"""

import http.client
import re
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from http.cookiejar import CookieJar
from urllib.parse import urlencode, urljoin

from bs4 import BeautifulSoup

REFERENCE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
RETRIES = 3


class SurveyError(RuntimeError):
    pass


def is_honeypot(element) -> bool:
    if element.get("tabindex") == "-1":
        return True
    return any(parent.get("aria-hidden") == "true" for parent in element.parents if hasattr(parent, "get"))


def _text_for(element) -> str:
    hints = " ".join(str(element.get(a, "")) for a in ("type", "name", "autocomplete", "inputmode")).lower()
    recent = date.today() - timedelta(days=10)
    for part, value in (("day", recent.day), ("month", recent.month), ("year", recent.year)):
        if str(element.get("name", "")).endswith(f"-{part}"):
            return str(value)
    if "email" in hints:
        return "bench@example.org"
    if "tel" in hints:
        return "01858 821000"
    if "numeric" in hints or element.get("type") == "number":
        return "3"
    return "Bench answer"


def main_soup(html: str) -> BeautifulSoup:
    """The page's <main> element alone: everything the client reads is in it, and parsing only it
    keeps the bench's own CPU (20 respondents in one process) from crowding the server's."""
    start, end = html.find("<main"), html.rfind("</main>")
    return BeautifulSoup(html[start : end + len("</main>")] if 0 <= start < end else html, "html.parser")


def primary_form(soup):
    """The page's main form and its primary button, or (None, None) on a page without one."""
    for form in soup.select("main form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        button = form.select_one("button.govuk-button:not(.govuk-button--secondary):not(.govuk-button--warning)")
        if button is not None:
            return form, button
    return None, None


def fill(form, button) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    groups_done: set[str] = set()
    selects = 0
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        kind = (element.get("type") or "text").lower() if element.name == "input" else element.name
        if kind in ("submit", "button", "image", "reset"):
            continue
        if kind == "hidden":
            fields.append((name, element.get("value", "")))
        elif is_honeypot(element):
            fields.append((name, ""))
        elif kind in ("radio", "checkbox"):
            if name in groups_done:
                continue
            groups_done.add(name)
            group = form.find_all("input", attrs={"name": name})
            chosen = [g for g in group if g.has_attr("checked")] or group[:1]
            fields.extend((name, g.get("value", "on")) for g in chosen)
        elif kind == "select":
            options = [o for o in element.find_all("option") if o.get("value")]
            chosen = [o for o in options if o.has_attr("selected")]
            selects += 1
            if chosen:
                fields.append((name, chosen[0]["value"]))
            elif options:
                fields.append((name, options[(selects - 1) % len(options)]["value"]))
        elif kind == "textarea":
            fields.append((name, element.get_text() or "Bench answer"))
        else:
            fields.append((name, element.get("value") or _text_for(element)))
    if button.get("name"):
        fields.append((button["name"], button.get("value", "")))
    return fields


class SurveyClient:
    """One respondent: its own cookies, one survey answered per `answer()` call."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url = base_url
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.retries_used = 0
        self.final_post_seconds: float | None = None
        # (seconds, status) of every request, retried ones included: 5xx are counted, not hidden.
        self.requests: list[tuple[float, int]] = []

    def _open(self, url: str, data: bytes | None = None):
        request = urllib.request.Request(url, data=data)
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        for attempt in range(RETRIES + 1):
            began = time.perf_counter()
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    body = response.read().decode("utf-8")
                    self.requests.append((time.perf_counter() - began, response.status))
                    return response.geturl(), response.status, body
            except urllib.error.HTTPError as error:
                self.requests.append((time.perf_counter() - began, error.code))
                if error.code < 500 or attempt == RETRIES:
                    raise SurveyError(f"{error.code} from {url}: {error.read()[:300]!r}") from error
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError) as error:
                self.requests.append((time.perf_counter() - began, 0))
                if attempt == RETRIES:
                    raise SurveyError(f"no answer from {url}: {error}") from error
            self.retries_used += 1
            time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def answer(self, start_path: str, max_pages: int = 30) -> str:
        url, _, html = self._open(self.base_url + start_path)
        soup = main_soup(html)
        start = soup.select_one("main a.govuk-button--start") or next(
            (a for a in soup.select("main a.govuk-button") if re.search(r"\bstart\b", a.get_text(), re.I)), None
        )
        form, button = primary_form(soup)
        if start is not None and form is None:
            url, _, html = self._open(urljoin(url, start["href"]))
        for _ in range(max_pages):
            soup = main_soup(html)
            if soup.select_one(".govuk-error-summary"):
                raise SurveyError(
                    f"answers refused on {url}: "
                    f"{soup.select_one('.govuk-error-summary').get_text(' ', strip=True)[:300]}"
                )
            form, button = primary_form(soup)
            if form is None:
                match = REFERENCE.search(soup.select_one("main").get_text(" ") if soup.select_one("main") else html)
                if not match:
                    raise SurveyError(f"finished on {url} without a reference number")
                return match.group(0)
            target = urljoin(url, form.get("action") or url)
            fields = fill(form, button)
            began = time.perf_counter()
            url, _, html = self._open(target, urlencode(fields).encode("utf-8"))
            self.final_post_seconds = time.perf_counter() - began
        raise SurveyError(f"survey from {start_path} did not finish within {max_pages} pages")
