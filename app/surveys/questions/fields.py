"""GOV.UK Frontend component parameters for each question, built from the definition.

The page template only calls the GOV.UK macros with these parameters, so every field gets
its label or legend, hint and error message the same way. Respondent text only ever goes
into `text`/`value` parameters (escaped by the macros) or through `escape()`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from flask import get_template_attribute
from markupsafe import Markup

from app.surveys.questions.definitions import OTHER_ID, Option, Question, SurveyDefinition
from app.surveys.questions.validation import FieldError, Form, choices_for, issue_label, ordinal, other_max_length
from app.surveys.questions.wording import addressed

WIDTHS = {
    2: "govuk-input--width-2",
    3: "govuk-input--width-3",
    4: "govuk-input--width-4",
    5: "govuk-input--width-5",
    10: "govuk-input--width-10",
    20: "govuk-input--width-20",
    30: "govuk-input--width-30",
}
SELECT_WIDTH = "govuk-!-width-full"


def _macro(component: str, name: str) -> Callable[..., Markup]:
    # Jinja hands back the macro untyped; every GOV.UK macro renders to Markup.
    macro = get_template_attribute(f"govuk_frontend_jinja/components/{component}/macro.html", name)
    return cast("Callable[..., Markup]", macro)


def _first(values: Form, name: str) -> str:
    found = values.get(name) or []
    return found[0] if found else ""


def _error(errors: Mapping[str, str], key: str) -> dict[str, Any] | None:
    return {"text": errors[key]} if key in errors else None


def _hint(q: Question) -> dict[str, Any] | None:
    return {"text": q.hint} if q.hint else None


def _other_input(q: Question, values: Form, errors: Mapping[str, str], label: str | None = None) -> Markup:
    name = f"{q.id}-other"
    return _macro("input", "govukInput")(
        {
            "id": name,
            "name": name,
            "value": _first(values, name),
            "label": {"text": label or q.other_label},
            "errorMessage": _error(errors, name),
            "attributes": {"maxlength": str(other_max_length(q) + 100)},
            "spellcheck": True,
        }
    )


def _choice_items(
    q: Question, choices: Iterable[Option], values: Form, errors: Mapping[str, str], multiple: bool
) -> list[dict[str, Any]]:
    chosen = set(values.get(q.id) or [])
    items = []
    for option in choices:
        item = {"value": option.id, "text": option.label, "checked": option.id in chosen}
        if option.hint:
            item["hint"] = {"text": option.hint}
        if option.id == OTHER_ID and q.other:
            # Shown under the option; without JavaScript it is always visible.
            item["conditional"] = {"html": _other_input(q, values, errors)}
        items.append(item)
    return items


def components(
    q: Question,
    values: Form,
    errors: Mapping[str, str],
    answers: Mapping[str, Any],
    parishes: tuple[Option, ...],
    survey: SurveyDefinition,
    councillor: bool = False,
) -> list[dict[str, Any]]:
    """[{"macro": name, "params": {...}} | {"html": Markup}] for one question.

    A district councillor is spoken to as themselves, not as "your council".
    """
    if councillor:
        q = dataclasses.replace(q, label=addressed(q.label, True), hint=addressed(q.hint, True))
    legend = {"text": q.label, "classes": "govuk-fieldset__legend--m"}
    if q.issues_for:
        return _issues(q, values, errors, answers, survey)
    if q.type in ("single", "yesno"):
        return [
            {
                "macro": "radios",
                "params": {
                    "name": q.id,
                    "idPrefix": q.id,
                    "fieldset": {"legend": legend},
                    "hint": _hint(q),
                    "errorMessage": _error(errors, q.id),
                    "classes": "govuk-radios--inline" if q.type == "yesno" else "",
                    "items": _choice_items(q, q.choices, values, errors, multiple=False),
                },
            }
        ]
    if q.type == "multiple":
        return [
            {
                "macro": "checkboxes",
                "params": {
                    "name": q.id,
                    "idPrefix": q.id,
                    "fieldset": {"legend": legend},
                    "hint": _hint(q),
                    "errorMessage": _error(errors, q.id),
                    "items": _choice_items(q, q.choices, values, errors, multiple=True),
                },
            }
        ]
    if q.type == "parish":
        selected = _first(values, q.id)
        items = [{"value": "", "text": "Choose from the list", "selected": not selected}]
        items += [{"value": o.id, "text": o.label, "selected": o.id == selected} for o in choices_for(q, parishes)]
        result = [
            {
                "macro": "select",
                "params": {
                    "id": q.id,
                    "name": q.id,
                    "label": {"text": q.label, "classes": "govuk-label--m"},
                    "hint": _hint(q),
                    "errorMessage": _error(errors, q.id),
                    "items": items,
                    "classes": SELECT_WIDTH,
                },
            }
        ]
        if q.other:
            result.append({"html": _other_input(q, values, errors)})
        return result
    if q.type == "ranked":
        return [{"html": _ranked(q, values, errors)}]
    if q.type == "rating":
        return _rating(q, values, errors)
    if q.type == "text":
        params: dict[str, Any] = {
            "id": q.id,
            "name": q.id,
            "value": _first(values, q.id),
            "label": {"text": q.label, "classes": "govuk-label--m"},
            "hint": _hint(q),
            "errorMessage": _error(errors, q.id),
            "classes": WIDTHS.get(q.width, "") if q.width is not None else "",
        }
        if q.format == "email":
            params.update({"type": "email", "autocomplete": "email", "spellcheck": False})
        return [{"macro": "input", "params": params}]
    if q.type == "longtext":
        return [
            {
                "macro": "characterCount",
                "params": {
                    "id": q.id,
                    "name": q.id,
                    "value": _first(values, q.id),
                    "maxlength": q.max_length,
                    "rows": 6,
                    "label": {"text": q.label, "classes": "govuk-label--m"},
                    "hint": _hint(q),
                    "errorMessage": _error(errors, q.id),
                },
            }
        ]
    if q.type == "date":
        error = _error(errors, q.id)
        bad = " govuk-input--error" if error else ""
        return [
            {
                "macro": "dateInput",
                "params": {
                    "id": q.id,
                    "namePrefix": q.id,
                    "fieldset": {"legend": legend},
                    "hint": _hint(q),
                    "errorMessage": error,
                    "items": [
                        {
                            "name": "day",
                            "label": "Day",
                            "classes": "govuk-input--width-2" + bad,
                            "value": _first(values, f"{q.id}-day"),
                        },
                        {
                            "name": "month",
                            "label": "Month",
                            "classes": "govuk-input--width-2" + bad,
                            "value": _first(values, f"{q.id}-month"),
                        },
                        {
                            "name": "year",
                            "label": "Year",
                            "classes": "govuk-input--width-4" + bad,
                            "value": _first(values, f"{q.id}-year"),
                        },
                    ],
                },
            }
        ]
    return []


def _ranked(q: Question, values: Form, errors: Mapping[str, str]) -> Markup:
    """One fieldset, one select per place: works without JavaScript."""
    select = _macro("select", "govukSelect")
    parts = []
    hint_id = f"{q.id}-hint"
    if q.hint:
        parts.append(_macro("hint", "govukHint")({"id": hint_id, "text": q.hint}))
    explained = [o for o in q.choices if o.hint]
    if explained:
        # A closed drop-down on a phone shows only a short name: the details are said here.
        parts.append(
            Markup('<ul class="govuk-list govuk-body-s app-ranked-details">{}</ul>').format(
                Markup("").join(Markup("<li><strong>{}</strong>: {}</li>").format(o.label, o.hint) for o in explained)
            )
        )
    for n in range(1, q.count + 1):
        name = f"{q.id}-{n}"
        chosen = _first(values, name)
        items = [{"value": "", "text": "Choose from the list", "selected": not chosen}]
        items += [{"value": o.id, "text": o.label, "selected": o.id == chosen} for o in q.choices]
        parts.append(
            select(
                {
                    "id": name,
                    "name": name,
                    "items": items,
                    "classes": SELECT_WIDTH,
                    "label": {"text": f"{ordinal(n).capitalize()} {q.noun}", "classes": "govuk-label--s"},
                    "errorMessage": _error(errors, name),
                }
            )
        )
    if q.other:
        parts.append(
            _other_input(q, values, errors, label=f"{q.other_label} (if you chose “{q.option_label(OTHER_ID)}”)")
        )
    return _macro("fieldset", "govukFieldset")(
        {
            "legend": {"text": q.label, "classes": "govuk-fieldset__legend--m"},
            "describedBy": hint_id if q.hint else None,
            "html": Markup("").join(parts),
        }
    )


def _rating(q: Question, values: Form, errors: Mapping[str, str]) -> list[dict[str, Any]]:
    """The question as a heading, then one small group of radios per item (no nested fieldsets).

    A grid with rows left blank has one message under its heading, and each blank row says
    "Not answered yet", instead of one error per row filling a phone screen.
    """
    error = errors.get(q.id)
    heading = Markup('<h2 class="govuk-heading-m" id="{id}-heading">{label}</h2>').format(id=q.id, label=q.label)
    if q.hint:
        heading += Markup('<p class="govuk-hint">{}</p>').format(q.hint)
    result: list[dict[str, Any]] = []
    if error:
        heading = Markup('<div class="govuk-form-group govuk-form-group--error app-grid-error">') + heading
        heading += Markup(
            '<p class="govuk-error-message" id="{id}-error">'
            '<span class="govuk-visually-hidden">Error:</span> {message}</p>'
        ).format(id=q.id, message=error)
    result.append({"html": heading})
    for item in q.items:
        name = f"{q.id}-{item.id}"
        chosen = _first(values, name)
        params = {
            "name": name,
            "idPrefix": name,
            "classes": "govuk-radios--small",
            "fieldset": {"legend": {"text": item.label, "classes": "govuk-fieldset__legend--s"}},
            "items": [{"value": s.id, "text": s.label, "checked": s.id == chosen} for s in q.scale],
        }
        if error and chosen not in {s.id for s in q.scale}:
            params["hint"] = {"text": "Not answered yet", "classes": "app-not-answered-yet"}
        result.append({"macro": "radios", "params": params})
    if error:
        result.append({"html": Markup("</div>")})
    return result


def _issues(
    q: Question, values: Form, errors: Mapping[str, str], answers: Mapping[str, Any], survey: SurveyDefinition
) -> list[dict[str, Any]]:
    # Only called for a question with `issues_for` set (see `components`).
    source = q.issues_for or ""
    target = survey.question(source)
    heading = Markup('<h2 class="govuk-heading-m">{}</h2>').format(q.label)
    if q.hint:
        heading += Markup('<p class="govuk-hint">{}</p>').format(q.hint)
    result: list[dict[str, Any]] = [{"html": heading}]
    for option_id in answers.get(source) or []:
        name = f"{q.id}-{option_id}"
        label = issue_label(target, option_id, answers)
        result.append(
            {
                "macro": "characterCount",
                "params": {
                    "id": name,
                    "name": name,
                    "value": _first(values, name),
                    "maxlength": q.max_length,
                    "rows": 5,
                    "label": {
                        "html": Markup('<span class="govuk-visually-hidden">Local issues behind </span>{}').format(
                            label
                        ),
                        "classes": "govuk-label--s",
                    },
                    "errorMessage": _error(errors, name),
                },
            }
        )
    return result


def error_maps(errors: list[FieldError]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """({rendered field key: message}, error summary list with links to the inputs)."""
    beside: dict[str, str] = {}
    summary = []
    for error in errors:
        beside.setdefault(error.target, error.message)
        summary.append({"text": error.message, "href": f"#{error.field}"})
    return beside, summary
