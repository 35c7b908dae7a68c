"""The sign-in and sign-out pages, each leaving an audit entry with the source address.

They live here rather than in accounts because accounts sits below the audit layer; the
lockout itself stays in accounts (LockoutAuthenticationForm). Tests sign in with
force_login, which bypasses these pages and so writes no entry.
"""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse

from xuanwen.accounts import views as accounts_views
from xuanwen.accounts.models import User
from xuanwen.core.addresses import client_address

from .models import Action
from .services import audit_sign_in


class LoginView(accounts_views.LoginView):
    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        audit_sign_in(
            action=Action.LOGIN,
            username=user.get_username(),
            address=client_address(self.request),
            user=user if isinstance(user, User) else None,
        )
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # Only a refused sign-in is audited, not a form sent with a field left empty.
        refusals = form.errors.as_data().get(NON_FIELD_ERRORS, [])
        username = (form.data.get("username") or "").strip()
        if refusals and username:
            audit_sign_in(
                action=Action.LOGIN_FAILED,
                username=username,
                address=client_address(self.request),
                reason=refusals[0].code or "",
            )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Who it was, read before signing out replaces them with the anonymous user.
        user = request.user if isinstance(request.user, User) else None
        response = super().post(request, *args, **kwargs)
        if user is not None:
            audit_sign_in(
                action=Action.LOGOUT,
                username=user.get_username(),
                address=client_address(request),
                user=user,
            )
        return response
