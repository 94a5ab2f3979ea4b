"""The surveys and parishes the running app serves, from the app's one content store.

Read once at start-up with the rest of `content/` (app/content/store.py), so a survey file with
a mistake stops the app with the same list as every other content problem, and a running site
never drops a survey mid-consultation.
"""

from __future__ import annotations

from flask import current_app

from app.content.store import ContentStore
from app.surveys.parishes import Parish, active, find_in, read_parishes
from app.surveys.questions.definitions import SurveyDefinition, read_surveys

SURVEYS = "surveys"
PARISHES = "parishes"


def register(store: ContentStore) -> None:
    store.register(SURVEYS, read_surveys)
    store.register(PARISHES, read_parishes)


def _store() -> ContentStore:
    store: ContentStore = current_app.extensions["content"]
    return store


def surveys() -> list[SurveyDefinition]:
    """Every survey, newest round first."""
    found: list[SurveyDefinition] = _store().get(SURVEYS)
    return found


def survey(slug: str) -> SurveyDefinition | None:
    return next((s for s in surveys() if s.slug == slug), None)


def parishes(include_retired: bool = False) -> list[Parish]:
    return active(_store().get(PARISHES), include_retired)


def find_parish(name: str) -> Parish | None:
    return find_in(_store().get(PARISHES), name)
