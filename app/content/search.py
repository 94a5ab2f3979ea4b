"""Site search: an in-memory index over pages and consultations, weighted towards titles.

The site has tens of documents, not thousands, so a scan of lower-cased text per query is fast
enough (a few milliseconds for the whole site) and needs no search server.

Every meaningful word of the query must appear (as the start of a word) somewhere in a
document. Where it appears decides the score: the title counts most, then the words and
phrases the author declared in `keywords` (synonyms such as "ASB" or "have your say"), then
headings, the summary and the body. A query found as a whole phrase in a title or keyword
scores extra, so "report a crime" finds the page about reporting crime before a page that
merely uses the three words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.content.pages import Page

MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"\w+")
# Words too common to decide anything; a query made only of them still searches for them.
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "to",
        "of",
        "in",
        "on",
        "for",
        "my",
        "i",
        "is",
        "it",
        "how",
        "do",
        "what",
        "your",
        "you",
        "me",
        "can",
        "with",
        "about",
        "or",
        "at",
        "be",
        "have",
    }
)
WEIGHTS = {"title": 10, "keywords": 8, "headings": 4, "summary": 3}
BODY_HITS_COUNTED = 5
PHRASE_BONUS = {"title": 20, "keywords": 25, "headings": 8, "summary": 4}


@dataclass(frozen=True)
class SearchDocument:
    """One result the search can return: a content page, a consultation or a listing."""

    url: str
    title: str
    summary: str
    type: str  # "page", "campaign", ..., "consultation"
    text: str = ""
    headings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


def document_for(page: Page) -> SearchDocument:
    return SearchDocument(
        url=page.url,
        title=page.title,
        summary=page.summary,
        type=page.type,
        text=page.text,
        headings=page.headings,
        keywords=page.keywords,
    )


def query_terms(query: str) -> list[str]:
    words = _WORD.findall(query[:MAX_QUERY_LENGTH].casefold())
    return list(dict.fromkeys(words))  # unique, in order


def _phrase(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


@dataclass(frozen=True)
class _Entry:
    document: SearchDocument
    fields: dict[str, str]  # field name -> its words, lower-cased, one space apart
    text: str


class SearchIndex:
    def __init__(self, documents: Iterable[SearchDocument | Page]):
        self._entries = []
        for item in documents:
            if isinstance(item, Page):
                if not item.published:
                    continue
                item = document_for(item)
            fields = {
                "title": _phrase(item.title),
                "keywords": " | ".join(_phrase(keyword) for keyword in item.keywords),
                "headings": " | ".join(_phrase(heading) for heading in item.headings),
                "summary": _phrase(item.summary),
            }
            self._entries.append(_Entry(item, fields, _phrase(item.text)))

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str) -> list[SearchDocument]:
        terms = query_terms(query)
        if not terms:
            return []
        wanted = [term for term in terms if term not in STOP_WORDS] or terms
        patterns = [re.compile(r"\b" + re.escape(term)) for term in wanted]
        phrase = " ".join(terms)
        phrase_pattern = re.compile(r"\b" + re.escape(phrase)) if len(terms) > 1 else None
        scored = []
        for entry in self._entries:
            score = 0
            for pattern in patterns:
                term_score = sum(weight for name, weight in WEIGHTS.items() if pattern.search(entry.fields[name]))
                term_score += min(len(pattern.findall(entry.text)), BODY_HITS_COUNTED)
                if not term_score:
                    break  # every word must appear somewhere
                score += term_score
            else:
                if phrase_pattern is not None:
                    score += sum(
                        bonus for name, bonus in PHRASE_BONUS.items() if phrase_pattern.search(entry.fields[name])
                    )
                    score += BODY_HITS_COUNTED if phrase_pattern.search(entry.text) else 0
                scored.append((-score, entry.document.title.casefold(), entry.document))
        scored.sort(key=lambda item: item[:2])
        return [item[2] for item in scored]
