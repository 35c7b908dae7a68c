from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from xuanwen.accounts.services import token_user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`, tokens made by `xuanwen token USERNAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            # Scoped selectors and services read request.user, as in the pages.
            request.user = user
        return user
