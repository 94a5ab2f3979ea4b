"""`make bench`: speed, page weight and reliability figures, measured side by side in one run.

For SQLite and then PostgreSQL: gunicorn with (2 x cores) + 1 workers serves the site and, with
the same settings, a bare Flask hello-world; wrk loads each page for the same time, asking for
compression as browsers do; then survey responses are posted by concurrent respondents and checked
against the database, once calmly and once while a worker is killed. On SQLite, Chromium then
measures the bytes of a phone's visit and Lighthouse scores six pages. Only loopback addresses,
and every loop is bounded.

Settings (environment): BENCH_SECONDS (wrk time per URL, split into 3 rounds; default 10), BENCH_CONNECTIONS (32),
BENCH_RESPONSES (responses per burst, default 60), BENCH_DATABASE_URL (PostgreSQL database,
default the `bench` database on the local server, made if missing).
"""

import importlib
import importlib.util
import os
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench import lighthouse, load, submissions
from support.server import gunicorn_server

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = 3
ROUND_SECONDS = max(2, round(SECONDS / ROUNDS))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "60"))
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
PAGES = [
    ("home page", "/"),
    ("plan 2020-23 (long)", "/plan/2020-23"),
    ("crime figures", "/crime-figures"),
    ("campaign", "/campaigns/fatal-four"),
]
TARGET_RATIO = 1.0
TARGET_P95_MS = 50
FIRST_VISIT_KB = 40
NEXT_PAGE_KB = 8
NEXT_PAGES = ["/plan/2020-23", "/crime-figures", "/campaigns/fatal-four", "/consultations"]
RESULTS = Path(__file__).resolve().parent / "results"


def ensure_postgres_database(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("test", "postgres", ""):
        raise SystemExit(f"refusing to bench on the {name!r} database: use a database of its own")
    admin = parts._replace(path="/postgres").geturl().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def fresh_schema(database_url: str):
    from app import create_app
    from app.config import database_url as normalise
    from app.extensions import db

    flask_app = create_app("testing", SQLALCHEMY_DATABASE_URI=normalise(database_url))
    with flask_app.app_context():
        db.drop_all()
        db.create_all()
    return flask_app


def resident_survey_start(flask_app) -> tuple[str, str]:
    from app.surveys import scheduling
    from app.surveys.questions.definitions import load_surveys

    today = scheduling.today_for(flask_app.config)
    for survey in load_surveys(flask_app.config["CONTENT_DIR"]):
        if survey.audience == "resident" and scheduling.status_on(survey, today, survey.closes) == scheduling.OPEN:
            return survey.slug, f"/consultations/{survey.slug}"
    raise SystemExit("no open resident survey to post responses to")


def warm(url: str, times: int) -> None:
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()


def mark(ok: bool) -> str:
    return "ok " if ok else "MISSED"


def bench_database(label: str, database_url: str, workers: int, problems: list[str], missed: list[str]) -> None:
    print(f"\n== {label}: gunicorn, {workers} workers, wrk -t2 -c{CONNECTIONS} --latency ==")
    flask_app = fresh_schema(database_url)
    slug, start = resident_survey_start(flask_app)
    # Both servers read the project's gunicorn.conf.py (worker recycling, logging) like `make run`.
    RESULTS.mkdir(exist_ok=True)
    log = RESULTS / f"gunicorn-{label.lower()}.log"
    with (
        gunicorn_server(database_url, workers=workers, wsgi="bench.hello:app", log_path=log) as (hello_url, _),
        gunicorn_server(database_url, workers=workers, wsgi="bench.wsgi:app", log_path=log) as (site_url, master),
    ):
        targets = [("hello-world", hello_url + "/")] + [(name, site_url + path) for name, path in PAGES]
        for _, url in targets:
            warm(url, workers * 4)
        # Short rounds, each measuring hello-world and every page one after the other: load from
        # elsewhere on the machine then hits all of them alike, and the median of the rounds'
        # ratios is what is reported.
        rounds = [[load.run_wrk(name, url, ROUND_SECONDS, CONNECTIONS) for name, url in targets] for _ in range(ROUNDS)]
        print(
            f"{'page':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'ratio':>8}{'KB/resp':>9}{'non-2xx':>9}"
            f"{'socket err':>11}   (median of {ROUNDS} rounds of {ROUND_SECONDS}s; {load.ACCEPT_ENCODING})"
        )
        for index, (name, _) in enumerate(targets):
            runs = [r[index] for r in rounds]
            ratio = statistics.median(r[index].requests_per_second / r[0].requests_per_second for r in rounds)
            rps, p50, p95, p99 = (
                statistics.median(getattr(run, a) for run in runs)
                for a in ("requests_per_second", "p50_ms", "p95_ms", "p99_ms")
            )
            non_2xx, socket_errors = sum(r.non_2xx for r in runs), sum(r.socket_errors for r in runs)
            size = statistics.median(r.bytes_per_response for r in runs) / 1024
            print(
                f"{name:<22}{rps:>9.0f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{ratio:>8.2f}{size:>9.1f}{non_2xx:>9}"
                f"{socket_errors:>11}"
            )
            if name != "hello-world":
                if ratio < TARGET_RATIO:
                    missed.append(f"{label} {name}: {ratio:.2f} of hello-world (target {TARGET_RATIO})")
                if p95 >= TARGET_P95_MS:
                    missed.append(f"{label} {name}: p95 {p95:.1f} ms (target < {TARGET_P95_MS})")
            if non_2xx:
                problems.append(f"{label} {name}: {non_2xx} error answers (non-2xx)")
        memory = submissions.rss_mb(submissions.worker_pids(master.pid))
        if memory:
            print(
                f"worker memory after load: {min(memory):.0f}-{max(memory):.0f} MB RSS each, "
                f"{sum(memory):.0f} MB in all"
            )

        clients = min(16, CONNECTIONS)
        before = submissions.stored_references(flask_app, slug)
        calm = submissions.run_burst("submissions", site_url, start, RESPONSES, clients)
        print(f"survey submissions ({clients} respondents at once): {submissions.summary(calm)}")
        hello_rps = statistics.median(r[0].requests_per_second for r in rounds)
        if calm.seconds and hello_rps:
            # Each response is a whole journey (about seven requests, every one of them written to
            # the database), so this ratio is of complete responses to single hello-world requests.
            rate = len(calm.acknowledged) / calm.seconds
            print(
                f"  ratio to hello-world on the same server settings: {rate:.1f} responses/s / "
                f"{hello_rps:.0f} requests/s = {rate / hello_rps:.4f}"
            )
        found = submissions.stored_check(flask_app, slug, calm, before) + [f"failed: {f}" for f in calm.failures[:3]]
        print(f"  stored: {'every acknowledged response once, none extra' if not found else '; '.join(found)}")
        problems += [f"{label} submissions: {p}" for p in found]

        before = submissions.stored_references(flask_app, slug)
        killed = submissions.run_burst("worker killed", site_url, start, RESPONSES, clients, kill_master_pid=master.pid)
        print(f"worker {killed.killed_pid} killed (SIGKILL) mid-burst: {submissions.summary(killed)}")
        found = submissions.stored_check(flask_app, slug, killed, before) + [
            f"failed: {f}" for f in killed.failures[:3]
        ]
        print(f"  stored: {'every acknowledged response once, none extra' if not found else '; '.join(found)}")
        if killed.killed_pid is None:
            found.append("no worker was found to kill")
        problems += [f"{label} worker kill: {p}" for p in found]
        if label == "SQLite":
            print_phone_figures(site_url, start, missed)
    from app.extensions import db

    with flask_app.app_context():
        db.engine.dispose()


def print_phone_figures(site_url: str, survey_start: str, missed: list[str]) -> None:
    """Bytes of a phone's visit (Chromium's network log), then Lighthouse's scores."""
    from playwright.sync_api import sync_playwright

    from bench import phone

    print(f"\nphone visit, bytes transferred (Chromium's network log, {phone.PHONE_WIDTH} px):")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=lighthouse.CHROME, args=["--headless", "--no-sandbox"])
        try:
            for then in NEXT_PAGES:
                first, following = phone.visit_weights(browser, site_url, "/", then)
                if then == NEXT_PAGES[0]:
                    for transfer in first.transfers:
                        print(f"  {urlsplit(transfer.url).path:<52}{transfer.bytes / 1024:>7.1f} KB")
                    print(
                        f"  {'first visit to the home page':<52}{first.total / 1024:>7.1f} KB "
                        f"[{mark(first.total / 1024 <= FIRST_VISIT_KB)} target <= {FIRST_VISIT_KB} KB]"
                    )
                    if first.total / 1024 > FIRST_VISIT_KB:
                        missed.append(f"first visit to the home page: {first.total / 1024:.1f} KB")
                print(
                    f"  {'then ' + then:<52}{following.total / 1024:>7.1f} KB "
                    f"[{mark(following.total / 1024 <= NEXT_PAGE_KB)} target <= {NEXT_PAGE_KB} KB]"
                )
                if following.total / 1024 > NEXT_PAGE_KB:
                    missed.append(f"next page {then}: {following.total / 1024:.1f} KB")
        finally:
            browser.close()
    question = survey_start + "/" + first_question_page(survey_start)
    pages = [(name, path, True) for name, path in PAGES] + [
        ("survey start page", survey_start, True),
        ("question page", question, False),
    ]
    print("\nLighthouse 12, mobile preset (simulated slow 4G, 4x slower CPU), Debian Chromium:")
    reports = [lighthouse.run(name, site_url + path, indexable) for name, path, indexable in pages]
    lighthouse.print_table(reports)
    for report in reports:
        missed += [f"Lighthouse {text}" for text in report.missed()]
        if report.cls > 0:
            missed.append(f"Lighthouse {report.name}: CLS {report.cls:.3f} (target 0)")


def first_question_page(survey_start: str) -> str:
    from app.config import PROJECT_ROOT
    from app.surveys.questions.definitions import get_survey

    survey = get_survey(PROJECT_ROOT / "content", survey_start.rstrip("/").rsplit("/", 1)[-1])
    assert survey is not None and survey.pages, survey_start
    return survey.pages[0].id


def run_staff_benches(problems: list[str], missed: list[str]) -> None:
    for name in ("bench.staff_results", "bench.staff_exports", "bench.export_contention", "bench.hostile_drafts"):
        if importlib.util.find_spec(name) is None:
            print(f"\n({name} not present)")
            continue
        print(f"\n== {name} ==")
        module = importlib.import_module(name)
        result = module.main()
        if hasattr(module, "shortfalls"):  # benches with goals say which they met
            found_problems, found_missed = module.shortfalls(result)
            problems += found_problems
            missed += found_missed


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # show each figure as it comes, even when piped
    cores = os.cpu_count() or 1
    workers = 2 * cores + 1
    print(
        f"Safer Together bench: {cores} cores, "
        f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.1f} GB RAM, "
        f"Python {sys.version.split()[0]}"
    )
    problems: list[str] = []  # lost, doubled or failed responses: the run fails
    missed: list[str] = []  # speed and weight targets: reported
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        bench_database("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", workers, problems, missed)
    bench_database("PostgreSQL", ensure_postgres_database(PG_URL), workers, problems, missed)
    run_staff_benches(problems, missed)
    print(
        f"\nTargets: content pages >= {TARGET_RATIO:.1f}x hello-world, p95 < {TARGET_P95_MS} ms at "
        f"{CONNECTIONS} connections, no lost or doubled responses, first visit <= {FIRST_VISIT_KB} KB and next "
        f"page <= {NEXT_PAGE_KB} KB, Lighthouse performance >= 98, accessibility, best practices and SEO "
        "(indexable pages) 100, CLS 0."
    )
    if missed:
        print("Targets missed:\n- " + "\n- ".join(missed))
    if problems:
        print("RELIABILITY PROBLEMS:\n- " + "\n- ".join(problems))
    if not missed and not problems:
        print("All targets met.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
