"""The 我的令牌 page: a signed-in person's own API tokens, listed, made and revoked.

Here rather than in accounts because making and revoking a token is audited, and accounts
sits below the audit layer (as units.services.user_create does for the same reason).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xuanwen.accounts.models import TokenState
from xuanwen.accounts.permissions import request_user
from xuanwen.accounts.selectors import get_token_of, tokens_of
from xuanwen.core import clock

from . import services
from .forms import TokenCreateForm


@never_cache  # the page that shows a new token's secret must not be kept by any cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = TokenCreateForm(request.POST or None)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = services.api_token_create(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenCreateForm()
    now = clock.now()
    tokens = [(t, t.state(now)) for t in tokens_of(user)]
    return render(
        request,
        "units/tokens.html",
        {
            "form": form,
            "created": created,
            "raw": raw,
            "tokens": tokens,
            "ACTIVE": TokenState.ACTIVE,
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    token = get_token_of(user, pk)
    try:
        services.api_token_revoke(actor=user, token=token)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤销令牌“%(name)s”。") % {"name": token.name})
    return redirect("tokens:list")
