"""Comparing rounds side by side: each option's rank and share, and feeling safe. No Flask here.

Historic rounds (2017, 2019/20) come from `historic_results` in their survey files; live
rounds are computed from the answers (rankings.py, distributions.py). "Share" is the percentage of respondents
who put the option anywhere in their top three (or, for a historic tick-box question, the
published percentage concerned about it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.staff.reporting.rankings import rank_label
from app.staff.reporting import distributions, rankings, response_counts, scoping

# Answers that count as "feels safe" (a live single-choice scale, or a historic yes/no).
SAFE_OPTIONS = {"very-safe", "fairly-safe", "yes"}


@dataclass(frozen=True)
class RoundColumn:
    round: str
    survey_slug: str
    title: str
    historic: bool
    respondents: int | None
    source: str | None


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


def _ranks_from_percent(rows: list[dict]) -> dict[str, Cell]:
    values = [r.get("percent") for r in rows if r.get("percent") is not None]
    cells = {}
    for r in rows:
        p = r.get("percent")
        rank = 1 + sum(1 for v in values if v > p) if p is not None else None
        cells[str(r["option"])] = Cell(rank, p is not None and values.count(p) > 1, p, None)
    return cells


def _historic_cells(historic: dict) -> tuple[dict[str, Cell], int | None]:
    total = (historic.get("respondents") or {}).get("total")
    ranked = historic.get("ranked") or []
    if ranked:
        cells = {}
        ranks = [r.get("rank") for r in ranked]
        for r in ranked:
            top3 = r.get("top3")
            share = scoping.percent(top3, total) if top3 is not None and total else None
            cells[str(r["option"])] = Cell(r.get("rank"), ranks.count(r.get("rank")) > 1, share, r.get("first"))
        return cells, total
    return _ranks_from_percent(historic.get("concerns") or []), total


def _first_ranked(survey):
    return next((q for q in survey.questions if q.type == "ranked"), None)


def _safety_questions(survey):
    day = next((q for q in survey.questions if q.id.startswith("safe") and "day" in q.id), None)
    dark = next((q for q in survey.questions if q.id.startswith("safe") and "dark" in q.id), None)
    return day, dark


def compare_rounds(session: Session, surveys, audience: str) -> Comparison:
    chosen = sorted((s for s in surveys if s.audience == audience), key=lambda s: (s.round, s.slug))
    columns, per_column, labels, safety = [], [], {}, []
    for survey in chosen:
        question = _first_ranked(survey)
        if survey.is_historic:
            historic = survey.historic_results or {}
            cells, total = _historic_cells(historic)
            feeling = historic.get("feeling_safe") or {}
            safety.append((feeling.get("day_percent"), feeling.get("after_dark_percent")))
            columns.append(RoundColumn(survey.round, survey.slug, survey.title, True, total, historic.get("source")))
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
            safety.append(tuple(_safe_percent(session, scope, q) for q in (day, dark)))
            columns.append(RoundColumn(survey.round, survey.slug, survey.title, False, total, None))
        per_column.append(cells)
    option_ids = [oid for oid in labels if any(oid in cells for cells in per_column)]
    # Order by the newest round's rank, then the older ones, so the table reads top-down.
    def sort_key(oid):
        for cells in reversed(per_column):
            cell = cells.get(oid)
            if cell and cell.rank is not None:
                return (0, cell.rank, labels[oid].casefold())
        return (1, 0, labels[oid].casefold())

    rows = tuple(OptionRow(oid, labels[oid], tuple(cells.get(oid) for cells in per_column))
                 for oid in sorted(option_ids, key=sort_key))
    safety_rows = ()
    if any(v is not None for pair in safety for v in pair):
        safety_rows = (SafetyRow("Feel safe during the day", tuple(p[0] for p in safety)),
                       SafetyRow("Feel safe after dark", tuple(p[1] for p in safety)))
    return Comparison(audience, tuple(columns), rows, safety_rows)


def _safe_percent(session, scope, question) -> float | None:
    if question is None:
        return None
    dist = distributions.distribution(session, scope, question.id, question.choices)
    safe = sum(s.count for s in dist.shares if s.option_id in SAFE_OPTIONS)
    return scoping.percent(safe, dist.answered)
