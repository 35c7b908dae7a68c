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

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.indicators.declare import Group, record_row
from xuanwen.indicators.registers import DatedRegister
from xuanwen.indicators.registry import RecordRow, Rollup

from .models import Household, HouseholdKind
from .selectors import DESIGNATED, REVOKED


def _household_row(x: Household) -> RecordRow:
    return record_row(x, x.unit, title=x.head, date=x.designated_on, detail=x.kind.name)


HOUSEHOLDS = DatedRegister(
    Group(_("文化户")), "households", Household, DESIGNATED, REVOKED, row=_household_row,
    kinds=HouseholdKind, list_name="households:list",
    help=_("期末在册的文化户：认定日期不晚于期末、未撤销（或期末后才撤销）。未填认定日期的不计。"),
    new_help=_("认定日期在本时段内的文化户（培育、新认定）。未填认定日期的不计。"),
)  # fmt: skip
HOUSEHOLDS.add_stock("households.count", _("文化户数量"), _("户"))
HOUSEHOLDS.add_new("households.new", _("新认定文化户数量"), _("户"))
HOUSEHOLDS.add_stock("households.members", _("文化户参与人数"), _("人"), Rollup.SUM,
                     field="members", help=_("期末在册文化户的参与人数之和。"))  # fmt: skip
HOUSEHOLDS.add_kinds(_("户"), gettext_noop("%(kind)s数量"), gettext_noop("新认定%(kind)s数量"))
