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

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.indicators.declare import Group, record_row
from xuanwen.indicators.registers import DatedRegister
from xuanwen.indicators.registry import RecordRow

from .models import Designation, DesignationKind
from .selectors import DESIGNATED, REVOKED


def _row(x: Designation) -> RecordRow:
    return record_row(
        x, x.unit, title=f"{x.unit.name} · {x.kind.name}", date=x.designated_on,
        detail=str(x.get_level_display()),
    )  # fmt: skip


DESIGNATIONS = DatedRegister(
    Group(_("命名")), "designations", Designation, DESIGNATED, REVOKED, row=_row,
    kinds=DesignationKind, list_name="designations:list",
    help=_("期末有效的命名：命名日期不晚于期末、未撤销（或期末后才撤销）。未填命名日期的不计。"),
    new_help=_("命名日期在本时段内的命名（创建、建好）。未填命名日期的不计。"),
)  # fmt: skip
DESIGNATIONS.add_stock("designations.count", _("命名数量"), _("项"))
DESIGNATIONS.add_new("designations.new", _("新获命名数量"), _("项"))
# A kind is counted in 个 (3 个文化示范村), the designations as a whole in 项.
DESIGNATIONS.add_kinds(_("个"), gettext_noop("%(kind)s数量"), gettext_noop("新命名%(kind)s数量"))
