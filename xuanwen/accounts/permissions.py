"""What a user may do, asked in one place by pages, API and commands."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import APPROVE_ROLES, MANAGE_ROLES, WRITE_ROLES, User


def can_see(user: User, code: str) -> bool:
    return user.is_active and user.scope.contains(code)


def can_write(user: User, code: str) -> bool:
    return can_see(user, code) and (user.is_superuser or user.role in WRITE_ROLES)


def can_manage(user: User, code: str) -> bool:
    """Change the unit tree, users and settings, restore deleted records."""
    return can_see(user, code) and (user.is_superuser or user.role in MANAGE_ROLES)


def can_approve(user: User, code: str) -> bool:
    return can_see(user, code) and (user.is_superuser or user.role in APPROVE_ROLES)


def can_manage_scope(user: User) -> bool:
    """Manage what applies across the user's whole scope (activity types, facility kinds,
    team genres, the work calendar); never for a user whose scope is nothing."""
    return (
        user.is_active
        and not user.scope.is_nothing
        and (user.is_superuser or user.role in MANAGE_ROLES)
    )


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request that passed `login_required` (pages) or the bearer
    token (API), typed as the user model. An anonymous request here is a view that forgot its
    guard: it is refused rather than read as somebody."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    return user
