"""What the browser tests check on a page: axe-core, page structure axe cannot judge, reflow at
320 px, visible focus, and HTML validity with the Nu Html Checker (one batched Java run).

Every check returns a list of human-readable problems ("" -free), each naming the page, so a
failing test says exactly what to fix and where.
"""

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from support.server import PROJECT_ROOT
from tests.browser.keyboard import TO_TOP_JS

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Structure checks, run in the page. Hidden controls (type=hidden) need no label; everything
# else does, through <label for>, a wrapping label, aria-label or aria-labelledby.
STRUCTURE_JS = """() => {
  const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
    .map(h => ({level: Number(h.tagName[1]), text: h.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)}));
  const controls = [...document.querySelectorAll('input, select, textarea')]
    .filter(c => !['hidden', 'submit', 'button', 'reset', 'image'].includes(c.type));
  const unlabelled = controls.filter(c => {
    if (c.getAttribute('aria-label') || c.getAttribute('aria-labelledby')) return false;
    return !(c.labels && [...c.labels].some(l => l.textContent.trim()));
  }).map(c => c.outerHTML.slice(0, 120));
  return {
    title: document.title,
    headings,
    unlabelled,
    errorSummary: !!document.querySelector('.govuk-error-summary'),
    lang: document.documentElement.lang,
  };
}"""

# The page's width, and when it is too wide the first elements that stick out (to fix).
SCROLL_WIDTH_JS = """() => {
  const width = document.scrollingElement.scrollWidth;
  const culprits = [];
  if (width > innerWidth) {
    for (const el of document.querySelectorAll('body *')) {
      if (el.children.length || el.getBoundingClientRect().right <= innerWidth + 1) continue;
      const classes = el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      culprits.push(el.tagName.toLowerCase() + classes);
      if (culprits.length === 3) break;
    }
  }
  return [width, culprits];
}"""

# The look of the focused element, compared with its look when not focused.
FOCUS_STYLE_JS = """(el) => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
          s.color, s.textDecorationLine, s.textDecorationThickness, s.borderColor].join('|');
}"""


@dataclass
class PageRecord:
    """One page (or page state) as the browser saw it."""

    label: str  # what a person would call it, e.g. "GET /news" or "/consultations/x/1 (error)"
    url: str
    html: str  # the HTML the server sent, for the Nu Html Checker
    endpoint: str = ""
    title: str = ""
    headings: list = field(default_factory=list)
    unlabelled: list = field(default_factory=list)
    error_state: bool = False
    lang: str = ""
    axe: list = field(default_factory=list)
    scroll_width_320: int = 0
    too_wide: list = field(default_factory=list)  # elements sticking out at 320 px
    focus_problems: list = field(default_factory=list)
    console: list = field(default_factory=list)  # CSP violations and script errors
    keyboard_problems: list = field(default_factory=list)  # skip link, error summary focus


_AXE_SOURCE: list[str] = []


def run_axe(page) -> list[str]:
    # Evaluated rather than added as a <script> tag: the site's CSP rightly blocks inline scripts.
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text(encoding="utf-8") + "\n;0")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_AXE_SOURCE[0])
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    problems = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            problems.append(f"{violation['id']} ({violation['impact']}) at {target}: {node['html'][:160]}")
    return problems


def record_page(page, label: str, html: str, endpoint: str = "") -> PageRecord:
    """Run the in-page checks on the page as it is now (viewport left at 1280 px)."""
    info = page.evaluate(STRUCTURE_JS)
    return PageRecord(
        label=label,
        url=page.url,
        html=html,
        endpoint=endpoint,
        title=info["title"],
        headings=info["headings"],
        unlabelled=info["unlabelled"],
        error_state=info["errorSummary"],
        lang=info["lang"],
        axe=run_axe(page),
    )


def measure_reflow(page, record: PageRecord, screenshot: Path | None) -> None:
    """At 320 CSS px (what 200%-400% zoom gives on a desktop) nothing may scroll sideways."""
    page.set_viewport_size({"width": 320, "height": 800})
    record.scroll_width_320, record.too_wide = page.evaluate(SCROLL_WIDTH_JS)
    if screenshot:
        page.screenshot(path=str(screenshot.with_name(screenshot.stem + "-320.png")), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    if screenshot:
        page.screenshot(path=str(screenshot.with_name(screenshot.stem + "-1280.png")), full_page=True)


def check_focus_styles(page, record: PageRecord, max_stops: int = 40) -> None:
    """Tab through the page: every element that takes focus must look different when it has it."""
    page.evaluate(TO_TOP_JS)
    unfocused = {}
    handles = page.query_selector_all(
        "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
    )
    for index, handle in enumerate(handles):
        handle.evaluate("(el, i) => el.setAttribute('data-qa-focus', String(i))", index)
        unfocused[str(index)] = handle.evaluate(FOCUS_STYLE_JS)
    seen = set()
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        key, focused_style, description = page.evaluate(
            """(js) => { const el = document.activeElement; if (!el || el === document.body) return [null, null, null];
                 return [el.getAttribute('data-qa-focus'), (new Function('return ' + js))()(el),
                         el.outerHTML.slice(0, 100)]; }""",
            FOCUS_STYLE_JS,
        )
        if key is None or key in seen:
            break
        seen.add(key)
        if key in unfocused and unfocused[key] == focused_style:
            record.focus_problems.append(f"no visible focus style on {description}")
    page.evaluate(
        "() => document.querySelectorAll('[data-qa-focus]').forEach(el => el.removeAttribute('data-qa-focus'))"
    )


def structure_problems(record: PageRecord) -> list[str]:
    problems = []
    h1s = [h for h in record.headings if h["level"] == 1]
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} h1 elements (need exactly one): {[h['text'] for h in h1s]}")
    previous = 1
    for heading in record.headings:
        if heading["level"] > previous + 1:
            problems.append(f"heading level skipped: h{previous} then h{heading['level']} ({heading['text']!r})")
        previous = heading["level"]
    problems.extend(f"form control without a label: {html}" for html in record.unlabelled)
    if record.error_state and not record.title.startswith("Error: "):
        problems.append(f"page shows errors but its title does not start with 'Error: ': {record.title!r}")
    if record.lang != "en" and not record.lang.startswith("en-"):
        problems.append(f"html lang is {record.lang!r}")
    if record.scroll_width_320 > 320:
        problems.append(
            f"scrolls sideways at 320 px (content {record.scroll_width_320} px wide; "
            f"sticking out: {', '.join(record.too_wide) or '?'})"
        )
    return problems


def validate_html(records: list[PageRecord], folder: Path) -> dict[str, list[str]]:
    """Nu Html Checker errors per page label, from one Java run over every page."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for index, record in enumerate(records):
        path = folder / f"page-{index:03d}.html"
        path.write_text(record.html, encoding="utf-8")
        files[str(path.resolve())] = record.label
    completed = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu exits 1 when it found errors; anything else without JSON means it did not run.
    try:
        messages = json.loads(completed.stderr or completed.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(f"the Nu Html Checker did not run: {completed.stderr[-2000:]}") from error
    found: dict[str, list[str]] = {}
    for message in messages:
        # vnu names files as "file:/abs/path".
        url = message.get("url", "")
        label = files.get(url.removeprefix("file:"), url or "?")
        where = f"line {message.get('lastLine', '?')}"
        extract = re.sub(r"\s+", " ", message.get("extract", "")).strip()[:120]
        found.setdefault(label, []).append(f"{message.get('type')}: {message.get('message')} ({where}: {extract})")
    return found


def check_skip_link(page) -> list[str]:
    """The first Tab stop is the skip link; Enter on it moves focus to <main>."""
    page.evaluate(TO_TOP_JS)
    page.keyboard.press("Tab")
    first = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    if "govuk-skip-link" not in (first[0] or "") or first[1] != "#main-content":
        return [f"first Tab stop is not the skip link: {first}"]
    page.keyboard.press("Enter")
    try:
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'main-content'", timeout=2000
        )
    except Exception:  # noqa: BLE001 (reported below with what did get focus)
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 100)")
        return [f"skip link did not move focus to main (focus on {focused})"]
    return []


def error_summary_has_focus(page) -> bool:
    """GOV.UK Frontend moves focus to the error summary once its script has run."""
    try:
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.closest('.govuk-error-summary')", timeout=3000
        )
        return True
    except Exception:  # noqa: BLE001
        return False
