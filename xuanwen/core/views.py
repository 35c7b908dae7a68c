from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xuanwen.units.selectors import children_with_counts, subtree_counts

from .forms import LockoutAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    unit = user.unit
    context = {
        "unit": unit,
        "children": children_with_counts(unit) if unit else [],
        "counts": subtree_counts(unit) if unit else {},
    }
    return render(request, "core/home.html", context)
