"""Reading API tokens: a person sees their own; the command line sees everyone's."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def get_token_of(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens, or 404 whether it does not exist or is someone else's."""
    token = tokens_of(user).select_related("user").filter(pk=pk).first()
    if token is None:
        raise Http404(_("未找到该令牌。"))
    return token


def tokens_listed(username: str | None = None) -> QuerySet[ApiToken]:
    """For `xuanwen token list`: every token, or one user's, with its user."""
    tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
    return tokens.filter(user__username=username) if username else tokens
