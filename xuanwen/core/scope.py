"""What a signed-in user may reach: nothing, the whole country, or one unit's subtree.

Every read and write is bounded by a `Scope`. It is a value, built from the user (see
`accounts.models.User.scope`), so a selector, a form, a permission check and a cache key all
ask it the same questions instead of each interpreting a code string. "Nothing" is a state of
its own: a user who is neither a superuser nor bound to a unit sees no rows and may change
nothing, and every question about such a scope has an answer (no row, False, level 0) rather
than a code that some caller might parse.
"""

from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q

from xuanwen.core import tree


@dataclass(frozen=True, slots=True)
class Scope:
    """One of three kinds: `Scope.NOTHING`, `Scope.COUNTRY`, or `Scope.unit(code)`."""

    # None: nothing; "": the whole country; otherwise the code of the unit at the top.
    root: str | None

    @classmethod
    def unit(cls, code: str) -> "Scope":
        """The subtree of the unit `code`; "" (the top of the tree) is the whole country."""
        if code:
            tree.level_of(code)  # a malformed code is a bug, not an empty scope
        return cls(code)

    @property
    def is_nothing(self) -> bool:
        return self.root is None

    @property
    def is_country(self) -> bool:
        return self.root == ""

    @property
    def unit_code(self) -> str | None:
        """The code of the unit at the top, None for the country and for nothing."""
        return self.root or None

    @property
    def top(self) -> str:
        """The code at the top ('' for the country): where a change made across the whole scope
        is recorded. Nobody with an empty scope may make one, so asking it of one is a bug."""
        if self.root is None:
            raise ValueError("an empty scope has no top")
        return self.root

    @property
    def level(self) -> int:
        """Level of the unit at the top (1 province … 5 village); 0 for the country or nothing."""
        return tree.level_of(self.root) if self.root else 0

    def q(self, field: str = "code") -> Q:
        """Rows whose `field` (a unit code) lies inside the scope; no row for nothing."""
        if self.root is None:
            # An empty IN never matches; Django answers it without asking the database.
            return Q(pk__in=[])
        return tree.subtree_q(self.root, field)

    @property
    def lineage(self) -> list[str]:
        """The codes of the unit at the top and of its ancestors, top of the tree first; none
        for the country or nothing."""
        return [*tree.ancestor_codes(self.root), self.root] if self.root else []

    def sees_owned(self, field: str = "owner") -> Q:
        """Rows of a vocabulary this scope sees: the national ones (`field`, a unit's key,
        empty) and those owned by the unit at the top or by one of its ancestors. What a unit
        adds is so seen throughout its subtree and nowhere else; the country and nothing see
        the national ones only."""
        national = Q(**{f"{field}__isnull": True})
        lineage = self.lineage
        return national | Q(**{f"{field}_id__in": lineage}) if lineage else national

    def contains(self, code: str | None) -> bool:
        """Whether the unit `code` lies inside the scope."""
        if self.root is None or not code:
            return False
        return tree.in_subtree(code, self.root)

    def narrowed(self, code: str) -> "Scope":
        """The part of this scope under `code`: its subtree when inside, nothing otherwise, and
        this scope itself when `code` is an ancestor of its top (asking for more than one may
        see never widens it)."""
        if self.contains(code):
            return Scope(code)
        if self.root and code and tree.in_subtree(self.root, code):
            return self
        return NOTHING

    def depth_of(self, code: str) -> int:
        """How many levels `code` lies below the scope's top (to indent a unit list)."""
        return max(tree.level_of(code) - self.level, 0)

    def indented(self, code: str, name: str) -> str:
        """A unit's name indented (full-width spaces) by its depth, so a list reads like the
        tree: every unit select and the import templates' units sheet show it so."""
        return "　" * self.depth_of(code) + name

    @property
    def key(self) -> str:
        """A part of a cache key that tells scopes apart (never equal to a unit code)."""
        if self.root is None:
            return "scope:none"
        return f"scope:{self.root or 'all'}"

    def __str__(self) -> str:
        return self.key


NOTHING = Scope(None)
COUNTRY = Scope("")


class ScopedUser(Protocol):
    """What core needs of a user: their scope. The user model (accounts) provides it."""

    @property
    def scope(self) -> Scope: ...
