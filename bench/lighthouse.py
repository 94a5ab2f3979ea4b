"""Lighthouse (the npm dev dependency), mobile preset, on Debian's Chromium, for a few pages.

Run by `make bench` against the site it serves; `python -m bench.lighthouse URL...` runs it alone.
Lighthouse's own default throttling is simulated, so its figures depend little on the machine's
load; each page is still run in turn, never in parallel, on a shared machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CLI = PROJECT_ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
TIMEOUT_SECONDS = 240


@dataclass
class Report:
    name: str
    url: str
    scores: dict[str, int]
    cls: float
    lcp_ms: float
    indexable: bool
    failing: list[str]

    def missed(self) -> list[str]:
        return [
            f"{self.name}: {category} {self.scores[category]} (target {target})"
            for category, target in TARGETS.items()
            if (category != "seo" or self.indexable) and self.scores[category] < target
        ]


def run(name: str, url: str, indexable: bool = True) -> Report:
    if not CLI.is_file():
        raise SystemExit(f"Lighthouse is not installed ({CLI}): run `npm ci`.")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        output = Path(tmp) / "report.json"
        subprocess.run(
            [
                "node",
                str(CLI),
                url,
                "--output=json",
                f"--output-path={output}",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            env={**os.environ, "CHROME_PATH": CHROME},
            check=True,
            timeout=TIMEOUT_SECONDS,
        )
        report = json.loads(output.read_text(encoding="utf-8"))
    audits = report["audits"]
    failing = sorted(
        key for key, audit in audits.items() if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    )
    return Report(
        name=name,
        url=url,
        indexable=indexable,
        failing=failing,
        scores={category: round((report["categories"][category]["score"] or 0) * 100) for category in CATEGORIES},
        cls=float(audits["cumulative-layout-shift"]["numericValue"]),
        lcp_ms=float(audits["largest-contentful-paint"]["numericValue"]),
    )


def print_table(reports: list[Report]) -> None:
    print(f"{'page':<24}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'CLS':>8}{'LCP ms':>9}  failing audits")
    for r in reports:
        seo = str(r.scores["seo"]) if r.indexable else f"({r.scores['seo']})"
        print(
            f"{r.name:<24}{r.scores['performance']:>6}{r.scores['accessibility']:>6}{r.scores['best-practices']:>6}"
            f"{seo:>6}{r.cls:>8.3f}{r.lcp_ms:>9.0f}  {', '.join(r.failing) or '-'}"
        )
    print("(seo) in brackets: a page kept out of search engines on purpose (noindex), so not a target.")


def main(urls: list[str]) -> int:
    reports = [run(url, url) for url in urls]
    print_table(reports)
    return 1 if any(r.missed() for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
