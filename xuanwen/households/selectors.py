"""Reading culture households, always within the user's scope."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core.scope import Scope
from xuanwen.indicators import declare
from xuanwen.records.selectors import one_or_404
from xuanwen.records.vocab import offered_kinds

from .models import Household, HouseholdKind

# The household's real-world dates, which its standing and new counts read (never created_at).
DESIGNATED, REVOKED = "designated_on", "revoked_on"


def households_for(user: User) -> QuerySet[Household]:
    """Live households anywhere in the user's subtree."""
    return Household.objects.filter(user.scope.q("unit_id"))


def get_household_for_user(user: User, pk: int) -> Household:
    qs = households_for(user).select_related("unit", "kind")
    return one_or_404(qs, pk, _("未找到该文化户，或您无权查看。"))


def household_kinds(scope: Scope) -> QuerySet[HouseholdKind]:
    """The kinds offered for new records (retired ones are kept by the records that use them)."""
    return offered_kinds(HouseholdKind, scope)


def standing_on(day: dt.date) -> Q:
    """Households standing on `day`: designated on or before it and not revoked by then. One
    without a designation date stands on no day (待补日期); deleted ones never count (the live
    manager leaves them out: a deletion is a correction, not a revocation)."""
    return declare.standing_on(day, DESIGNATED, REVOKED)
