"""Survey submissions under load: every acknowledged response stored exactly once, even when a
gunicorn worker is killed in the middle of the burst."""

import os
import signal
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from bench.survey_client import SurveyClient, SurveyError


@dataclass
class Burst:
    name: str
    acknowledged: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    submit_seconds: list[float] = field(default_factory=list)
    retries: int = 0
    seconds: float = 0.0
    killed_pid: int | None = None

    def percentile(self, p: float) -> float:
        if not self.submit_seconds:
            return float("nan")
        ordered = sorted(self.submit_seconds)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def worker_pids(master_pid: int) -> list[int]:
    """gunicorn's workers: the children of the master process we started."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mb(pids: list[int]) -> list[float]:
    sizes = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return sizes


def run_burst(
    name: str,
    base_url: str,
    start_path: str,
    responses: int,
    clients: int,
    kill_master_pid: int | None = None,
    kill_after: float = 2.0,
) -> Burst:
    """`responses` complete responses from `clients` respondents at once; optionally SIGKILL one
    worker of `kill_master_pid` after `kill_after` seconds."""
    burst = Burst(name)
    lock = threading.Lock()
    remaining = [responses]

    def respondent():
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            client = SurveyClient(base_url)
            try:
                reference = client.answer(start_path)
            except SurveyError as error:
                with lock:
                    burst.failures.append(str(error)[:300])
                    burst.retries += client.retries_used
                continue
            with lock:
                burst.acknowledged.append(reference)
                burst.submit_seconds.append(client.final_post_seconds or 0.0)
                burst.retries += client.retries_used

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(respondent) for _ in range(clients)]
        if kill_master_pid is not None:
            time.sleep(kill_after)
            pids = worker_pids(kill_master_pid)
            if pids:
                burst.killed_pid = pids[0]
                os.kill(pids[0], signal.SIGKILL)
        for future in futures:
            future.result()
    burst.seconds = time.perf_counter() - began
    return burst


def stored_references(flask_app, slug: str) -> set[str]:
    from app.extensions import db
    from app.surveys.survey_models import Response

    with flask_app.app_context():
        found = set(db.session.scalars(select(Response.reference).where(Response.survey_slug == slug)))
        db.session.remove()
    return found


def stored_check(flask_app, slug: str, burst: Burst, before: set[str]) -> list[str]:
    """Problems between what the clients were told and what the database holds (rows made
    during the burst: those not in `before`)."""
    from app.extensions import db
    from app.surveys.survey_models import Response

    problems = []
    with flask_app.app_context():
        references = list(db.session.scalars(select(Response.reference).where(Response.survey_slug == slug)))
        without_answers = db.session.scalar(
            select(func.count(Response.id)).where(Response.survey_slug == slug, ~Response.answer_rows.any())
        )
        keys = db.session.scalar(
            select(func.count(func.distinct(Response.submission_key))).where(Response.survey_slug == slug)
        )
        db.session.remove()
    stored = set(references) - before
    lost = [r for r in burst.acknowledged if r not in stored]
    if lost:
        problems.append(f"{len(lost)} acknowledged responses not stored: {lost[:5]}")
    if len(set(burst.acknowledged)) != len(burst.acknowledged):
        problems.append("the same reference was given for two different responses")
    if keys != len(references):  # over the whole table
        problems.append(f"{len(references) - keys} duplicated submissions")
    if without_answers:
        problems.append(f"{without_answers} responses stored without their answers (partial write)")
    if len(stored) != len(burst.acknowledged):
        problems.append(f"{len(stored)} rows for {len(burst.acknowledged)} acknowledged responses")
    return problems


def summary(burst: Burst) -> str:
    rate = len(burst.acknowledged) / burst.seconds if burst.seconds else 0
    mean = statistics.mean(burst.submit_seconds) * 1000 if burst.submit_seconds else float("nan")
    return (
        f"{len(burst.acknowledged)} responses in {burst.seconds:.1f}s = {rate:.1f} responses/s; final POST "
        f"p50 {burst.percentile(50):.0f} ms, p95 {burst.percentile(95):.0f} ms, p99 {burst.percentile(99):.0f} ms "
        f"(mean {mean:.0f} ms); {burst.retries} retried requests, {len(burst.failures)} failed"
    )
