"""Reading culture households, always within the user's scope."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core.scope import Scope
from xuanwen.records.selectors import one_or_404
from xuanwen.records.vocab import offered_kinds

from .models import Household, HouseholdKind

# The household's real-world dates, which its standing and new counts read (never created_at):
# it stands on a day when designated on or before it and not revoked by then, and one without a
# designation date on no day (待补日期), in its list filter and its indicators alike
# (indicators.declare.standing_on); deleted ones never count (the live manager leaves them
# out: a deletion is a correction, not a revocation).
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
