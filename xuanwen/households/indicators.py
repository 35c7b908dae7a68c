"""Indicators computed from culture households, registered from HouseholdsConfig.ready().

A household is a designation that stands, not an event, so its time rules read its
real-world dates, `designated_on` and `revoked_on`, never when it was typed in:

- *stock* (`households.count`, `households.members`, `households.kind.<code>`): standing at
  the period's end — designated on or before its last day, not revoked by then, not deleted;
- *new* (`households.new`, `households.new.<code>`): designated within the period. The plan
  target "培育4—8户文化大户" for 2026 is met by households designated 文化大户 in 2026, not
  by those standing since 2025 (the station plan template points at `households.new.major`).

A household without `designated_on` counts in no period; the list's 待补日期 filter
(`undated`) and the records page list it. Each value links to the household list filtered to
the same unit, kind and dates (`as_of` for stock, `start`–`end` for new).
"""

from collections.abc import Callable

from django.db.models import Q
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.indicators.declare import (
    Dates,
    Group,
    ListUrl,
    began,
    list_link,
    per_kind,
    record_row,
    standing,
)
from xuanwen.indicators.registry import Indicator, RecordRow, Rollup, Source, Text, register_family

from .models import Household, HouseholdKind
from .selectors import DESIGNATED, REVOKED


def household_list(kind: str = "", dates: Dates = "as_of") -> ListUrl:
    """The household list filtered to the unit's subtree, the kind and the period: standing at
    its end (`as_of`) or designated within it (`range`)."""
    return list_link("households:list", dates=dates, filters={"kind": kind} if kind else None)


def _household_row(x: Household) -> RecordRow:
    return record_row(x, x.unit, title=x.head, date=x.designated_on, detail=x.kind.name)


STANDING = Source(
    key="households",
    queryset=lambda: Household.objects.all(),
    unit_field="unit_id",
    period_q=standing(DESIGNATED, REVOKED),
    row=_household_row,
    select_related=("unit", "kind"),
)
DESIGNATED_IN = Source(
    key="households.new",
    queryset=lambda: Household.objects.all(),
    unit_field="unit_id",
    period_q=began(DESIGNATED),
    row=_household_row,
    select_related=("unit", "kind"),
)

G = Group(_("文化户"))
HELP = _("期末在册的文化户：认定日期不晚于期末、未撤销（或期末后才撤销）。未填认定日期的不计。")
NEW_HELP = _("认定日期在本时段内的文化户（培育、新认定）。未填认定日期的不计。")

G.add("households.count", _("文化户数量"), _("户"), STANDING,
      list_url=household_list(), help=HELP)  # fmt: skip
G.add("households.new", _("新认定文化户数量"), _("户"), DESIGNATED_IN,
      list_url=household_list(dates="range"), help=NEW_HELP)  # fmt: skip
G.add("households.members", _("文化户参与人数"), _("人"), STANDING, Rollup.SUM, field="members",
      list_url=household_list(),
      help=_("期末在册文化户的参与人数之和。"))  # fmt: skip


def _kind_q(code: str) -> Q | None:
    return Q(code=code) if code else None


@register_family("households.kind.")
def household_kind_indicators(key: str | None) -> list[Indicator]:
    """One standing count per kind: `households.kind.<kind code>` (e.g. major)."""
    return per_kind(HouseholdKind, key, _kind_q, _kind_indicator)


@register_family("households.new.")
def household_new_indicators(key: str | None) -> list[Indicator]:
    """One count of those designated in the period per kind: `households.new.<kind code>`."""
    return per_kind(HouseholdKind, key, _kind_q, _new_indicator)


# Marks the strings below for makemessages, which does not know the gettext_now alias.
gettext_noop("%(kind)s数量")
gettext_noop("新认定%(kind)s数量")


def _per_kind(
    prefix: str, label: str, source: Source, dates: Dates, help: Text
) -> Callable[[HouseholdKind], Indicator]:
    def build(kind: HouseholdKind) -> Indicator:
        # Built per request, so the plain gettext is in the reader's language.
        name = gettext_now(label) % {"kind": kind.name}
        return G.indicator(f"{prefix}{kind.code}", name, _("户"), source,
                           where=Q(kind_id=kind.pk), list_url=household_list(kind.code, dates),
                           help=help)  # fmt: skip

    return build


_kind_indicator = _per_kind("households.kind.", "%(kind)s数量", STANDING, "as_of", HELP)
_new_indicator = _per_kind(
    "households.new.", "新认定%(kind)s数量", DESIGNATED_IN, "range", NEW_HELP
)
