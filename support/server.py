"""Run the real app under gunicorn on a free local port, for browser, concurrency and load tests."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered, even if with an error page
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start within {timeout}s")


@contextmanager
def gunicorn_server(
    database_url: str,
    workers: int = 3,
    app_env: str = "testing",
    wsgi: str = "wsgi:app",
    extra_env: dict | None = None,
    log_path: Path | None = None,
):
    """Yield (base_url, process) for gunicorn serving `wsgi` against `database_url`.

    The caller makes the schema first. Output goes to `log_path` (or is discarded).
    """
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": app_env,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "server-tests-" + "k" * 20 + "0123456789abcdefghij"),
        **(extra_env or {}),
    }
    # Kept open for as long as the server runs; closed in the finally below.
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "5",
            wsgi,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/robots.txt", process=process)
        yield base_url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if log_path:
            log.close()
