from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanwen.accounts.permissions import can_manage, request_user

from .models import Action
from .selectors import audit_entries_for, get_audit_entry_for_user
from .services import audit_restore


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    entries = audit_entries_for(user)
    action = request.GET.get("action", "")
    if action in Action.values:
        entries = entries.filter(action=action)
    unit = request.GET.get("unit", "").strip()[:12]  # a unit code has at most 12 digits
    if unit.isdigit():
        entries = entries.filter(unit_code__startswith=unit)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {"page": page, "actions": Action.choices, "action": action, "unit": unit},
    )


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entry = get_audit_entry_for_user(user, pk)
    can_restore = (
        entry.action == Action.DELETE
        and entry.restored_at is None
        and can_manage(user, entry.unit_code)
    )
    return render(request, "audit/detail.html", {"entry": entry, "can_restore": can_restore})


@login_required
@require_POST
def audit_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entry = get_audit_entry_for_user(user, pk)
    try:
        obj = audit_restore(user=user, entry=entry)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(entry)
    messages.success(request, _("已恢复：%(obj)s") % {"obj": obj})
    return redirect(entry)
