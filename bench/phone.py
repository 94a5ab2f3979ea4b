"""What a phone gets: bytes on the wire and layout shift, read from Chromium's own logs.

Page weight is the sum of `encodedDataLength` in Chromium's network log (headers and compressed
bodies, as transferred), for a first visit to one page and then the next page in the same visit,
with the browser's cache as a real visit leaves it. Layout shift is the sum of the layout-shift
entries Chromium's performance timeline reports while the page loads and its scripts run, at a
phone's width, with JavaScript on or off. Used by `make bench` and by the browser tests.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

PHONE_WIDTH = 360
PHONE_HEIGHT = 740
SETTLE_SECONDS = 1.0  # after `load`, for the module script and anything it changes


@dataclass
class Transfer:
    url: str
    bytes: int
    from_cache: bool


@dataclass
class Visit:
    path: str
    transfers: list[Transfer] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(t.bytes for t in self.transfers)


def phone_context(browser: Browser, javascript: bool = True) -> BrowserContext:
    return browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
    )


def _record_network(context: BrowserContext, page: Page) -> tuple[Any, dict[str, Transfer]]:
    session = context.new_cdp_session(page)
    urls: dict[str, str] = {}
    cached: set[str] = set()
    done: dict[str, Transfer] = {}
    session.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    session.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    session.on(
        "Network.loadingFinished",
        lambda e: done.__setitem__(
            e["requestId"],
            Transfer(urls.get(e["requestId"], "?"), int(e["encodedDataLength"]), e["requestId"] in cached),
        ),
    )
    session.send("Network.enable")
    return session, done


def visit_weights(browser: Browser, base_url: str, first: str, then: str) -> tuple[Visit, Visit]:
    """Bytes transferred for a first visit to `first`, then for following a link to `then`."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        _session, done = _record_network(context, page)
        visits = []
        for path in (first, then):
            done.clear()
            page.goto(base_url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            visits.append(Visit(path, list(done.values())))
        return visits[0], visits[1]
    finally:
        context.close()


# Lighthouse's mobile preset: a mid-range phone on a slow 4G connection. Without it, on a fast
# machine over loopback, scripts run before the first paint and hide shifts a phone would see.
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
    "uploadThroughput": 750 * 1024 / 8 * 0.9,
}
PHONE_CPU_SLOWDOWN = 4


def layout_shift(browser: Browser, url: str, javascript: bool) -> float:
    """Cumulative layout shift while `url` loads on a throttled phone (no input, so every shift counts).

    Read from Chromium's trace (`LayoutShift` events), which it writes whether or not the page may
    run scripts."""
    context = phone_context(browser, javascript)
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", SLOW_4G)
        session.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
        browser.start_tracing(page=page, categories=["loading", "devtools.timeline"])
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        time.sleep(SETTLE_SECONDS)
        trace = json.loads(browser.stop_tracing())
        events = trace["traceEvents"] if isinstance(trace, dict) else trace
        total = 0.0
        for event in events:
            if event.get("name") == "LayoutShift":
                data = (event.get("args") or {}).get("data") or {}
                if not data.get("had_recent_input"):
                    total += float(data.get("score", 0.0))
        return round(total, 4)
    finally:
        context.close()
