"""Page weight: the home page's HTML, CSS and JavaScript (modules followed through their
imports), each gzip-compressed as a server would send it."""

import gzip
import re
import urllib.request
from urllib.parse import urljoin


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def page_weight(page_url: str) -> list[tuple[str, int, int]]:
    """(url, raw bytes, gzipped bytes) for the page and every stylesheet and script it loads."""
    html = _get(page_url)
    text = html.decode("utf-8")
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    assets += re.findall(r'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', text)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', text)
    found = [(page_url, html)]
    seen = set()
    queue = [urljoin(page_url, a) for a in assets] + [urljoin(page_url, s) for s in scripts]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        body = _get(url)
        found.append((url, body))
        if url.endswith((".js", ".mjs")):
            for target in re.findall(rb'(?:import|from)\s*["\']([^"\']+\.m?js)["\']', body):
                queue.append(urljoin(url, target.decode()))
    return [(url, len(body), len(gzip.compress(body, compresslevel=6))) for url, body in found]
