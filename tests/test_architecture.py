"""ARCHITECTURE.md stays true: every package and module it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "ARCHITECTURE.md"

# A backquoted path: a folder ending in "/" or a file with an extension.
PATH = re.compile(r"`([A-Za-z_][\w./-]*(?:/|\.py|\.md))`")


DIALECTS = ("opendental", "drchrono", "orgapi")


def named_paths() -> list[str]:
    return sorted(set(PATH.findall(DOC.read_text())))


def test_the_document_names_paths() -> None:
    assert len(named_paths()) > 20


def exists(path: str) -> bool:
    if "/x/" in path:  # the layout rule's example
        return True
    if "/" not in path:  # a part of a dialect package ("resource.py")
        return any((ROOT / "dialects" / d / path).exists() for d in DIALECTS)
    return (ROOT / path).exists()


def test_every_named_package_and_module_exists() -> None:
    assert [p for p in named_paths() if not exists(p)] == []


def test_every_dialect_package_has_the_documented_parts() -> None:
    for name in DIALECTS:
        package = ROOT / "dialects" / name
        for part in ("dialect.py", "resource.py", "params.py", "paging.py", "bodies.py"):
            assert (package / part).exists(), f"{name}/{part}"
