"""Reading the audit trail, scoped like the records it describes."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User

from .models import AuditEntry


def audit_entries_for(user: User) -> QuerySet[AuditEntry]:
    # A country-wide import is recorded with an empty unit code: only superusers see it.
    qs = AuditEntry.objects.filter(user.scope.q("unit_code"))
    if not user.scope.is_country:
        qs = qs.exclude(unit_code="")
    return qs.select_related("actor")


def get_audit_entry_for_user(user: User, pk: int) -> AuditEntry:
    entry = audit_entries_for(user).filter(pk=pk).first()
    if entry is None:
        raise Http404(_("未找到该记录，或您无权查看。"))
    return entry
