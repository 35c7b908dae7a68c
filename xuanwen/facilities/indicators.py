"""Indicators computed from facilities: how many, how many of each kind, how much floor area.

Registered from FacilitiesConfig.ready(). A facility is a thing that exists, not an event, so
"in a period" means **existing at the period's end**: recorded on or before its last day, not
deleted, and — where the year it was built is known — built by that year
(selectors.existing_on). A plan target "建好 2–3 个文化大院" for 2026 is therefore met by the
courtyards standing at the end of 2026, which is how the seed's summaries count them
("建好了5个文化大院"). Each value links to the facility list filtered to the same unit, kind and
date (`as_of`), so the list shows exactly the facilities counted.
"""

from django.db.models import Q
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.indicators.declare import Group, ListUrl, list_link, per_kind, record_row
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import (
    Indicator,
    PeriodRule,
    RecordRow,
    Rollup,
    Rule,
    Source,
    register_family,
)

from .models import Facility, FacilityKind
from .selectors import existing_on


def facility_list(kind: str = "") -> ListUrl:
    """The facility list filtered to the unit's subtree, the kind and the period's end."""
    return list_link("facilities:list", dates="as_of", filters={"kind": kind} if kind else None)


def _facility_row(x: Facility) -> RecordRow:
    return record_row(x, x.unit, title=x.name, date=x.created_at.date(), detail=x.kind.name)


def _period_q(period: Period) -> Q:
    return existing_on(period.end)


FACILITIES = Source(
    key="facilities",
    queryset=lambda: Facility.objects.all(),
    unit_field="unit_id",
    period_q=PeriodRule(Rule.STOCK, _period_q),
    row=_facility_row,
    select_related=("unit", "kind"),
)

G = Group(_("文化阵地"))
HELP = _("期末已有的阵地（期末前已登记、未删除，且建成年份不晚于期末）。")

G.add("facilities.count", _("文化阵地数量"), _("个"), FACILITIES,
      list_url=facility_list(), help=HELP)  # fmt: skip
G.add("facilities.area", _("文化阵地总面积"), _("平方米"), FACILITIES, Rollup.SUM, field="area",
      list_url=facility_list(),
      help=_("期末已有阵地的面积之和（未填面积的不计）。"))  # fmt: skip


@register_family("facilities.kind.")
def facility_kind_indicators(key: str | None) -> list[Indicator]:
    """One count per facility kind: `facilities.kind.<kind code>` (e.g. courtyard)."""
    return per_kind(FacilityKind, key, lambda code: Q(code=code) if code else None, _kind_indicator)


# Marks the string below for makemessages, which does not know the gettext_now alias.
gettext_noop("%(kind)s数量")


def _kind_indicator(kind: FacilityKind) -> Indicator:
    # Built per request, so the plain gettext is in the reader's language.
    name = gettext_now("%(kind)s数量") % {"kind": kind.name}
    return G.indicator(f"facilities.kind.{kind.code}", name, _("个"), FACILITIES,
                       where=Q(kind_id=kind.pk),
                       list_url=facility_list(kind.code), help=HELP)  # fmt: skip
