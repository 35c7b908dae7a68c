"""The facility list's filter: the page, its export and the API read the same one."""

import datetime as dt

import django_filters
from django.db.models import QuerySet

from xuanwen.accounts.models import User
from xuanwen.records.filters import (
    CheckboxFilter,
    FilterData,
    RecordFilterSet,
    TextFilter,
    UnitFilter,
    period_filters,
)

from . import selectors
from .models import Facility


class FacilityFilters(RecordFilterSet):
    """Subtree, kind (by code), free text (name, address or pinyin), "standing on" a day
    (`as_of`, the standing count's rule), "opened between" (`start`–`end`, the rule of the
    new-facility counts) and "no opening date yet" (`undated`: 待补日期)."""

    unit = UnitFilter()
    kind = django_filters.CharFilter(field_name="kind__code", max_length=30)
    q = TextFilter(fields=("name", "address"))
    as_of = django_filters.DateFilter(method="standing")
    start, end = period_filters("opened_on")
    undated = CheckboxFilter(method="without_date")

    def standing(self, qs: QuerySet[Facility], name: str, day: dt.date) -> QuerySet[Facility]:
        return qs.filter(selectors.standing_on(day))

    def without_date(self, qs: QuerySet[Facility], name: str, on: bool) -> QuerySet[Facility]:
        return qs.filter(opened_on__isnull=True) if on else qs


def facility_filters(user: User, data: FilterData) -> FacilityFilters:
    """The user's live facilities, by unit then kind then name, narrowed by `data`."""
    return FacilityFilters(
        data, selectors.facilities_for(user).select_related("unit", "kind"), user=user
    )
