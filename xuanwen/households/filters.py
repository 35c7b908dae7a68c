"""The household list's filter: the page, its export and the API read the same one."""

import django_filters

from xuanwen.accounts.models import User
from xuanwen.core.models import Level
from xuanwen.records.filters import DatedFilterSet, FilterData, TextFilter

from . import selectors


class HouseholdFilters(DatedFilterSet):
    """The dated register's filters (subtree, kind, standing on `as_of`, designated between
    `start`–`end`, 待补日期), level and free text: head, speciality, members' names or the
    head's pinyin."""

    dates = (selectors.DESIGNATED, selectors.REVOKED)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    q = TextFilter(fields=("head", "speciality", "member_names"))


def household_filters(user: User, data: FilterData) -> HouseholdFilters:
    """The user's live households, by unit then kind then head, narrowed by `data`."""
    return HouseholdFilters(
        data, selectors.households_for(user).select_related("unit", "kind"), user=user
    )
