"""The plan list's filter: the page and the API read the same one."""

import django_filters

from xuanwen.accounts.models import User
from xuanwen.records.filters import FilterData, IntegerFilter, RecordFilterSet

from . import selectors
from .models import PlanStatus


class PlanFilters(RecordFilterSet):
    """Year, status, and one unit's own plans (not its subtree's)."""

    year = IntegerFilter()
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    unit = django_filters.CharFilter(field_name="unit_id", max_length=12)


def plan_filters(user: User, data: FilterData) -> PlanFilters:
    """The latest revision of each of the user's plans, narrowed by `data`."""
    return PlanFilters(data, selectors.latest_plans_for(user), user=user)
