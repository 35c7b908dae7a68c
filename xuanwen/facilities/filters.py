"""The facility list's filter: the page, its export and the API read the same one."""

import datetime as dt

import django_filters
from django.db.models import QuerySet

from xuanwen.accounts.models import User
from xuanwen.records.filters import FilterData, RecordFilterSet, TextFilter, UnitFilter

from . import selectors
from .models import Facility


class FacilityFilters(RecordFilterSet):
    """Subtree, kind (by code), free text (name, address or pinyin), and "existing on"."""

    unit = UnitFilter()
    kind = django_filters.CharFilter(field_name="kind__code", max_length=30)
    q = TextFilter(fields=("name", "address"))
    as_of = django_filters.DateFilter(method="existing")

    def existing(self, qs: QuerySet[Facility], name: str, day: dt.date) -> QuerySet[Facility]:
        return qs.filter(selectors.existing_on(day))


def facility_filters(user: User, data: FilterData) -> FacilityFilters:
    """The user's live facilities, by unit then kind then name, narrowed by `data`."""
    return FacilityFilters(
        data, selectors.facilities_for(user).select_related("unit", "kind"), user=user
    )
