"""Accessibility and HTML checks on every page the crawls found (see conftest.py): axe-core,
the Nu Html Checker, and what axe cannot judge (one h1, heading order, labels, error titles,
skip link, visible focus, reflow at 320 px, no CSP violations or script errors).

Each test covers one area (public, surveys, staff) and fails with every problem found, each
naming the page, so one run lists everything to fix.
"""


def report(area: str, records, problems_of) -> list[str]:
    assert records, f"no {area} pages were found to check"
    return [f"{record.label}: {problem}" for record in records for problem in problems_of(record)]


def test_axe_finds_no_violations(area_pages):
    area, records = area_pages
    problems = report(area, records, lambda r: r.axe)
    assert not problems, f"axe violations on {area} pages:\n" + "\n".join(problems)


def test_html_is_valid(area_pages, html_errors):
    area, records = area_pages
    problems = report(area, records, lambda r: html_errors.get(r.label, []))
    assert not problems, f"Nu Html Checker errors on {area} pages:\n" + "\n".join(problems)


def test_headings_labels_titles_and_reflow(area_pages):
    from tests.browser.audit import structure_problems

    area, records = area_pages
    problems = report(area, records, structure_problems)
    assert not problems, f"structure problems on {area} pages:\n" + "\n".join(problems)


def test_keyboard_focus_is_visible_and_skip_link_and_error_summary_work(area_pages):
    area, records = area_pages
    problems = report(area, records, lambda r: r.keyboard_problems + r.focus_problems)
    assert not problems, f"keyboard problems on {area} pages:\n" + "\n".join(problems)


def test_no_content_security_policy_violations_or_script_errors(area_pages):
    area, records = area_pages
    problems = report(area, records, lambda r: r.console)
    assert not problems, f"browser console errors on {area} pages:\n" + "\n".join(problems)


def test_every_survey_page_with_questions_was_checked_in_its_error_state(survey_pages):
    errors = [r for r in survey_pages if r.label.endswith("(error)")]
    assert errors, "no survey page showed an error state when submitted empty"
    assert all(r.title.startswith("Error: ") for r in errors)
