"""The surveys and rounds staff work with, read from the surveys feature's content files."""

from dataclasses import dataclass

from flask import abort

from app.surveys import library
from app.surveys.parishes import Parish
from app.surveys.questions.definitions import SurveyDefinition


@dataclass(frozen=True)
class Round:
    label: str  # "2026/27"
    surveys: tuple[SurveyDefinition, ...]

    @property
    def key(self) -> str:
        """For URLs: "2026/27" → "2026-27"."""
        return round_key(self.label)

    @property
    def historic(self) -> bool:
        return all(s.is_historic for s in self.surveys)


def round_key(label: str) -> str:
    return label.replace("/", "-")


def surveys() -> list[SurveyDefinition]:
    return library.surveys()


def survey_or_404(slug: str) -> SurveyDefinition:
    survey = library.survey(slug)
    if survey is None:
        abort(404)
    return survey


def live_survey_or_404(slug: str) -> SurveyDefinition:
    """A survey that takes responses (historic rounds only have published results)."""
    survey = survey_or_404(slug)
    if survey.is_historic:
        abort(404)
    return survey


def rounds() -> list[Round]:
    """Newest first; several surveys (parish, residents) share a round."""
    by_label: dict[str, list[SurveyDefinition]] = {}
    for survey in surveys():
        by_label.setdefault(survey.round, []).append(survey)
    return [
        Round(label, tuple(sorted(items, key=lambda s: s.audience)))
        for label, items in sorted(by_label.items(), key=lambda kv: kv[0], reverse=True)
    ]


def round_or_404(key: str) -> Round:
    found = next((r for r in rounds() if r.key == key), None)
    if found is None:
        abort(404)
    return found


def parishes() -> list[Parish]:
    return library.parishes()
