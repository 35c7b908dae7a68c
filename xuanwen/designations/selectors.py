"""Reading designations, always within the user's scope."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core.scope import Scope
from xuanwen.records.selectors import one_or_404
from xuanwen.records.vocab import offered_kinds

from .models import Designation, DesignationKind

# The designation's real-world dates, which its standing and new counts read (never created_at):
# it stands on a day when designated on or before it and not revoked by then, and one without a
# designated date on no day (待补日期), in its list filter and its indicators alike
# (indicators.declare.standing_on).
DESIGNATED, REVOKED = "designated_on", "revoked_on"


def designations_for(user: User) -> QuerySet[Designation]:
    """Live designations anywhere in the user's subtree."""
    return Designation.objects.filter(user.scope.q("unit_id"))


def get_designation_for_user(user: User, pk: int) -> Designation:
    qs = designations_for(user).select_related("unit", "kind")
    return one_or_404(qs, pk, _("未找到该命名，或您无权查看。"))


def designation_kinds(scope: Scope) -> QuerySet[DesignationKind]:
    """The kinds offered for new records (retired ones are kept by the records that use them)."""
    return offered_kinds(DesignationKind, scope)
