"""Reading opening logs and the facilities they belong to, always within the user's scope."""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.facilities.models import Facility

# A log's facility is read as the facilities app reads it (same scope, same 404); the pages,
# API and import of opening find both here.
from xuanwen.facilities.selectors import facilities_for as facilities_for
from xuanwen.facilities.selectors import get_facility_for_user as get_facility_for_user
from xuanwen.records.selectors import one_or_404

from .models import OpeningLog

# Up to this many facilities the entry form offers a plain <select>; above it (a city) the
# form is reached from a facility's own line (?facility=<id>).
FACILITY_SELECT_MAX = 400
DEFAULT_HOURS = Decimal("3.0")


def logs_for(user: User) -> QuerySet[OpeningLog]:
    """Live logs of live facilities in the user's subtree."""
    return OpeningLog.objects.filter(
        user.scope.q("facility__unit_id"), facility__deleted_at__isnull=True
    )


def get_log_for_user(user: User, pk: int) -> OpeningLog:
    qs = logs_for(user).select_related("facility__unit", "facility__kind")
    return one_or_404(qs, pk, _("未找到该开放登记，或您无权查看。"))


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


def last_used(user: User, facilities: list[Facility]) -> Facility | None:
    """Of `facilities`, the one this user last recorded a day for (one query): a keeper of a
    village's culture room and its bookhouse finds the door they keep already chosen."""
    by_pk = {f.pk: f for f in facilities}
    last = (
        OpeningLog.objects.filter(created_by=user, facility_id__in=by_pk)
        .order_by("-created_at", "-pk")
        .values_list("facility_id", flat=True)
        .first()
    )
    return by_pk.get(last) if last is not None else None


def usual_hours(facility: Facility) -> Decimal:
    """What to offer as a day's hours: the last session recorded, else the kind's minimum."""
    last = usual_session(facility)
    if last is not None:
        return last.hours
    return facility.kind.min_hours_per_day or DEFAULT_HOURS


def usual_session(facility: Facility) -> OpeningLog | None:
    """The facility's last session recorded (its times are offered for the next one)."""
    return OpeningLog.objects.filter(facility=facility).order_by("-date", "-start").first()


def day_sessions(facility: Facility, day: date) -> list[OpeningLog]:
    """The facility's live sessions of one day, earliest first (one query)."""
    return list(OpeningLog.objects.filter(facility=facility, date=day).order_by("start", "pk"))


def week_logs(facility: Facility, monday: date, sunday: date) -> dict[date, list[OpeningLog]]:
    """The facility's live sessions of one week, by day, earliest first (one query)."""
    out: dict[date, list[OpeningLog]] = {}
    for log in OpeningLog.objects.filter(facility=facility, date__range=(monday, sunday)).order_by(
        "date", "start", "pk"
    ):
        out.setdefault(log.date, []).append(log)
    return out
