"""Running wrk against one URL and reading its figures."""

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("report.lua")


@dataclass
class LoadResult:
    name: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non_2xx: int  # answers that were errors: a real problem
    socket_errors: int  # connections wrk saw fail (timeouts, resets when a worker recycles)
    requests: int
    bytes_read: int = 0  # headers and bodies as sent: compressed when the page is

    @property
    def bytes_per_response(self) -> float:
        return self.bytes_read / self.requests if self.requests else 0.0


# Every client asks for compression, as browsers do: the figures are for what phones really get.
ACCEPT_ENCODING = "Accept-Encoding: br, gzip"


def run_wrk(name: str, url: str, seconds: int, connections: int = 32, threads: int = 2) -> LoadResult:
    completed = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            ACCEPT_ENCODING,
            "-s",
            str(SCRIPT),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    match = re.search(r"^BENCH (\{.*\})$", completed.stdout, flags=re.M)
    if not match:
        raise RuntimeError(f"could not read wrk's output for {url}:\n{completed.stdout}\n{completed.stderr}")
    figures = json.loads(match.group(1))
    seconds_run = figures["duration_us"] / 1e6
    return LoadResult(
        name=name,
        requests_per_second=figures["requests"] / seconds_run,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        non_2xx=figures["non_2xx"],
        socket_errors=figures["socket_errors"],
        requests=figures["requests"],
        bytes_read=figures["bytes"],
    )
