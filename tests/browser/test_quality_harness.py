"""The checks themselves can fail: a page with known faults must be caught by every one of them.

Without this, a check that silently stopped working (axe not loaded, vnu not run, a selector
that matches nothing) would let every real page pass.
"""

from tests.browser import audit

BAD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Faulty page</title>
<style>.wide { width: 700px } .no-ring:focus, .no-ring:focus-visible { outline: none }</style></head>
<body>
<a class="govuk-skip-link" href="#main-content">Skip to main content</a>
<main id="main-content">
  <h1>First heading</h1><h1>Second heading</h1><h3>Skipped a level</h3>
  <form method="post"><input type="text" name="nameless"></form>
  <a class="no-ring" href="/somewhere">A link with no focus style</a>
  <div class="wide">Too wide for a phone</div>
  <img src="/chart.png">
  <p><span><div>block in inline</div></span></p>
</main>
</body></html>"""


def test_every_check_catches_a_page_with_known_faults(chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.set_content(BAD_PAGE)
        record = audit.record_page(page, "faulty page", BAD_PAGE)
        audit.measure_reflow(page, record, None)
        audit.check_focus_styles(page, record)
        skip = audit.check_skip_link(page)
    finally:
        context.close()

    axe_rules = {problem.split(" ")[0] for problem in record.axe}
    assert {"image-alt", "label"} <= axe_rules, record.axe
    structure = "\n".join(audit.structure_problems(record))
    assert "2 h1 elements" in structure
    assert "heading level skipped: h1 then h3" in structure
    assert "form control without a label" in structure
    assert "scrolls sideways at 320 px" in structure
    assert any("no-ring" in problem for problem in record.focus_problems), record.focus_problems
    assert skip and "did not move focus to main" in skip[0]

    html_errors = audit.validate_html([record], tmp_path)
    messages = "\n".join(html_errors.get("faulty page", []))
    assert "alt" in messages and "div" in messages, messages
