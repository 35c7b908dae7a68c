"""The opening list's filter: the page, its export and the API read the same one."""

from xuanwen.accounts.models import User
from xuanwen.records.filters import (
    FilterData,
    IdFilter,
    RecordFilterSet,
    UnitFilter,
    period_filters,
)

from . import selectors


class LogFilters(RecordFilterSet):
    """Subtree, facility and period."""

    unit = UnitFilter("facility__unit_id")
    facility = IdFilter(field_name="facility_id")
    start, end = period_filters("date")


def log_filters(user: User, data: FilterData) -> LogFilters:
    """The user's live logs, newest first, narrowed by `data`."""
    logs = selectors.logs_for(user).select_related("facility__unit", "facility__kind")
    return LogFilters(data, logs.order_by("-date", "facility__unit_id", "facility_id"), user=user)
