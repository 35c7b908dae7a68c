"""What a user may do, asked in one place by pages, API and commands."""

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
