"""Comparing rounds side by side: each option's rank and share, and feeling safe. No Flask here.

Historic rounds (2017, 2019/20) come from `historic_results` in their survey files; live
rounds are computed from the answers (rankings.py, distributions.py). "Share" is the percentage of respondents
who put the option anywhere in their top three (or, for a historic tick-box question, the
published percentage concerned about it).

Only like is compared with like. Each column says what it measures (`measure`); a round whose
source published only percentages from a tick-box question is never given ranks, and a column
measured differently from the newest round is marked not directly comparable. Feeling safe is
shown with each round's own wording, and marked the same way when the wordings differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from app.staff.reporting import distributions, rankings, response_counts, scoping
from app.staff.reporting.rankings import rank_label
from app.staff.reporting.scoping import DbSession, Scope
from app.surveys.questions.definitions import Question, SurveyDefinition

# Answers that count as "feels safe" (a live single-choice scale, or a historic yes/no).
SAFE_OPTIONS = {"very-safe", "fairly-safe", "yes"}

MEASURE_RANKED = "ranked"  # rank by points from respondents' top three, share = in their top three
MEASURE_PUBLISHED_RANK = "published rank"  # a rank the source published (shares only if published)
MEASURE_TICK_BOX = "tick-box"  # the percentage who said each concerned them; no ranks were published
MEASURE_WORDING = {
    MEASURE_RANKED: "Rank from respondents' top three choices (share who put it in their top three)",
    MEASURE_PUBLISHED_RANK: "Rank as published (share who put it in their top three, where published)",
    MEASURE_TICK_BOX: "Share who said each concerned them (a tick-box question; no ranks)",
}
LIVE_SAFETY_WORDING = "Very or fairly safe, out of everyone who chose an answer (including “Don't know”)"
HISTORIC_SAFETY_WORDING = "Felt safe, as published"


@dataclass(frozen=True)
class RoundColumn:
    round: str
    survey_slug: str
    title: str
    historic: bool
    respondents: int | None
    source: str | None
    measure: str = MEASURE_RANKED
    comparable: bool = True  # measured the same way as the newest round
    safety_wording: str | None = None
    safety_comparable: bool = True

    @property
    def measure_wording(self) -> str:
        return MEASURE_WORDING[self.measure]


@dataclass(frozen=True)
class Cell:
    rank: int | None
    tied: bool
    share: float | None
    first: int | None

    @property
    def rank_label(self) -> str:
        return rank_label(self.rank, self.tied)


@dataclass(frozen=True)
class OptionRow:
    option_id: str
    label: str
    cells: tuple[Cell | None, ...]  # one per column; None when the option was not asked about


@dataclass(frozen=True)
class SafetyRow:
    label: str
    percents: tuple[float | None, ...]


@dataclass(frozen=True)
class Comparison:
    audience: str
    columns: tuple[RoundColumn, ...]
    options: tuple[OptionRow, ...]
    safety: tuple[SafetyRow, ...]


def _percent_cells(rows: list[dict[str, Any]]) -> dict[str, Cell]:
    """Published percentages only: the source did not rank them, so neither do we."""
    return {str(r["option"]): Cell(None, False, r.get("percent"), None) for r in rows}


def _historic_cells(historic: dict[str, Any]) -> tuple[dict[str, Cell], int | None, str]:
    total = (historic.get("respondents") or {}).get("total")
    ranked = historic.get("ranked") or []
    if ranked:
        cells = {}
        ranks = [r.get("rank") for r in ranked]
        for r in ranked:
            top3 = r.get("top3")
            share = scoping.percent(top3, total) if top3 is not None and total else None
            cells[str(r["option"])] = Cell(r.get("rank"), ranks.count(r.get("rank")) > 1, share, r.get("first"))
        return cells, total, MEASURE_PUBLISHED_RANK
    return _percent_cells(historic.get("concerns") or []), total, MEASURE_TICK_BOX


def _first_ranked(survey: SurveyDefinition) -> Question | None:
    return next((q for q in survey.questions if q.type == "ranked"), None)


def _safety_questions(survey: SurveyDefinition) -> tuple[Question | None, Question | None]:
    day = next((q for q in survey.questions if q.id.startswith("safe") and "day" in q.id), None)
    dark = next((q for q in survey.questions if q.id.startswith("safe") and "dark" in q.id), None)
    return day, dark


def compare_rounds(session: DbSession, surveys: Iterable[SurveyDefinition], audience: str) -> Comparison:
    chosen = sorted((s for s in surveys if s.audience == audience), key=lambda s: (s.round, s.slug))
    columns: list[RoundColumn] = []
    per_column: list[dict[str, Cell]] = []
    labels: dict[str, str] = {}
    safety: list[tuple[float | None, float | None]] = []
    for survey in chosen:
        question = _first_ranked(survey)
        if survey.is_historic:
            historic = survey.historic_results or {}
            cells, total, measure = _historic_cells(historic)
            feeling = historic.get("feeling_safe") or {}
            safety.append((feeling.get("day_percent"), feeling.get("after_dark_percent")))
            wording = (feeling.get("wording") or HISTORIC_SAFETY_WORDING) if feeling else None
            columns.append(
                RoundColumn(
                    survey.round,
                    survey.slug,
                    survey.title,
                    True,
                    total,
                    historic.get("source"),
                    measure,
                    safety_wording=wording,
                )
            )
            if question is not None:
                for option in question.options:
                    labels.setdefault(option.id, option.label)
            for option in getattr(next((q for q in survey.questions if q.type == "multiple"), None), "options", ()):
                labels.setdefault(option.id, option.label)
        else:
            scope = scoping.Scope(survey.slug, survey.round)
            total = response_counts.count_responses(session, scope)
            cells = {}
            if question is not None:
                ranking = rankings.ranked(session, scope, question.id, question.options, question.count)
                for o in ranking.options:
                    cells[o.option_id] = Cell(o.rank, o.tied, o.top_percent, o.first)
                for option in question.options:
                    labels[option.id] = option.label  # the newest wording wins
            day, dark = _safety_questions(survey)
            safety.append((_safe_percent(session, scope, day), _safe_percent(session, scope, dark)))
            columns.append(
                RoundColumn(
                    survey.round,
                    survey.slug,
                    survey.title,
                    False,
                    total,
                    None,
                    safety_wording=LIVE_SAFETY_WORDING if day or dark else None,
                )
            )
        per_column.append(cells)
    columns = _mark_comparable(columns)
    option_ids = [oid for oid in labels if any(oid in cells for cells in per_column)]

    # Order by the newest round's rank, then the older ones, so the table reads top-down.
    def sort_key(oid: str) -> tuple[int, int, str]:
        for cells in reversed(per_column):
            cell = cells.get(oid)
            if cell and cell.rank is not None:
                return (0, cell.rank, labels[oid].casefold())
        return (1, 0, labels[oid].casefold())

    rows = tuple(
        OptionRow(oid, labels[oid], tuple(cells.get(oid) for cells in per_column))
        for oid in sorted(option_ids, key=sort_key)
    )
    safety_rows: tuple[SafetyRow, ...] = ()
    if any(v is not None for pair in safety for v in pair):
        safety_rows = (
            SafetyRow("Feel safe during the day", tuple(p[0] for p in safety)),
            SafetyRow("Feel safe after dark", tuple(p[1] for p in safety)),
        )
    return Comparison(audience, tuple(columns), rows, safety_rows)


def _mark_comparable(columns: list[RoundColumn]) -> list[RoundColumn]:
    """Compare each column with the newest round: the same measure, the same safety wording.

    A published rank and a rank from points are both ranks of the same top-three question, so
    they compare; a tick-box percentage does not compare with either.
    """
    if not columns:
        return columns
    newest = columns[-1]
    ranks = {MEASURE_RANKED, MEASURE_PUBLISHED_RANK}

    def same_measure(a: str, b: str) -> bool:
        return a == b or (a in ranks and b in ranks)

    return [
        replace(
            c,
            comparable=same_measure(c.measure, newest.measure),
            safety_comparable=c.safety_wording is None
            or newest.safety_wording is None
            or c.safety_wording == newest.safety_wording,
        )
        for c in columns
    ]


def _safe_percent(session: DbSession, scope: Scope, question: Question | None) -> float | None:
    if question is None:
        return None
    dist = distributions.distribution(session, scope, question.id, question.choices)
    safe = sum(s.count for s in dist.shares if s.option_id in SAFE_OPTIONS)
    return scoping.percent(safe, dist.answered)
