"""The survey fields built as HTML in Python (ranked details, rating-grid headings and their
error) escape every piece of text they are given: a label, hint or message can never become markup."""

from app.surveys.questions.definitions import Option, Question
from app.surveys.questions.fields import components

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def built_html(parts: list[dict]) -> str:
    return "".join(str(part["html"]) for part in parts if "html" in part)


def test_ranked_details_escape_option_labels_and_hints(app):
    question = Question(
        id="top",
        type="ranked",
        label=HOSTILE,
        hint=HOSTILE,
        options=(Option("a", HOSTILE, hint=HOSTILE), Option("b", "Plain", hint="Also plain")),
        count=2,
    )
    with app.test_request_context():
        html = built_html(components(question, {"top-1": [HOSTILE]}, {"top-1": HOSTILE}, {}, (), None))
    assert "<script>" not in html and "<img" not in html
    assert f"<li><strong>{ESCAPED}</strong>: {ESCAPED}</li>" in html
    assert "<li><strong>Plain</strong>: Also plain</li>" in html


def test_rating_heading_escapes_its_label_hint_and_error(app):
    question = Question(
        id="grid",
        type="rating",
        label=HOSTILE,
        hint=HOSTILE,
        items=(Option("row", "A row"),),
        scale=(Option("big", "Big problem"), Option("none", "No problem")),
    )
    with app.test_request_context():
        html = built_html(components(question, {}, {"grid": HOSTILE}, {}, (), None))
    assert "<script>" not in html and "<img" not in html
    assert f'id="grid-heading">{ESCAPED}</h2>' in html
    assert f'<p class="govuk-hint">{ESCAPED}</p>' in html
    assert f"Error:</span> {ESCAPED}</p>" in html
