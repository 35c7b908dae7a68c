"""The designation list's filter: the page, its exports and the API read the same one."""

import django_filters

from xuanwen.accounts.models import User
from xuanwen.core.models import Level
from xuanwen.records.filters import DatedFilterSet, FilterData, TextFilter

from . import selectors


class DesignationFilters(DatedFilterSet):
    """The dated register's filters (subtree, kind, in force on `as_of`, designated between
    `start`–`end`, 待补日期), level and free text: unit name, 文号, 授予单位 or the unit's
    pinyin."""

    dates = (selectors.DESIGNATED, selectors.REVOKED)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    q = TextFilter(fields=("unit__name", "document_no", "awarded_by"))


def designation_filters(user: User, data: FilterData) -> DesignationFilters:
    """The user's live designations, by unit then kind then date, narrowed by `data`."""
    return DesignationFilters(
        data, selectors.designations_for(user).select_related("unit", "kind"), user=user
    )
