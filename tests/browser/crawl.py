"""Visit every page in a real browser and record what the checks need.

The pages are found, not listed: public pages from /sitemap.xml plus every same-site link on
them, survey pages by answering each open survey with the keyboard, staff pages from the staff
blueprint's rules in `app.url_map`. Each page is recorded once (with its error state where it
has a form) and photographed once per page type (Flask endpoint) at 320 and 1280 px.
"""

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from tests.browser import audit, keyboard

# Not pages: assets, downloads and feeds, and areas crawled by their own walkers.
NOT_PAGES = re.compile(r"^/(static|staff|invite)(/|$)|\.(xml|txt|csv|xlsx|json|pdf|png|jpe?g|svg|ico|css|m?js)$")
MAX_PUBLIC_PAGES = 250


def sitemap_paths(base_url: str) -> list[str]:
    """Paths listed in /sitemap.xml ([] while the site has none)."""
    try:
        with urllib.request.urlopen(base_url + "/sitemap.xml", timeout=10) as response:
            root = ET.fromstring(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return []
        raise
    locs = [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text]
    return [urlsplit(loc).path + (("?" + urlsplit(loc).query) if urlsplit(loc).query else "") for loc in locs]


class Crawler:
    """One browser context (one visitor) recording pages as it goes."""

    def __init__(self, browser, base_url: str, flask_app, screenshot_dir, name: str, javascript: bool = True):
        self.base_url = base_url
        self.adapter = flask_app.url_map.bind("localhost")
        self.context = browser.new_context(
            base_url=base_url,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.console: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught script error: {error}"))
        self.screenshot_dir = screenshot_dir
        self.name = name
        self.javascript = javascript
        self.records: list[audit.PageRecord] = []
        self.photographed: set[str] = set()
        self.error_pages_seen: set[tuple[str, int]] = set()  # (blueprint, status)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        # Chromium logs the status of an error page's own document; that is not a problem.
        if message.text.startswith("Failed to load resource") and message.location.get("url") == self.page.url:
            return
        self.console.append(message.text)

    def close(self) -> None:
        self.context.close()

    def endpoint_for(self, url: str) -> str:
        parts = urlsplit(url)
        try:
            endpoint, _ = self.adapter.match(parts.path, method="GET")
            return endpoint
        except RequestRedirect:
            return "redirect"
        except HTTPException as error:
            return str(error.code)

    def goto(self, path: str):
        self.console.clear()
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        return response

    def capture(self, response, state: str = "") -> audit.PageRecord | None:
        """Record the page now in the browser (None if it is not HTML)."""
        if "text/html" not in (response.headers.get("content-type") or ""):
            return None
        path = urlsplit(self.page.url).path + (
            ("?" + urlsplit(self.page.url).query) if urlsplit(self.page.url).query else ""
        )
        endpoint = self.endpoint_for(self.page.url)
        if response.status >= 400 and not state:
            # One error page per area and status is enough (staff pages of historic rounds are 404s).
            if (endpoint.split(".")[0], response.status) in self.error_pages_seen:
                return None
            self.error_pages_seen.add((endpoint.split(".")[0], response.status))
        label = f"{path} [{response.status}]" + (f" ({state})" if state else "")
        record = audit.record_page(self.page, label, response.text(), endpoint)
        page_type = (f"{endpoint.split('.')[0]}-{response.status}" if response.status >= 400 else endpoint) + (
            f"-{state}" if state else ""
        )
        first_of_type = page_type not in self.photographed
        shot = None
        if first_of_type:
            self.photographed.add(page_type)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{page_type}".lower()).strip("-")
            shot = self.screenshot_dir / f"{slug}.png"
            if self.javascript:
                record.keyboard_problems.extend(audit.check_skip_link(self.page))
            audit.check_focus_styles(self.page, record)
        audit.measure_reflow(self.page, record, shot)
        record.console = list(self.console)
        self.records.append(record)
        return record

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        found = []
        for href in hrefs:
            parts = urlsplit(urljoin(self.page.url, href))
            if f"{parts.scheme}://{parts.netloc}" != self.base_url:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not NOT_PAGES.search(parts.path):
                found.append(path)
        return found

    def crawl_public(self, start: list[str]) -> None:
        queue = deque(dict.fromkeys(start))
        seen = set(queue)
        captured: set[str] = set()
        while queue and len(self.records) < MAX_PUBLIC_PAGES:
            path = queue.popleft()
            response = self.goto(path)
            landed = urlsplit(self.page.url)
            landed = landed.path + (f"?{landed.query}" if landed.query else "")
            if landed in captured:
                continue  # a redirect to a page already checked (/plan → /plan/2020-23)
            captured.add(landed)
            if self.capture(response) is None:
                continue
            for link in self.links():
                if link not in seen:
                    seen.add(link)
                    queue.append(link)

    def answer_survey(self, start_path: str, max_steps: int = 40) -> audit.PageRecord:
        """Answer a survey from its start page with the keyboard, recording every page and the
        error state of each page of questions. Returns the record of the last page."""
        response = self.goto(start_path)
        self.capture(response)
        if self.page.query_selector(keyboard.PRIMARY_BUTTON) is None:
            keyboard.focus_main(self.page)
            keyboard.tab_to(
                self.page,
                lambda i: i["tag"] in ("a", "button") and re.search(r"\bstart\b", i["text"], re.I),
                "the Start button",
            )
            response = keyboard.submit(self.page)
        record = None
        for _ in range(max_steps):
            record = self.capture(response)
            if self.page.query_selector(keyboard.PRIMARY_BUTTON) is None:
                return record
            has_questions = self.page.evaluate(
                "() => [...document.querySelectorAll('main form[method=post] input, "
                "main form[method=post] select, main form[method=post] textarea')]"
                ".some(c => c.type !== 'hidden' && c.tabIndex >= 0)"
            )
            if has_questions:
                url_before = self.page.url
                response = keyboard.fill_form(self.page, leave_empty=True)
                if self.page.query_selector(".govuk-error-summary"):
                    focused = audit.error_summary_has_focus(self.page) if self.javascript else True
                    record = self.capture(response, "error")
                    if not focused:
                        record.keyboard_problems.append("error summary did not get focus after the failed submit")
                    response = keyboard.fill_form(self.page)
                    refused = self.page.query_selector(".govuk-error-summary")
                    if refused:
                        raise AssertionError(
                            f"keyboard answers refused on {self.page.url}: {refused.inner_text()[:400]}"
                        )
                elif self.page.url == url_before:
                    response = keyboard.fill_form(self.page)
                else:
                    continue  # nothing on the page was required: it moved on
            else:
                keyboard.focus_main(self.page)
                keyboard.tab_to(self.page, lambda i: i["primary"], "the form's main button")
                response = keyboard.submit(self.page)
        raise AssertionError(f"survey from {start_path} did not finish within {max_steps} pages")
