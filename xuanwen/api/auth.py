from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from xuanwen.accounts.services import token_check


class TokenRefused(AuthenticationError):
    """A token that was valid once: the 401 says why, so its owner knows to make a new one."""


REFUSALS = {
    "expired": lambda: _("令牌已过期，请在“我的令牌”页面新建一个。"),
    "revoked": lambda: _("令牌已撤销，请在“我的令牌”页面新建一个。"),
}


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`, tokens made on the 我的令牌 page or by `xuanwen token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        check = token_check(token)
        if check.refusal in REFUSALS:
            raise TokenRefused(message=REFUSALS[check.refusal]())
        if check.user is not None:
            # Scoped selectors and services read request.user, as in the pages.
            request.user = check.user
        return check.user
