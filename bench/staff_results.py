"""Staff results pages at 10,000 and 100,000 residents' responses (target: under 1 s).

`python -m bench.staff_results` or `main()` (called by `make bench`). Prints, per database and
size, the time to render the results page (first request, then the best of three), the round
overview and the written-answers page, through the test client as a signed-in admin.
"""

from __future__ import annotations

import time

from bench.staff_data import ROUND, SURVEY, database_urls, fill, make_app, signed_in_client

SIZES = (10_000, 100_000)
TARGET_SECONDS = 1.0
PAGES = [
    ("results page", f"/staff/results/{SURVEY}"),
    ("results, filtered", f"/staff/results/{SURVEY}?area=Foxton&channel=online"),
    ("round overview", f"/staff/rounds/{ROUND.replace('/', '-')}"),
    ("written answers", f"/staff/results/{SURVEY}/free-text?q=lighting"),
]


def _time(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def measure(label: str, url: str, sizes=SIZES) -> list[tuple]:
    app = make_app(url)
    client = signed_in_client(app)
    rows, filled = [], 0
    for size in sizes:
        started = time.perf_counter()
        fill(app, filled + 1, size - filled)
        fill_seconds = time.perf_counter() - started
        filled = size
        for name, page in PAGES:
            first = _time(client, page)
            best = min(_time(client, page) for _ in range(3))
            rows.append((label, size, name, first, best, fill_seconds))
    return rows


def main(sizes=SIZES) -> list[tuple]:
    print("\nStaff results pages (target: results page under 1 s at 100,000 responses)")
    print(f"{'database':<11} {'responses':>9}  {'page':<18} {'first (s)':>9} {'best of 3 (s)':>13}  verdict")
    rows = []
    for label, url in database_urls():
        for row in measure(label, url, sizes):
            rows.append(row)
            db_label, size, name, first, best, _ = row
            verdict = "ok" if first < TARGET_SECONDS else "SLOW"
            print(f"{db_label:<11} {size:>9,}  {name:<18} {first:>9.3f} {best:>13.3f}  {verdict}")
    return rows


def shortfalls(rows: list[tuple]) -> tuple[list[str], list[str]]:
    """(problems, missed) for `make bench`: a page slower than the target on its first request."""
    missed = [
        f"staff {name} at {size:,} responses ({label}): {first:.2f} s (target < {TARGET_SECONDS:.0f} s)"
        for label, size, name, first, _best, _fill in rows
        if first >= TARGET_SECONDS
    ]
    return [], missed


if __name__ == "__main__":
    main()
