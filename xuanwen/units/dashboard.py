"""Who sees the supervisor's dashboard on the home page, and for which unit.

The dashboard is the home page's cards that compare the children of the user's unit (plan
progress, reports owed, duties overdue, the activity trend, rankings): each card is its own
app's (core.home), and each asks `overseen_unit` first, so that they all appear to the same
people. Those who run a subtree see it: the county bureau and culture centre (supervisor,
admin), and a township station head (staff) for their villages. A village keeper's home stays
the day's tasks, a viewer's (leaders, auditors) the figures, and a village has no children to
compare.
"""

from django.http import HttpRequest

from xuanwen.accounts.models import Role
from xuanwen.accounts.permissions import request_user
from xuanwen.core import tree

from .models import Unit

DASHBOARD_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.STAFF})


def overseen_unit(request: HttpRequest) -> Unit | None:
    """The user's unit when its children are to be compared on the home page, else None."""
    user = request_user(request)
    unit = user.unit
    if unit is None or user.role not in DASHBOARD_ROLES or tree.child_length(unit.code) is None:
        return None
    return unit
