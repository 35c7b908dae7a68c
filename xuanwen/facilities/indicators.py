"""Indicators computed from facilities: how many, how many of each kind, how much floor area.

Registered from FacilitiesConfig.ready(). A facility is a thing that exists, not an event, so
"in a period" means **existing at the period's end**: recorded on or before its last day, not
deleted, and — where the year it was built is known — built by that year
(selectors.existing_on). A plan target "建好 2–3 个文化大院" for 2026 is therefore met by the
courtyards standing at the end of 2026, which is how the seed's summaries count them
("建好了5个文化大院"). Each value links to the facility list filtered to the same unit, kind and
date (`as_of`), so the list shows exactly the facilities counted.
"""

from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import (
    Indicator,
    RecordRow,
    Rollup,
    Source,
    register,
    register_family,
)

from .models import Facility, FacilityKind
from .selectors import existing_on


def facility_list_url(unit_code: str, period: Period, kind: str = "") -> str:
    """The facility list filtered to the unit's subtree, the kind and the period's end."""
    try:
        base = reverse("facilities:list")
    except NoReverseMatch:
        base = "/facilities/"
    params: dict[str, Any] = {"unit": unit_code}
    if kind:
        params["kind"] = kind
    params["as_of"] = period.end.isoformat()
    return f"{base}?{urlencode(params)}"


def _facility_row(x: Facility) -> RecordRow:
    return RecordRow(
        title=x.name,
        url=x.get_absolute_url(),
        unit_name=x.unit.name,
        date=x.created_at.date(),
        detail=x.kind.name,
    )


def _period_q(period: Period) -> Q:
    return existing_on(period.end)


FACILITIES = Source(
    key="facilities",
    queryset=lambda: Facility.objects.all(),
    unit_field="unit_id",
    period_q=_period_q,
    row=_facility_row,
    select_related=("unit", "kind"),
)

GROUP = _("文化阵地")
HELP = _("期末已有的阵地（期末前已登记、未删除，且建成年份不晚于期末）。")

register(
    Indicator(
        code="facilities.count",
        level=True,
        name=_("文化阵地数量"),
        measure=_("个"),
        source=FACILITIES,
        rollup=Rollup.COUNT,
        list_url=lambda unit, period: facility_list_url(unit, period),
        group=GROUP,
        help=HELP,
    )
)
register(
    Indicator(
        code="facilities.area",
        level=True,
        name=_("文化阵地总面积"),
        measure=_("平方米"),
        source=FACILITIES,
        rollup=Rollup.SUM,
        field="area",
        list_url=lambda unit, period: facility_list_url(unit, period),
        group=GROUP,
        help=_("期末已有阵地的面积之和（未填面积的不计）。"),
    )
)


@register_family("facilities.kind.")
def facility_kind_indicators(key: str | None) -> list[Indicator]:
    """One count per facility kind: `facilities.kind.<kind code>` (e.g. courtyard)."""
    if key is None:
        kinds = list(FacilityKind.objects.filter(active=True))
    elif key:
        # Retired kinds still resolve: plans written last year may point at them.
        kinds = list(FacilityKind.objects.filter(code=key))
    else:
        kinds = []
    return [_kind_indicator(k) for k in kinds]


# Marks the string below for makemessages, which does not know the gettext_now alias.
gettext_noop("%(kind)s数量")


def _kind_indicator(kind: FacilityKind) -> Indicator:
    code, pk = kind.code, kind.pk
    return Indicator(
        code=f"facilities.kind.{code}",
        level=True,
        # Built per request, so the plain gettext is in the reader's language.
        name=gettext_now("%(kind)s数量") % {"kind": kind.name},
        measure=_("个"),
        source=FACILITIES,
        rollup=Rollup.COUNT,
        where=Q(kind_id=pk),
        list_url=lambda unit, period: facility_list_url(unit, period, code),
        group=GROUP,
        help=HELP,
    )
