"""Reading the division data shipped in the package (see data/SOURCE.md).

The file is read in one go: decompressed, decoded and split into lines, each line being
`code\\tname\\tpinyin\\tinitials`. That is about a second for the 665k lines of the whole country;
the lines stay plain strings (no object per division), which is what the import of the whole
country needs. The file is sorted by code, and so the lines are sorted as strings too (a tab sorts
before every digit, so "33\\t…" < "3301\\t…"): a subtree is a slice of them found by bisection.
"""

import lzma
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from xuanwen.core import tree

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.tsv.xz"

# Sorts after every digit and the tab: a bound above all the lines whose code starts with a prefix.
_AFTER_DIGITS = ":"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    pinyin: str
    initials: str


def read_lines(path: Path = DATA_FILE) -> list[str]:
    """Every line of the data file, without its line end, in code order."""
    lines = lzma.decompress(path.read_bytes()).decode("utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()  # after the last line end
    return lines


class Divisions:
    """The data file read once, with the look-ups an import needs."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> "Divisions":
        return cls(read_lines(path))

    def subtree(self, prefix: str) -> list[str]:
        """The lines of every division whose code starts with `prefix`, in code order."""
        if not prefix:
            return self.lines
        start = bisect_left(self.lines, prefix)
        return self.lines[start : bisect_left(self.lines, prefix + _AFTER_DIGITS, start)]

    def line(self, code: str) -> str | None:
        """The line of the division `code`, if there is one."""
        key = code + "\t"
        i = bisect_left(self.lines, key)
        return self.lines[i] if i < len(self.lines) and self.lines[i].startswith(key) else None

    @cached_property
    def names(self) -> dict[str, str]:
        """Code → name for provinces, cities, counties and townships (44k of the lines)."""
        out: dict[str, str] = {}
        for line in self.lines:
            code, name, _rest = line.split("\t", 2)
            if len(code) < 12:
                out[code] = name
        return out

    def find(self, query: str) -> list[str]:
        """As `find` below, from these lines."""
        code = query.strip()
        if code.isdigit() and len(code) < 12 and self.line(code) is not None:
            return [code]  # the common case, without building `names`
        return _find(query, self.names, lambda c: self.line(c) is not None)

    def full_name(self, code: str) -> str:
        return _full_name(code, self.names)


def iter_divisions(prefix: str = "", path: Path = DATA_FILE) -> Iterator[Division]:
    """Every division whose code starts with `prefix`, in code order."""
    for line in Divisions.load(path).subtree(prefix):
        code, name, pinyin, initials = line.split("\t")
        yield Division(code, name, pinyin, initials)


@cache
def _upper_levels(path: Path = DATA_FILE) -> dict[str, str]:
    """Code → name for provinces, cities, counties and townships (44k rows, read once)."""
    return Divisions.load(path).names


def full_name(code: str, path: Path = DATA_FILE) -> str:
    return _full_name(code, _upper_levels(path))


def find(query: str, path: Path = DATA_FILE) -> list[str]:
    """Codes matching a code (natural or 12-digit padded) or an exact name, above villages."""
    return _find(
        query, _upper_levels(path), lambda code: any(True for _ in iter_divisions(code, path))
    )


def _full_name(code: str, names: dict[str, str]) -> str:
    return " ".join(names.get(c, c) for c in [*tree.ancestor_codes(code), code])


def _find(query: str, names: dict[str, str], exists: Callable[[str], bool]) -> list[str]:
    query = query.strip()
    if query.isdigit():
        if query in names:
            return [query]
        if len(query) == 12:
            if exists(query):
                return [query]
            # A padded code: every level whose code pads to it (东莞市 4419 and 441900 both do).
            stripped = query.rstrip("0")
            return [c for c in names if tree.padded(c) == query and c.startswith(stripped)]
        return []
    return [code for code, name in names.items() if name == query]
