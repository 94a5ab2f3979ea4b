"""Site search: an in-memory index over published titles, summaries and body text.

The site has tens of pages, not thousands, so a scan of lower-cased text per query is fast
enough (a few milliseconds for the whole site) and needs no search server. Every word of the query
must appear (as the start of a word); pages whose title matches come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.content.pages import Page

MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Entry:
    page: Page
    title: str
    summary: str
    text: str


def query_terms(query: str) -> list[str]:
    words = _WORD.findall(query[:MAX_QUERY_LENGTH].casefold())
    return list(dict.fromkeys(words))  # unique, in order


class SearchIndex:
    def __init__(self, pages: list[Page]):
        self._entries = [
            _Entry(page, page.title.casefold(), page.summary.casefold(), page.text.casefold())
            for page in pages if page.published
        ]

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str) -> list[Page]:
        terms = query_terms(query)
        if not terms:
            return []
        patterns = [re.compile(r"\b" + re.escape(term)) for term in terms]
        scored = []
        for entry in self._entries:
            in_title = sum(1 for p in patterns if p.search(entry.title))
            score = 0
            for pattern in patterns:
                body_hits = len(pattern.findall(entry.text))
                summary_hit = bool(pattern.search(entry.summary))
                if not (body_hits or summary_hit or pattern.search(entry.title)):
                    break  # every word must appear somewhere
                score += 5 * summary_hit + min(body_hits, 10)
            else:
                scored.append((-in_title, -score, entry.title, entry.page))
        scored.sort(key=lambda item: item[:3])
        return [item[3] for item in scored]
