"""Indicators computed from designations (命名), registered from DesignationsConfig.ready().

A designation is a standing status, not an event, so its time rules read its real-world
dates, `designated_on` and `revoked_on`, never when it was typed in:

- *stock* (`designations.count`, `designations.kind.<code>`): in force at the period's end —
  designated on or before its last day, not revoked by then, not deleted;
- *new* (`designations.new`, `designations.new.<code>`): designated within the period (创建,
  建好). A plan target "建好一个文化示范村" for 2026 is met by a village designated 文化示范村
  in 2026, not by one designated before (the plan template points at
  `designations.new.model_village`).

A designation without `designated_on` counts in no period; the list's 待补日期 filter
(`undated`) lists it. Each value links to the designation list filtered to the same unit, kind
and dates (`as_of` for stock, `start`–`end` for new), so the list shows exactly those counted.
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
from xuanwen.indicators.registry import Indicator, RecordRow, Source, Text, register_family

from .models import Designation, DesignationKind
from .selectors import DESIGNATED, REVOKED


def designation_list(kind: str = "", dates: Dates = "as_of") -> ListUrl:
    """The designation list filtered to the unit's subtree, the kind and the period: in force
    at its end (`as_of`) or designated within it (`range`)."""
    return list_link("designations:list", dates=dates, filters={"kind": kind} if kind else None)


def _row(x: Designation) -> RecordRow:
    return record_row(
        x, x.unit, title=f"{x.unit.name} · {x.kind.name}", date=x.designated_on,
        detail=str(x.get_level_display()),
    )  # fmt: skip


STANDING = Source(
    key="designations",
    queryset=lambda: Designation.objects.all(),
    unit_field="unit_id",
    period_q=standing(DESIGNATED, REVOKED),
    row=_row,
    select_related=("unit", "kind"),
)
DESIGNATED_IN = Source(
    key="designations.new",
    queryset=lambda: Designation.objects.all(),
    unit_field="unit_id",
    period_q=began(DESIGNATED),
    row=_row,
    select_related=("unit", "kind"),
)

G = Group(_("命名"))
HELP = _("期末有效的命名：命名日期不晚于期末、未撤销（或期末后才撤销）。未填命名日期的不计。")
NEW_HELP = _("命名日期在本时段内的命名（创建、建好）。未填命名日期的不计。")

G.add("designations.count", _("命名数量"), _("项"), STANDING,
      list_url=designation_list(), help=HELP)  # fmt: skip
G.add("designations.new", _("新获命名数量"), _("项"), DESIGNATED_IN,
      list_url=designation_list(dates="range"), help=NEW_HELP)  # fmt: skip


def _kind_q(code: str) -> Q | None:
    return Q(code=code) if code else None


@register_family("designations.kind.")
def designation_kind_indicators(key: str | None) -> list[Indicator]:
    """One standing count per kind: `designations.kind.<kind code>` (e.g. model_village)."""
    return per_kind(DesignationKind, key, _kind_q, _kind_indicator)


@register_family("designations.new.")
def designation_new_indicators(key: str | None) -> list[Indicator]:
    """One count of those designated in the period per kind: `designations.new.<kind code>`."""
    return per_kind(DesignationKind, key, _kind_q, _new_indicator)


# Marks the strings below for makemessages, which does not know the gettext_now alias.
gettext_noop("%(kind)s数量")
gettext_noop("新命名%(kind)s数量")


def _per_kind(
    prefix: str, label: str, source: Source, dates: Dates, help: Text
) -> Callable[[DesignationKind], Indicator]:
    def build(kind: DesignationKind) -> Indicator:
        # Built per request, so the plain gettext is in the reader's language.
        name = gettext_now(label) % {"kind": kind.name}
        return G.indicator(f"{prefix}{kind.code}", name, _("个"), source,
                           where=Q(kind_id=kind.pk), list_url=designation_list(kind.code, dates),
                           help=help)  # fmt: skip

    return build


_kind_indicator = _per_kind("designations.kind.", "%(kind)s数量", STANDING, "as_of", HELP)
_new_indicator = _per_kind(
    "designations.new.", "新命名%(kind)s数量", DESIGNATED_IN, "range", NEW_HELP
)
