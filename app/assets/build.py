"""Copies the static files under content-hashed names and writes the manifest that maps them.

Run by the Makefile after the CSS is compiled: `python app/assets/build.py app/static app/static/build`.
A hashed name changes whenever the file does, so browsers may keep every file for a year without
asking again (`Cache-Control: immutable`); the templates find the current name through the
manifest (`asset_url` in app/assets_web.py). WhiteNoise serves the build folder; it hashes names
only inside Django, so the hashing is done here. References between the files (the CSS's images,
the module's import of GOV.UK Frontend) are rewritten to the hashed names before those files are
hashed themselves, so a changed image gives the CSS that uses it a new name too.

Plain Python: no web framework is imported, so the build runs before anything else is set up.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

MANIFEST_NAME = "manifest.json"
URL_PREFIX = "/static/"
# Files that refer to other static files by address; every other file is copied as it is.
REFERRING_SUFFIXES = (".css", ".mjs")
HASH_LENGTH = 12


def hashed_name(relative: str, body: bytes) -> str:
    """`css/main.css` → `css/main.<hash>.css`; the hash is of the bytes that will be served."""
    path = Path(relative)
    digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _rewrite(body: bytes, manifest: dict[str, str]) -> bytes:
    text = body.decode("utf-8")
    # Longest first, so `a/b.css` is not replaced inside a reference to `a/b.css.map`.
    for source in sorted(manifest, key=len, reverse=True):
        text = text.replace(URL_PREFIX + source, URL_PREFIX + manifest[source])
    return text.encode("utf-8")


def build(source_dir: Path, output_dir: Path) -> dict[str, str]:
    """Write the hashed copies and the manifest into `output_dir` (emptied first)."""
    if output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True)
    files = sorted(
        path.relative_to(source_dir).as_posix()
        for path in source_dir.rglob("*")
        if path.is_file() and output_dir not in path.parents and not path.name.startswith(".")
    )
    plain = [name for name in files if not name.endswith(REFERRING_SUFFIXES)]
    referring = [name for name in files if name.endswith(REFERRING_SUFFIXES)]
    manifest: dict[str, str] = {}
    for name in plain + referring:
        body = (source_dir / name).read_bytes()
        if name in referring:
            body = _rewrite(body, manifest)
        target = hashed_name(name, body)
        (output_dir / target).parent.mkdir(parents=True, exist_ok=True)
        (output_dir / target).write_bytes(body)
        manifest[name] = target
    (output_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: build.py SOURCE_DIR OUTPUT_DIR", file=sys.stderr)
        return 2
    manifest = build(Path(argv[0]), Path(argv[1]))
    print(f"{len(manifest)} static files hashed into {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
