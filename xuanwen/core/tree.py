"""The unit tree as code paths.

A division code is its own path: every ancestor's code is a prefix of it, and its length
says its level (2 province, 4 city, 6 county, 9 township, 12 village). A subtree is therefore a
range of codes, which an ordinary B-tree index serves on SQLite and PostgreSQL alike, and a
roll-up by child is a GROUP BY on a prefix of the code. No recursion anywhere.
"""

from django.db.models import Q

LEVEL_LENGTHS = (2, 4, 6, 9, 12)


def level_of(code: str) -> int:
    """1 for a province … 5 for a village; ValueError for a malformed code."""
    if not code.isdigit() or len(code) not in LEVEL_LENGTHS:
        raise ValueError(f"not a division code: {code!r}")
    return LEVEL_LENGTHS.index(len(code)) + 1


def parent_code(code: str) -> str | None:
    level = level_of(code)
    return code[: LEVEL_LENGTHS[level - 2]] if level > 1 else None


def ancestor_codes(code: str) -> list[str]:
    """Codes of all ancestors, top first."""
    return [code[:n] for n in LEVEL_LENGTHS if n < len(code)]


def child_length(code: str) -> int | None:
    """Length of the codes of this unit's children, None for a village."""
    level = level_of(code) if code else 0
    return LEVEL_LENGTHS[level] if level < len(LEVEL_LENGTHS) else None


def padded(code: str) -> str:
    """The 12-digit statistical form (not unique, so for display only)."""
    return code.ljust(12, "0")


def _upper_bound(prefix: str) -> str | None:
    # Every code starting with `prefix` sorts before prefix+1 (same length, digits only).
    if set(prefix) == {"9"}:
        return None
    return str(int(prefix) + 1).zfill(len(prefix))


def subtree_q(prefix: str, field: str = "code") -> Q:
    """Rows whose `field` (a unit code) lies in the subtree under `prefix`.

    An empty prefix means the whole country. The filter is a half-open range rather than
    LIKE 'prefix%': SQLite only uses an index for LIKE under a NOCASE collation, whereas a range
    is served by the plain index on both databases.
    """
    if not prefix:
        return Q()
    if len(prefix) == LEVEL_LENGTHS[-1]:
        # A village has no children: equality lets an index on (unit, date) deliver its rows
        # already in date order, where a range would make the database sort them.
        return Q(**{field: prefix})
    upper = _upper_bound(prefix)
    q = Q(**{f"{field}__gte": prefix})
    if upper is not None:
        q &= Q(**{f"{field}__lt": upper})
    return q


def in_subtree(code: str, prefix: str) -> bool:
    return code.startswith(prefix)


def common_ancestor(codes: list[str]) -> str:
    """The deepest unit containing all `codes` ('' when they span provinces): where an audit
    entry for a batch of records (an import) belongs."""
    # The common prefix of the smallest and the largest code is that of them all.
    low, high = min(codes), max(codes)
    same = 0
    while same < min(len(low), len(high)) and low[same] == high[same]:
        same += 1
    return low[: max((n for n in LEVEL_LENGTHS if n <= same), default=0)]
