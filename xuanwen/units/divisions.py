"""Reading the division data shipped in the package (see data/SOURCE.md)."""

import lzma
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xuanwen.core import tree

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.tsv.xz"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    pinyin: str
    initials: str


def iter_divisions(prefix: str = "", path: Path = DATA_FILE) -> Iterator[Division]:
    """Every division whose code starts with `prefix`, in code order."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith(prefix):
                continue
            code, name, pinyin, initials = line.rstrip("\n").split("\t")
            yield Division(code, name, pinyin, initials)


@cache
def _upper_levels(path: Path = DATA_FILE) -> dict[str, str]:
    """Code → name for provinces, cities, counties and townships (44k rows, read once)."""
    out: dict[str, str] = {}
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            code, name, _rest = line.split("\t", 2)
            if len(code) < 12:
                out[code] = name
    return out


def full_name(code: str, path: Path = DATA_FILE) -> str:
    names = _upper_levels(path)
    return " ".join(names.get(c, c) for c in [*tree.ancestor_codes(code), code])


def find(query: str, path: Path = DATA_FILE) -> list[str]:
    """Codes matching a code (natural or 12-digit padded) or an exact name, above villages."""
    query = query.strip()
    names = _upper_levels(path)
    if query.isdigit():
        if query in names:
            return [query]
        if len(query) == 12:
            if any(True for _ in iter_divisions(query, path)):
                return [query]
            # A padded code: every level whose code pads to it (东莞市 4419 and 441900 both do).
            stripped = query.rstrip("0")
            return [c for c in names if tree.padded(c) == query and c.startswith(stripped)]
        return []
    return [code for code, name in names.items() if name == query]
