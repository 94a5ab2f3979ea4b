"""Driving pages with the keyboard only, as someone who cannot use a mouse would.

Focus is moved with Tab / Shift+Tab, choices made with Space and arrow keys, text typed, buttons
and links activated with Enter. Nothing here clicks or sets values directly, so a control that
cannot be reached or operated from the keyboard makes the journey fail.
"""

import re
from datetime import date, timedelta

# The form's main button: GOV.UK's primary button (not secondary/warning) or a plain submit.
PRIMARY_BUTTON = (
    "main form[method=post] button.govuk-button:not(.govuk-button--secondary):not(.govuk-button--warning),"
    " main form[method=post] input[type=submit].govuk-button:not(.govuk-button--secondary)"
)

ACTIVE_JS = f"""() => {{
  const el = document.activeElement;
  if (!el || el === document.body) return {{tag: 'body', type: '', name: '', id: '', value: '', checked: false,
    groupChecked: false, groupSize: 0, text: '', href: '', inMain: false, inForm: false, primary: false,
    autocomplete: '', label: '', inputmode: '', maxlength: -1, selectedIndex: -1, options: 0, optionText: ''}};
  const primary = [...document.querySelectorAll({PRIMARY_BUTTON!r})];
  const group = el.name && el.form ? [...el.form.querySelectorAll('[name="' + CSS.escape(el.name) + '"]')] : [];
  return {{
    tag: el.tagName.toLowerCase(), type: (el.type || '').toLowerCase(), name: el.name || '', id: el.id || '',
    value: el.value === undefined ? '' : String(el.value), checked: !!el.checked,
    groupChecked: group.some(g => g.checked), groupSize: group.length,
    text: (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 200),
    href: el.getAttribute('href') || '', inMain: !!el.closest('main'), inForm: !!el.form,
    primary: primary.includes(el), autocomplete: el.getAttribute('autocomplete') || '',
    label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : '',
    inputmode: el.getAttribute('inputmode') || '', maxlength: el.maxLength || -1,
    selectedIndex: el.selectedIndex === undefined ? -1 : el.selectedIndex,
    optionText: el.options && el.selectedIndex >= 0 ? el.options[el.selectedIndex].text.trim() : '',
    options: el.options ? el.options.length : 0,
  }};
}}"""


# Back to the top of the page as a fresh load would be: the next Tab reaches the first link.
# (Blurring alone leaves the browser's sequential-focus starting point where focus was.)
TO_TOP_JS = """() => {
  const body = document.body;
  body.setAttribute('tabindex', '-1');
  body.focus({preventScroll: true});
  body.removeAttribute('tabindex');
  window.scrollTo(0, 0);
}"""


def active(page) -> dict:
    return page.evaluate(ACTIVE_JS)


def focus_main(page) -> None:
    """Tab to the skip link and follow it: focus (or the focus starting point) moves to <main>."""
    page.evaluate(TO_TOP_JS)
    page.keyboard.press("Tab")
    info = active(page)
    assert info["tag"] == "a" and "#main-content" in info["href"], (
        f"first Tab stop is not the skip link on {page.url}: {info}"
    )
    page.keyboard.press("Enter")


def tab_to(page, predicate, what: str, limit: int = 250, backwards: bool = False) -> dict:
    """Press Tab until `predicate(active element info)` holds; fail naming `what` if it never does."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        info = active(page)
        if predicate(info):
            return info
    raise AssertionError(f"could not reach {what} with the keyboard on {page.url}")


def text_for(info: dict) -> str:
    """A sensible answer for a text box, from its type, autocomplete hint and label."""
    hints = " ".join([info["type"], info["autocomplete"], info["name"], info["label"], info["inputmode"]]).lower()
    # GOV.UK date inputs: three boxes named <question>-day / -month / -year; a recent past date.
    recent = date.today() - timedelta(days=10)
    for part, value in (("day", recent.day), ("month", recent.month), ("year", recent.year)):
        if info["name"].endswith(f"-{part}") or info["label"].lower() == part:
            return str(value)
    if "email" in hints:
        return "clerk@example.org"
    if "tel" in hints or "phone" in hints:
        return "01858 821000"
    if "postcode" in hints or "postal" in hints:
        return "LE16 7AG"
    if info["type"] == "number" or "numeric" in hints:
        return "3"
    return "Keyboard answer"


def submit(page, expect_navigation: bool = True):
    """Enter on the focused submit button; returns the navigation's response (None if it stayed)."""
    if not expect_navigation:
        page.keyboard.press("Enter")
        return None
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    return navigation.value


def fill_form(page, leave_empty: bool = False, texts: dict | None = None, choose: dict | None = None):
    """Tab through the main form from the top, answering every empty question, then submit it.

    Radio groups get their first option (Space) unless `choose` maps the group name to a number of
    ArrowDown presses; one checkbox per group is ticked; each select gets a different option (so
    ranked choices are distinct); empty text boxes are typed into. With `leave_empty` nothing is
    answered: the form is just submitted. Returns the navigation's response.
    """
    texts = texts or {}
    choose = choose or {}
    focus_main(page)
    handled_groups = set()
    selects_done = 0
    for _ in range(400):
        page.keyboard.press("Tab")
        info = active(page)
        if info["tag"] == "body":
            raise AssertionError(f"Tab left the page before reaching the form's button on {page.url}")
        if info["primary"]:
            return submit(page)
        if leave_empty or not info["inForm"]:
            continue
        if info["type"] == "radio":
            if info["name"] not in handled_groups and not info["groupChecked"]:
                presses = choose.get(info["name"], 0)
                if presses:
                    for _ in range(presses):
                        page.keyboard.press("ArrowDown")
                else:
                    page.keyboard.press("Space")
            handled_groups.add(info["name"])
        elif info["type"] == "checkbox":
            if info["name"] not in handled_groups and not info["groupChecked"]:
                page.keyboard.press("Space")
            handled_groups.add(info["name"])
        elif info["tag"] == "select":
            selects_done += 1
            if info["selectedIndex"] <= 0 and info["options"] > 1:
                for _ in range(min(selects_done, info["options"] - 1)):
                    page.keyboard.press("ArrowDown")
        elif (info["tag"] == "textarea" or info["tag"] == "input") and not info["value"]:
            page.keyboard.type(texts.get(info["name"], text_for(info)))
    raise AssertionError(f"the form's main button was never reached by Tab on {page.url}")


def activate_link(page, pattern: str, what: str | None = None):
    """Tab to the first link whose text matches `pattern` (a regex) and press Enter on it."""
    regex = re.compile(pattern, re.I)
    page.evaluate(TO_TOP_JS)
    info = tab_to(
        page, lambda i: i["tag"] == "a" and bool(regex.search(i["text"])), what or f"a link matching {pattern!r}"
    )
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    return info, navigation.value
