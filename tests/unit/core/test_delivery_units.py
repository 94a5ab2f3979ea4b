"""The small rules behind compression, canonical addresses and the static build."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import brotli
import pytest
from werkzeug.routing import Map, Rule

from app.assets.build import build
from app.delivery.canonical import canonical_path
from app.delivery.compression import Encoded, accepted_encodings


@pytest.mark.parametrize(
    "header, expected",
    [
        ("gzip, deflate, br, zstd", ("br", "gzip")),
        ("gzip", ("gzip",)),
        ("br;q=0, gzip;q=0.5", ("gzip",)),
        ("identity", ()),
        ("*", ("br", "gzip")),
        ("*, gzip;q=0", ("br",)),
        ("", ()),
        ("br;q=nonsense", ()),
    ],
)
def test_which_encodings_a_browser_accepts(header, expected):
    assert accepted_encodings(header) == expected


def test_a_page_is_kept_in_each_encoding_and_unpacks_to_the_same_bytes():
    html = ("<p>" + "Safer streets for everyone. " * 200 + "</p>").encode()
    page = Encoded.of(html, "text/html")
    assert bytes(brotli.decompress(page.choose("br")[1])) == html
    assert gzip.decompress(page.choose("gzip")[1]) == html
    assert page.choose("identity") == (None, html)
    # Tiny bodies and images are sent as they are.
    assert Encoded.of(b"ok", "text/plain").variants == {}
    assert Encoded.of(html, "image/png").variants == {}


URL_MAP = Map([Rule("/"), Rule("/news"), Rule("/news/<slug>"), Rule("/staff/"), Rule("/staff/login")])


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", None),
        ("/news", None),
        ("/news/", "/news"),
        ("//news", "/news"),
        ("/news//item", "/news/item"),
        ("///", "/"),
        ("/staff/", None),
        ("/staff//", "/staff/"),
        ("/staff/login/", "/staff/login"),
        ("/no-such-page/", "/no-such-page"),
    ],
)
def test_the_one_address_of_a_path(path, expected):
    assert canonical_path(path, URL_MAP) == expected


def test_static_build_hashes_names_and_rewrites_references_to_them(tmp_path: Path):
    source = tmp_path / "static"
    (source / "images").mkdir(parents=True)
    (source / "css").mkdir()
    (source / "images" / "logo.svg").write_text("<svg/>")
    (source / "css" / "main.css").write_text('a{background:url("/static/images/logo.svg")}')
    manifest = build(source, source / "build")
    logo, css = manifest["images/logo.svg"], manifest["css/main.css"]
    assert logo.startswith("images/logo.") and logo.endswith(".svg") and logo != "images/logo.svg"
    assert f'url("/static/{logo}")' in (source / "build" / css).read_text()
    assert json.loads((source / "build" / "manifest.json").read_text()) == manifest
    # A changed image gives the stylesheet that uses it a new name too.
    (source / "images" / "logo.svg").write_text("<svg><g/></svg>")
    assert build(source, source / "build")["css/main.css"] != css
