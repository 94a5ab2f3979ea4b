"""Staff exports (CSV, XLSX, JSON) at 10,000 and 100,000 residents' responses: time and memory.

`python -m bench.staff_exports` or `main()` (called by `make bench`). Each export runs in a
fresh Python process (so peak memory belongs to that export alone): it signs in, downloads
the export through the test client reading the streamed body chunk by chunk, and reports
the time, the file size, the resident memory before the request and the peak (ru_maxrss).
"Flat" means the peak hardly moves from 10k to 100k responses.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.staff_data import SURVEY, database_urls, fill, make_app

SIZES = (10_000, 100_000)
FORMATS = ("csv", "json", "xlsx")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(url: str, fmt: str) -> dict:
    """Runs in its own process: one export, measured."""
    from bench.staff_data import signed_in_client

    app = make_app(url, fresh=False)
    client = signed_in_client(app)
    before = _rss_kib()
    started = time.perf_counter()
    response = client.get(f"/staff/exports/{SURVEY}/download?format={fmt}&anonymised=no")
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return {
        "seconds": elapsed,
        "bytes": size,
        "rss_before_mib": before / 1024,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": int(response.headers.get("X-Export-Rows", "0")),
    }


def _run_child(url: str, fmt: str) -> dict:
    code = (
        "import json, sys; from bench.staff_exports import child; "
        "print('RESULT ' + json.dumps(child(sys.argv[1], sys.argv[2])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, url, fmt],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        timeout=600,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"export {fmt} failed:\n{done.stderr[-2000:]}")


def measure(label: str, url: str, sizes=SIZES, formats=FORMATS) -> list[dict]:
    app = make_app(url)
    rows, filled = [], 0
    for size in sizes:
        fill(app, filled + 1, size - filled)
        filled = size
        for fmt in formats:
            result = _run_child(url, fmt)
            rows.append({"database": label, "responses": size, "format": fmt, **result})
    return rows


def main(sizes=SIZES) -> list[dict]:
    print("\nStaff exports (each in a fresh process; peak = ru_maxrss, before = RSS after sign-in)")
    print(
        f"{'database':<11} {'responses':>9} {'format':<6} {'seconds':>8} {'size (MB)':>9} "
        f"{'before (MiB)':>12} {'peak (MiB)':>10} {'growth (MiB)':>12}"
    )
    rows = []
    for label, url in database_urls():
        for row in measure(label, url, sizes):
            rows.append(row)
            print(
                f"{row['database']:<11} {row['responses']:>9,} {row['format']:<6} {row['seconds']:>8.2f} "
                f"{row['bytes'] / 1e6:>9.1f} {row['rss_before_mib']:>12.0f} {row['peak_mib']:>10.0f} "
                f"{row['peak_mib'] - row['rss_before_mib']:>12.0f}"
            )
    return rows


if __name__ == "__main__":
    main()
