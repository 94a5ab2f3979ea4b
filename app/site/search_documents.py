"""What the site search finds besides content pages: the consultations and the listing pages.

Consultations belong to the surveys feature and the listings are views rather than Markdown
files, so they are described here, in the same shape as a page, and indexed with the pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.content.catalogue import Content
from app.content.pages import Page
from app.content.search import SearchDocument, SearchIndex
from app.surveys.questions.definitions import SurveyDefinition

# The words people use for taking part, which the consultations' own text rarely repeats.
TAKING_PART = ("survey", "consultation", "have your say", "questionnaire", "take part", "tell us what you think")

LISTINGS = (
    SearchDocument(
        url="/consultations",
        type="consultations",
        title="Have your say: surveys and consultations",
        summary="Take part in this year's community safety surveys and read the results of earlier ones.",
        keywords=(*TAKING_PART, "surveys", "consultations", "results"),
    ),
    SearchDocument(
        url="/priorities",
        type="listing",
        title="Our priorities",
        summary="The themes and focus areas the partnership works on together.",
        keywords=("priority", "priorities", "what we do", "focus areas"),
    ),
    SearchDocument(
        url="/campaigns",
        type="listing",
        title="Campaigns and advice",
        summary="Campaigns and advice from the partnership on staying safe.",
        keywords=("advice", "campaigns", "staying safe"),
    ),
    SearchDocument(
        url="/news",
        type="listing",
        title="News",
        summary="News from the partnership, newest first.",
        keywords=("news", "latest"),
    ),
)


AUDIENCE_WORDS = {
    "parish": ("parish council survey", "town council survey", "parish meeting"),
    "resident": ("residents survey", "resident survey", "public survey"),
}


def consultation_document(survey: SurveyDefinition, open_now: bool) -> SearchDocument:
    if open_now:
        keywords = (*TAKING_PART, *AUDIENCE_WORDS.get(survey.audience, ()), survey.round)
    else:
        keywords = ("survey results", survey.round)
    headings = tuple(page.title for page in survey.pages) if open_now else ()
    return SearchDocument(
        url=f"/consultations/{survey.slug}",
        type="consultation",
        title=survey.title,
        summary=survey.summary,
        text=survey.intro,
        headings=headings,
        keywords=keywords,
    )


def site_index(content: Content, surveys: Iterable[SurveyDefinition], open_slugs: frozenset[str]) -> SearchIndex:
    """Open consultations carry the words for taking part; closed ones are found as results."""
    documents: list[SearchDocument | Page] = list(content.published_pages)
    documents += LISTINGS
    documents += [consultation_document(survey, survey.slug in open_slugs) for survey in surveys]
    return SearchIndex(documents)
