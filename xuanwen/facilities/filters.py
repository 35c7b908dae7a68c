"""The facility list's filter: the page, its export and the API read the same one."""

from xuanwen.accounts.models import User
from xuanwen.records.filters import DatedFilterSet, FilterData, TextFilter

from . import selectors


class FacilityFilters(DatedFilterSet):
    """The dated register's filters (subtree, kind, standing on `as_of`, opened between
    `start`–`end`, 待补日期) and free text: name, address or pinyin."""

    dates = (selectors.OPENED, selectors.CLOSED)
    q = TextFilter(fields=("name", "address"))


def facility_filters(user: User, data: FilterData) -> FacilityFilters:
    """The user's live facilities, by unit then kind then name, narrowed by `data`."""
    return FacilityFilters(
        data, selectors.facilities_for(user).select_related("unit", "kind"), user=user
    )
