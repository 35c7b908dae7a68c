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

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.indicators.declare import Dates, Group, ListUrl, record_row
from xuanwen.indicators.registers import DatedRegister
from xuanwen.indicators.registry import RecordRow, Rollup

from .models import Facility, FacilityKind
from .selectors import CLOSED, OPENED


def _facility_row(x: Facility) -> RecordRow:
    return record_row(x, x.unit, title=x.name, date=x.opened_on, detail=x.kind.name)


G = Group(_("文化阵地"))
FACILITIES = DatedRegister(
    G, "facilities", Facility, OPENED, CLOSED, row=_facility_row, kinds=FacilityKind,
    list_name="facilities:list",
    help=_("期末在用的阵地：建成日期不晚于期末、未停用（或期末后才停用）。未填建成日期的不计。"),
    new_help=_("建成日期在本时段内的阵地（新建、建好）。未填建成日期的不计。"),
)  # fmt: skip


def facility_list(kind: str = "", dates: Dates = "as_of") -> ListUrl | None:
    """The facility list filtered to the unit's subtree, the kind and the period (bookhouses
    link to it too)."""
    return FACILITIES.list_url(kind, dates)


FACILITIES.add_stock("facilities.count", _("文化阵地数量"), _("个"))
FACILITIES.add_stock("facilities.area", _("文化阵地总面积"), _("平方米"), Rollup.SUM,
                     field="area",
                     help=_("期末在用阵地的面积之和（未填面积的不计）。"))  # fmt: skip
FACILITIES.add_new("facilities.opened", _("新建文化阵地数量"), _("个"))
FACILITIES.add_kinds(_("个"), gettext_noop("%(kind)s数量"), gettext_noop("新建%(kind)s数量"))
