"""Reading facilities, always within the user's scope."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core.scope import Scope
from xuanwen.records.selectors import get_part, one_or_404
from xuanwen.records.vocab import offered_kinds

from .models import Equipment, Facility, FacilityKind, FacilityPhoto, Room


def facilities_for(user: User) -> QuerySet[Facility]:
    """Live facilities anywhere in the user's subtree."""
    return Facility.objects.filter(user.scope.q("unit_id"))


def get_facility_for_user(user: User, pk: int) -> Facility:
    qs = facilities_for(user).select_related("unit", "kind")
    return one_or_404(qs, pk, _("未找到该阵地，或您无权查看。"))


def get_room_for_user(user: User, pk: int) -> Room:
    return get_part(Room, user, "facility", pk, _("未找到该功能室，或您无权查看。"))


def get_equipment_for_user(user: User, pk: int) -> Equipment:
    return get_part(Equipment, user, "facility", pk, _("未找到该设备，或您无权查看。"))


def get_photo_for_user(user: User, pk: int) -> FacilityPhoto:
    return get_part(FacilityPhoto, user, "facility", pk, _("未找到该照片，或您无权查看。"))


def facility_kinds(scope: Scope) -> QuerySet[FacilityKind]:
    """The kinds offered for new records (retired ones are kept by the records that use them)."""
    return offered_kinds(FacilityKind, scope)


# --- "Standing on a day": the meaning of a period for a facility --------------------------

# The facility's real-world dates, which its standing and new counts read (never created_at):
# a facility stands on a day when opened on or before it and not closed by then, and one
# without an opening date on no day (待补日期), in its list filter and its indicators alike
# (indicators.declare.standing_on). Deleted ones are gone from every count: a deletion is a
# correction, not a demolition; the live manager leaves them out.
OPENED, CLOSED = "opened_on", "closed_on"


# --- Standards -----------------------------------------------------------------------------


# Published minimum areas by kind code (农家书屋 ≥ 20 m²). Books and audio-video items of a
# bookhouse are the bookhouses app's registers.
MIN_AREA = {"bookhouse": Decimal(20)}


@dataclass(frozen=True)
class StandardCheck:
    """One standard shown against a facility: what is required, what it has, whether it meets it."""

    label: str
    required: str
    actual: str
    met: bool | None  # None: not known (the facility's value is missing)


def standard_checks(facility: Facility) -> list[StandardCheck]:
    """The standards known for the facility's kind, each with the facility's own value."""
    checks: list[StandardCheck] = []
    minimum = MIN_AREA.get(facility.kind.code)
    if minimum is not None:
        area = facility.area
        checks.append(
            StandardCheck(
                label=_("面积"),
                required=_("不少于 %(n)s 平方米") % {"n": minimum},
                actual=_("%(n)s 平方米") % {"n": area} if area is not None else _("未填写"),
                met=None if area is None else area >= minimum,
            )
        )
    return checks


def opening_rule(kind: FacilityKind) -> str:
    """The kind's free-opening rule in words, or "" when it has none."""
    days, hours = kind.min_days_per_week, kind.min_hours_per_day
    if days and hours:
        return _("每周至少开放 %(days)d 天，每天至少 %(hours)s 小时") % {
            "days": days,
            "hours": hours,
        }
    if days:
        return _("每周至少开放 %(days)d 天") % {"days": days}
    if hours:
        return _("每个开放日至少 %(hours)s 小时") % {"hours": hours}
    return ""
