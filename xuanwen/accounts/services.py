"""Writing users and tokens; sign-in lockout."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.units.models import Unit

from .models import ApiToken, LoginAttempt, Role, User
from .permissions import can_manage

TOKEN_PREFIX = "xw_"  # noqa: S105 (a marker, not a secret)


def user_create(
    *,
    actor: Any,
    username: str,
    unit: Unit,
    role: str,
    password: str | None = None,
    full_name: str = "",
    check_password: bool = True,
) -> User:
    """Create a user bound to `unit`. actor None means the command line (trusted)."""
    if actor is not None and not can_manage(actor, unit.code):
        raise PermissionDenied(_("只有系统管理员可以在本单位范围内添加用户。"))
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%(r)s") % {"r": role}})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名 %(u)s 已存在。") % {"u": username}})
    user = User(username=username, unit=unit, role=role, first_name=full_name)
    if password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor, action=Action.CREATE, obj=user, unit_code=unit.code, after=snapshot(user)
        )
    return user


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User) -> str:
    """A new API token for `user`; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(raw), hint=raw[:10])
    return raw


def token_user(raw: str) -> User | None:
    """The active user a raw token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=_hash(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute: a busy client should not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_locked(username: str) -> bool:
    """True while `username` has too many recent failed sign-ins."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginAttempt.objects.filter(username__iexact=username, at__gte=since)
    last_success = recent.filter(succeeded=True).order_by("-at").values_list("at", flat=True)[:1]
    failures = recent.filter(succeeded=False)
    if last_success:
        failures = failures.filter(at__gt=last_success[0])
    return failures.count() >= settings.LOGIN_MAX_FAILURES


def login_attempt_record(*, username: str, ip: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(username=username[:150], ip=ip, succeeded=succeeded)
