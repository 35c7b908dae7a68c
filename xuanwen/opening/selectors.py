"""Reading opening logs and the facilities they belong to, always within the user's scope."""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.facilities.models import Facility

from .models import OpeningLog

# Up to this many facilities the entry form offers a plain <select>; above it (a city) the
# form is reached from a facility's own line (?facility=<id>).
FACILITY_SELECT_MAX = 400
DEFAULT_HOURS = Decimal("3.0")


def facilities_for(user: User) -> QuerySet[Facility]:
    """Live facilities of units in the user's subtree."""
    return Facility.objects.filter(user.scope.q("unit_id"))


def get_facility_for_user(user: User, pk: int) -> Facility:
    facility = facilities_for(user).select_related("unit", "kind").filter(pk=pk).first()
    if facility is None:
        raise Http404(_("未找到该阵地，或您无权查看。"))
    return facility


def logs_for(user: User) -> QuerySet[OpeningLog]:
    """Live logs of live facilities in the user's subtree."""
    return OpeningLog.objects.filter(
        user.scope.q("facility__unit_id"), facility__deleted_at__isnull=True
    )


def get_log_for_user(user: User, pk: int) -> OpeningLog:
    log = logs_for(user).select_related("facility__unit", "facility__kind").filter(pk=pk).first()
    if log is None:
        raise Http404(_("未找到该开放登记，或您无权查看。"))
    return log


def writable_facilities(user: User) -> list[Facility] | None:
    """The facilities the user may record openings for, their own unit's first; None when
    there are too many for a select."""
    if not (user.is_superuser or (user.unit_id and can_write(user, user.unit_id))):
        return []
    rows = list(
        facilities_for(user)
        .select_related("unit", "kind")
        .order_by("unit_id", "name")[: FACILITY_SELECT_MAX + 1]
    )
    if len(rows) > FACILITY_SELECT_MAX:
        return None
    own = [f for f in rows if f.unit_id == user.unit_id]
    return own + [f for f in rows if f.unit_id != user.unit_id]


def usual_hours(facility: Facility) -> Decimal:
    """What to offer as today's hours: the last day recorded, else the kind's minimum."""
    last = (
        OpeningLog.objects.filter(facility=facility)
        .order_by("-date")
        .values_list("hours", flat=True)
        .first()
    )
    if last:
        return last
    return facility.kind.min_hours_per_day or DEFAULT_HOURS


def week_logs(facility: Facility, monday: date, sunday: date) -> dict[date, OpeningLog]:
    """The facility's live logs of one week, by day (one query)."""
    return {
        log.date: log
        for log in OpeningLog.objects.filter(facility=facility, date__range=(monday, sunday))
    }
