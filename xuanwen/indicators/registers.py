"""The indicators of a dated register, declared once.

A dated register keeps things that stand between two real-world dates (a facility opened and
closed, a culture household or a designation granted and revoked, a team founded and
disbanded), most of them sorted by a catalogue of kinds. Its indicators are always the same:

- a *stock* source, the records standing at the period's end (`declare.standing`), and a
  *new* source, those begun within it (`declare.began`); neither counts a record without its
  start date, which the records page lists as 待补日期;
- indicators over each (`add_stock`, `add_new`), linked to the register's list filtered to the
  same unit and dates: `as_of` the period's last day for stock, `start`–`end` for new;
- two families over the kinds (`add_kinds`): `<prefix>.kind.<code>` standing and
  `<prefix>.new.<code>` begun in the period, one per kind, named from the kind::

    HOUSEHOLDS = DatedRegister(Group(_("文化户")), "households", Household, DESIGNATED, REVOKED,
                               row=_row, kinds=HouseholdKind, list_name="households:list",
                               help=HELP, new_help=NEW_HELP)
    HOUSEHOLDS.add_stock("households.count", _("文化户数量"), _("户"))
    HOUSEHOLDS.add_new("households.new", _("新认定文化户数量"), _("户"))
    HOUSEHOLDS.add_kinds(_("户"), gettext_noop("%(kind)s数量"), gettext_noop("新认定%(kind)s数量"))

Declaring the register registers nothing; each `add_…` call registers what it names, in the
order written, which is the order the indicator page, the plan form and the API list them in
(so an app may put its own sums, `add_stock(..., Rollup.SUM, field=...)`, where it likes).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as gettext_now

from xuanwen.core.models import Catalogue, Recorded

from .declare import Dates, Group, ListUrl, began, list_link, per_kind, standing
from .registry import Indicator, RecordRow, Rollup, Source, Text, register_family


@dataclass(frozen=True)
class DatedRegister:
    """A register's records between their start and end dates, and how its indicators read
    them (see the module's docstring)."""

    group: Group
    # The stock source's key, and the start of its families' codes: `<prefix>.kind.<code>`.
    prefix: str
    model: type[Recorded]
    start: str  # the real-world start date: opened_on, designated_on, founded_on
    end: str  # and its end: closed_on, revoked_on, disbanded_on
    row: Callable[[Any], RecordRow]
    select_related: tuple[str, ...] = ("unit", "kind")
    kinds: type[Catalogue] | None = None
    # The register's list, which filters by unit, `kind`, `as_of` and `start`–`end`; without
    # one, values link to the indicators' own records page.
    list_name: str = ""
    # The help texts of its stock and new indicators: what each time rule counts.
    help: Text = ""
    new_help: Text = ""
    # Which records' dates say when they stood (teams stopped without a disbanding date
    # count in no period); None: all of them.
    dated: Q | None = None

    @cached_property
    def standing(self) -> Source:
        """The records standing at the period's end."""
        return Source(
            key=self.prefix,
            queryset=lambda: self.model.objects.filter(self.dated or Q()),
            unit_field="unit_id",
            period_q=standing(self.start, self.end),
            row=self.row,
            select_related=self.select_related,
        )

    @cached_property
    def new(self) -> Source:
        """The records begun within the period, whether or not they still stand at its end."""
        return Source(
            key=f"{self.prefix}.new",
            queryset=lambda: self.model.objects.all(),
            unit_field="unit_id",
            period_q=began(self.start),
            row=self.row,
            select_related=self.select_related,
        )

    def list_url(self, kind: str = "", dates: Dates = "as_of") -> ListUrl | None:
        """The register's list filtered to the unit's subtree, the kind and the period:
        standing at its end (`as_of`) or begun within it (`range`)."""
        if not self.list_name:
            return None
        return list_link(self.list_name, dates=dates, filters={"kind": kind} if kind else None)

    def add_stock(
        self,
        code: str,
        name: Text,
        measure: Text,
        rollup: Rollup = Rollup.COUNT,
        *,
        field: str = "",
        help: Text | None = None,
    ) -> Indicator:
        """Register an indicator of what stands at the period's end (a COUNT by default)."""
        help = self.help if help is None else help
        return self.group.add(code, name, measure, self.standing, rollup, field=field,
                              list_url=self.list_url(), help=help)  # fmt: skip

    def add_new(
        self, code: str, name: Text, measure: Text, *, help: Text | None = None
    ) -> Indicator:
        """Register the count of what began within the period."""
        help = self.new_help if help is None else help
        return self.group.add(code, name, measure, self.new,
                              list_url=self.list_url(dates="range"), help=help)  # fmt: skip

    def add_kinds(self, measure: Text, named: str, new_named: str) -> None:
        """Register the families `<prefix>.kind.<code>` (standing) and `<prefix>.new.<code>`
        (begun within the period), one indicator per kind, named by `named` / `new_named`
        with the kind's name as `%(kind)s` (pass them through gettext_noop, for makemessages).

        A family lists the kinds still offered and finds a retired one by its code, since
        plans written last year may point at it; the two read the catalogue once per listing."""
        self._family(f"{self.prefix}.kind.", named, measure, self.standing, "as_of", self.help)
        new = self.new_help
        self._family(f"{self.prefix}.new.", new_named, measure, self.new, "range", new)

    def _family(
        self, prefix: str, label: str, measure: Text, source: Source, dates: Dates, help: Text
    ) -> None:
        assert self.kinds is not None, f"{self.prefix}: per-kind families need `kinds`"
        kinds = self.kinds

        def build(kind: Catalogue) -> Indicator:
            # Built per request, so the plain gettext is in the reader's language.
            name = gettext_now(label) % {"kind": kind.name}
            # Each kind model declares its own `code` (a Catalogue need not have one).
            code = str(kind.serializable_value("code"))
            return self.group.indicator(f"{prefix}{code}", name, measure, source,
                                        where=Q(kind_id=kind.pk),
                                        list_url=self.list_url(code, dates),
                                        help=help)  # fmt: skip

        def family(key: str | None) -> list[Indicator]:
            return per_kind(kinds, key, _kind_named, build)

        register_family(prefix)(family)


def _kind_named(code: str) -> Q | None:
    """The kind a family member's code names; an empty code names none."""
    return Q(code=code) if code else None
