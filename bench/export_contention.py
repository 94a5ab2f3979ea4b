"""Respondents submitting while staff export, on SQLite with 100,000 responses.

`python -m bench.export_contention` or `main()` (called by `make bench`). gunicorn serves the
site; a staff member signs in and downloads an export through it, as fast as it comes, so the
export takes a worker as it does for staff; while it streams, 20 respondents answer the
residents' survey at once through the real pages. Every request of theirs is timed, retries
included, so a 5xx is counted rather than hidden. Once in each format, then with three CSV exports at the same time.

Goal: no 5xx, p95 under 1 s, every response stored and every export complete. The same burst
with no export runs first: on a machine busy with other work, that line shows how much of the
latency is the machine's and how much the exports'.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from bench.staff_data import SURVEY, fill, make_app
from bench.staff_http import StaffBrowser
from bench.survey_client import SurveyClient, SurveyError
from support.server import gunicorn_server

RESPONSES = int(os.environ.get("BENCH_CONTENTION_RESPONSES", "100000"))
RESPONDENTS = 20
SCENARIOS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("no export (baseline)", ()),
    ("csv export", ("csv",)),
    ("json export", ("json",)),
    ("xlsx export", ("xlsx",)),
    ("3 csv exports at once", ("csv", "csv", "csv")),
)
TARGET_P95_S = 1.0


@dataclass
class Outcome:
    scenario: str
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    acknowledged: int = 0
    failures: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)  # "csv 12.3 s 100,000 rows" or an error

    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else float("nan")

    def met(self) -> bool:
        return (
            not self.server_errors
            and not self.failures
            and self.acknowledged == RESPONDENTS
            and self.p95() < TARGET_P95_S
            and all("rows" in e for e in self.exports)
        )


def _respondents(base_url: str, outcome: Outcome) -> None:
    lock = threading.Lock()

    def one() -> None:
        client = SurveyClient(base_url)
        try:
            client.answer(f"/consultations/{SURVEY}")
            ok = True
        except SurveyError as error:
            ok = False
            with lock:
                outcome.failures.append(str(error)[:200])
        with lock:
            outcome.acknowledged += ok
            outcome.latencies += [seconds for seconds, _ in client.requests]
            outcome.server_errors += sum(1 for _, status in client.requests if status >= 500 or status == 0)

    with ThreadPoolExecutor(max_workers=RESPONDENTS) as pool:
        for future in [pool.submit(one) for _ in range(RESPONDENTS)]:
            future.result()


def run_scenario(name: str, formats: tuple[str, ...], app: Flask, base_url: str) -> Outcome:
    outcome = Outcome(name)

    def export(fmt: str) -> None:
        try:
            staff = StaffBrowser(app, base_url)
            staff.sign_in()
            result = staff.download(fmt)
            outcome.exports.append(f"{fmt} {result['seconds']:.1f} s {result['rows']:,} rows")
        except (
            RuntimeError,
            OSError,
            ValueError,
        ) as error:  # reported in the figures: the other exports go on
            outcome.exports.append(f"{fmt} FAILED: {str(error)[-200:]}")

    threads = [threading.Thread(target=export, args=(fmt,)) for fmt in formats]
    for thread in threads:
        thread.start()
    if threads:
        time.sleep(4)  # staff sign in and the exports begin streaming
    _respondents(base_url, outcome)
    for thread in threads:
        thread.join(timeout=900)
    return outcome


def main() -> list[Outcome]:
    print(f"\nRespondents during exports (SQLite, {RESPONSES:,} responses, {RESPONDENTS} respondents at once)")
    folder = Path(tempfile.mkdtemp(prefix="contention-bench-"))
    try:
        return _measure(f"sqlite:///{folder / 'bench.db'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # a quarter of a gigabyte at 100,000 responses


def _measure(url: str) -> list[Outcome]:
    app = make_app(url)
    fill(app, 1, RESPONSES)
    workers = 2 * (os.cpu_count() or 1) + 1
    outcomes = []
    print(f"{'while':<24}{'requests':>9}{'5xx':>5}{'p95 s':>7}{'max s':>7}{'stored':>8}  exports")
    with gunicorn_server(url, workers=workers, wsgi="bench.wsgi:app") as (base_url, _process):
        for name, formats in SCENARIOS:
            outcome = run_scenario(name, formats, app, base_url)
            outcomes.append(outcome)
            print(
                f"{name:<24}{len(outcome.latencies):>9}{outcome.server_errors:>5}{outcome.p95():>7.2f}"
                f"{max(outcome.latencies, default=float('nan')):>7.2f}{outcome.acknowledged:>5}/{RESPONDENTS}"
                f"  {'; '.join(outcome.exports)} [{'ok' if outcome.met() else 'MISSED'}]"
            )
            for failure in outcome.failures[:3]:
                print(f"  failed: {failure}")
    print(f"Goal: no 5xx, p95 < {TARGET_P95_S:.0f} s, every response stored, every export complete.")
    return outcomes


def shortfalls(outcomes: list[Outcome]) -> tuple[list[str], list[str]]:
    """(problems, missed) for `make bench`: errors and lost responses fail the run; a slow p95 is reported."""
    problems, missed = [], []
    for o in outcomes:
        if o.server_errors or o.failures or o.acknowledged < RESPONDENTS or not all("rows" in e for e in o.exports):
            problems.append(
                f"respondents during {o.scenario}: {o.server_errors} server errors, "
                f"{o.acknowledged}/{RESPONDENTS} stored, exports: {'; '.join(o.exports) or 'none'}"
            )
        elif o.p95() >= TARGET_P95_S:
            missed.append(f"respondents during {o.scenario}: p95 {o.p95():.2f} s (target < {TARGET_P95_S:.0f} s)")
    return problems, missed


if __name__ == "__main__":
    main()
