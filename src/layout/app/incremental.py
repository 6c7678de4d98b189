"""Content hashing: an output is rebuilt only when something it is made from changed.

A build's inputs are the source bytes, the photos its figures use, the settings, every
file of the style's folders, and layout itself (version, code and templates).  Their
digest and the outputs made from them are kept in ``<output>/.layout-manifest.json``;
an entry is fresh when its digest matches and every output still exists.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import write_bytes_atomic
from ..model import Document
from ..settings import PACKAGE_DIR, Settings

MANIFEST = ".layout-manifest.json"
SCHEMA = 1


class Digest:
    """An incremental SHA-256 over labelled parts, so that no two inputs run together."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, label: str, data: bytes | str) -> Digest:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._h.update(f"{label}\0{len(raw)}\0".encode())
        self._h.update(raw)
        return self

    def add_file(self, label: str, path: Path) -> Digest:
        try:
            return self.add(label, path.read_bytes())
        except OSError:
            return self.add(label, b"<missing>")

    def hexdigest(self) -> str:
        return self._h.hexdigest()


@functools.cache
def layout_fingerprint() -> str:
    """layout's own version, code and templates: a new layout rebuilds everything."""
    d = Digest().add("version", __version__)
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            d.add_file(str(path.relative_to(PACKAGE_DIR)), path)
    return d.hexdigest()


def _files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def settings_digest(settings: Settings) -> str:
    d = Digest().add("layout", layout_fingerprint())
    d.add("settings", json.dumps(dataclasses.asdict(settings), default=str, sort_keys=True,
                                 ensure_ascii=False))
    for folder in settings.design.style.folders:
        for path in _files(folder):
            d.add_file(str(path), path)
    if settings.run.icc:  # the printer's profile may be replaced under the same name
        d.add_file("icc", Path(settings.run.icc))
    d.add("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", ""))
    return d.hexdigest()


def article_digest(source: Path, doc: Document, settings_hex: str, *options: Any) -> str:
    """The digest of one article's build: source, photos, settings and build options."""
    d = Digest().add("settings", settings_hex).add("options", repr(options))
    d.add("source-path", str(source.resolve())).add_file("source", source)
    for figure in doc.figures:
        if figure.image:
            d.add_file(f"image {figure.image}", source.parent / figure.image)
    return d.hexdigest()


class Manifest:
    """What each output key was last built from, in the output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.out_dir = out_dir
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("schema") == SCHEMA and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError, AttributeError):
            pass  # no manifest or an unreadable one: everything is rebuilt

    def fresh(self, key: str, digest: str) -> bool:
        entry = self.entries.get(key)
        if not entry:
            return False
        return entry.get("digest") == digest and all(
            (self.out_dir / name).is_file() for name in entry.get("outputs", ()))

    def record(self, key: str, digest: str, outputs: Iterable[Path]) -> None:
        entry = {"digest": digest, "outputs": sorted(p.name for p in outputs)}
        self.changed |= self.entries.get(key) != entry
        self.entries[key] = entry

    def forget(self, key: str) -> None:
        self.changed |= self.entries.pop(key, None) is not None

    def save(self) -> None:
        """Write the manifest if an entry changed (a build that wrote nothing writes nothing)."""
        if not self.changed:
            return
        data = {"schema": SCHEMA, "layout": __version__, "entries": self.entries}
        write_bytes_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1,
                                                 sort_keys=True).encode("utf-8"))
