"""The production set-up in deploy/: nginx (Debian's package) in front of gunicorn.

nginx runs from the project's own site file, with only the ports, paths and certificate
swapped for test ones, as a foreground process of this test (never the system service). It
must keep the site answering while 200 clients each dribble a request one header line at a
time, which with gunicorn alone holds every sync worker.
"""

import gzip
import http.client
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from support.server import PROJECT_ROOT, free_port, gunicorn_server

SITE_FILE = PROJECT_ROOT / "deploy" / "nginx" / "safer-together.conf"
HOST = "safer-together.example.org"
SLOW_CLIENTS = 200


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    assert found, "nginx is missing: `make test` installs it (apt-get install nginx)"
    return found


def site_config(app_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    text = SITE_FILE.read_text()
    swaps = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;\n": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;\n": "",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(cert),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
        "/srv/safer-together/": f"{PROJECT_ROOT}/",
    }
    for old, new in swaps.items():
        assert old in text, f"the site file no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def site(app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={HOST}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    http_port, https_port = free_port(), free_port()
    env = {"PROXY_COUNT": "1"}
    with gunicorn_server(
        app.config["SQLALCHEMY_DATABASE_URI"], workers=2, extra_env=env, log_path=folder / "gunicorn.log"
    ) as (app_url, _process):
        app_port = int(app_url.rsplit(":", 1)[1])
        (folder / "site.conf").write_text(site_config(app_port, http_port, https_port, cert, key))
        (folder / "nginx.conf").write_text(f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""")
        nginx = subprocess.Popen(
            [nginx_binary(), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 15
            while True:
                assert nginx.poll() is None, nginx.stdout.read().decode()
                try:
                    socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "nginx did not start"
                    time.sleep(0.1)
            yield {"https": https_port, "http": http_port, "folder": folder}
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own certificate, made a moment ago
    return context


def get(site, path: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPSConnection("127.0.0.1", site["https"], context=tls(), timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_pages_come_from_the_app_through_nginx_over_https(site):
    status, headers, body = get(site, "/about")
    assert status == 200 and b"<html" in body
    assert "strict-transport-security" not in headers or headers["strict-transport-security"]
    assert headers.get("content-security-policy"), "the app's own headers must pass through"


def test_plain_http_is_redirected_to_https(site):
    conn = http.client.HTTPConnection("127.0.0.1", site["http"], timeout=10)
    conn.request("GET", "/about?x=1", headers={"Host": HOST})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/about?x=1"
    conn.close()


def test_static_files_come_from_disk_compressed_with_nosniff(site):
    status, headers, body = get(site, "/static/css/main.css", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("content-encoding") == "gzip"
    assert b"{" in gzip.decompress(body)
    assert headers.get("x-content-type-options") == "nosniff"
    assert "max-age=3600" in headers.get("cache-control", "")


def test_pages_the_app_did_not_compress_are_compressed(site):
    _, plain_headers, _ = get(site, "/sitemap.xml")
    status, headers, body = get(site, "/sitemap.xml", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert b"<urlset" in gzip.decompress(body)
    assert "content-encoding" not in plain_headers


def test_the_app_sees_the_client_and_https_not_forged_or_underscore_headers(site):
    # The app builds absolute links from the scheme and host nginx vouches for: a forged
    # X-Forwarded-Host, Forwarded or underscore header must not change them.
    status, _, body = get(
        site,
        "/news/feed.xml",
        {
            "X-Forwarded-Host": "evil.example",
            "X_Forwarded_Host": "evil.example",
            "Forwarded": "host=evil.example",
            "X-Forwarded-Proto": "http",
        },
    )
    assert status == 200
    assert b"evil.example" not in body


class SlowClient(threading.Thread):
    """Sends a request one header line at a time, every two seconds, and never finishes it."""

    def __init__(self, port: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.connected = threading.Event()

    def run(self):
        try:
            with (
                socket.create_connection(("127.0.0.1", self.port), timeout=30) as raw,
                tls().wrap_socket(raw, server_hostname=HOST) as sock,
            ):
                sock.sendall(f"GET /about HTTP/1.1\r\nHost: {HOST}\r\n".encode())
                self.connected.set()
                n = 0
                while not self.stop.wait(2):
                    n += 1
                    sock.sendall(f"X-Slow-{n}: {'a' * 10}\r\n".encode())
        except OSError:
            self.connected.set()  # nginx hung up on it: exactly what it should do


def test_200_slow_clients_leave_the_site_answering_within_a_second(site):
    stop = threading.Event()
    clients = [SlowClient(site["https"], stop) for _ in range(SLOW_CLIENTS)]
    try:
        for client in clients:
            client.start()
        for client in clients:
            client.connected.wait(30)
        timings = []
        for _ in range(8):
            started = time.monotonic()
            status, _, _ = get(site, "/about", timeout=5)
            timings.append(time.monotonic() - started)
            assert status == 200
            time.sleep(0.5)
        assert max(timings) < 1.0, f"slowest answer {max(timings):.2f} s with {SLOW_CLIENTS} slow clients"
        assert sum(c.connected.is_set() for c in clients) == SLOW_CLIENTS
    finally:
        stop.set()
