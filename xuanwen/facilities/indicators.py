"""Indicators computed from facilities: how many stand, how many were built, how much floor area.

Registered from FacilitiesConfig.ready(). A facility is a thing that stands, not an event, so
its time rules read its real-world dates, `opened_on` and `closed_on`, never when it was typed
in:

- *stock* (`facilities.count`, `facilities.area`, `facilities.kind.<code>`): standing at the
  period's end — opened on or before its last day, not closed by then, not deleted;
- *new* (`facilities.opened`, `facilities.new.<code>`): opened within the period. A plan
  target "建好 2–3 个文化大院" for 2026 is met by courtyards opened in 2026, not by the five
  that stood already (the plan template points at `facilities.new.courtyard`).

A facility without `opened_on` counts in no period; the facility list's 待补日期 filter
(`undated`) and the records page list it. Each value links to the facility list filtered to
the same unit, kind and dates (`as_of` for stock, `start`–`end` for new), so the list shows
exactly the facilities counted.
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

from .models import Facility, FacilityKind
from .selectors import CLOSED, OPENED


def facility_list(kind: str = "", dates: Dates = "as_of") -> ListUrl:
    """The facility list filtered to the unit's subtree, the kind and the period: standing at
    its end (`as_of`) or opened within it (`range`)."""
    return list_link("facilities:list", dates=dates, filters={"kind": kind} if kind else None)


def _facility_row(x: Facility) -> RecordRow:
    return record_row(x, x.unit, title=x.name, date=x.opened_on, detail=x.kind.name)


FACILITIES = Source(
    key="facilities",
    queryset=lambda: Facility.objects.all(),
    unit_field="unit_id",
    period_q=standing(OPENED, CLOSED),
    row=_facility_row,
    select_related=("unit", "kind"),
)
OPENED_IN = Source(
    key="facilities.opened",
    queryset=lambda: Facility.objects.all(),
    unit_field="unit_id",
    period_q=began(OPENED),
    row=_facility_row,
    select_related=("unit", "kind"),
)

G = Group(_("文化阵地"))
HELP = _("期末在用的阵地：建成日期不晚于期末、未停用（或期末后才停用）。未填建成日期的不计。")
NEW_HELP = _("建成日期在本时段内的阵地（新建、建好）。未填建成日期的不计。")

G.add("facilities.count", _("文化阵地数量"), _("个"), FACILITIES,
      list_url=facility_list(), help=HELP)  # fmt: skip
G.add("facilities.area", _("文化阵地总面积"), _("平方米"), FACILITIES, Rollup.SUM, field="area",
      list_url=facility_list(),
      help=_("期末在用阵地的面积之和（未填面积的不计）。"))  # fmt: skip
G.add("facilities.opened", _("新建文化阵地数量"), _("个"), OPENED_IN,
      list_url=facility_list(dates="range"), help=NEW_HELP)  # fmt: skip


def _kind_q(code: str) -> Q | None:
    return Q(code=code) if code else None


@register_family("facilities.kind.")
def facility_kind_indicators(key: str | None) -> list[Indicator]:
    """One standing count per facility kind: `facilities.kind.<kind code>` (e.g. courtyard)."""
    return per_kind(FacilityKind, key, _kind_q, _kind_indicator)


@register_family("facilities.new.")
def facility_new_indicators(key: str | None) -> list[Indicator]:
    """One count of those opened in the period per kind: `facilities.new.<kind code>`."""
    return per_kind(FacilityKind, key, _kind_q, _new_indicator)


# Marks the strings below for makemessages, which does not know the gettext_now alias.
gettext_noop("%(kind)s数量")
gettext_noop("新建%(kind)s数量")


def _per_kind(
    prefix: str, label: str, source: Source, dates: Dates, help: Text
) -> Callable[[FacilityKind], Indicator]:
    def build(kind: FacilityKind) -> Indicator:
        # Built per request, so the plain gettext is in the reader's language.
        name = gettext_now(label) % {"kind": kind.name}
        return G.indicator(f"{prefix}{kind.code}", name, _("个"), source,
                           where=Q(kind_id=kind.pk), list_url=facility_list(kind.code, dates),
                           help=help)  # fmt: skip

    return build


_kind_indicator = _per_kind("facilities.kind.", "%(kind)s数量", FACILITIES, "as_of", HELP)
_new_indicator = _per_kind("facilities.new.", "新建%(kind)s数量", OPENED_IN, "range", NEW_HELP)
