"""The notices page (/notices/) and opening one notice (/notices/<pk>/).

Opening the page marks the stored notices it shows read (those of the page shown, so a long
backlog is not cleared unseen); they are still marked 新 on this showing.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.core.header import header

from .selectors import derived_notices, get_notice_for_user, notices_for
from .services import notices_mark_read

PER_PAGE = 20


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Derived notices on top, then the stored ones newest first: a constant number of
    queries (the derived ones', the count and the page, one UPDATE)."""
    user = request_user(request)
    page = Paginator(notices_for(user), PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page)
    notices_mark_read(user=user, ids=[n.pk for n in rows if n.read_at is None])
    context = {
        "derived": derived_notices(user),
        "page": page,
        "rows": rows,
        **header(_("通知")),
    }
    return render(request, "notices/list.html", context)


@login_required
@require_GET
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one notice: marked read, then its plan's page."""
    user = request_user(request)
    notice = get_notice_for_user(user, pk)
    notices_mark_read(user=user, ids=[notice.pk])
    return redirect(reverse("plans:detail", args=[notice.plan_id]))
