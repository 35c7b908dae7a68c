from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.scope import COUNTRY, NOTHING, Scope

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    SUPERVISOR = "supervisor", _("主管")
    STAFF = "staff", _("专干/站长")
    VILLAGE_ADMIN = "village_admin", _("村管理员")
    PROJECTIONIST = "projectionist", _("放映员")
    VIEWER = "viewer", _("只读")


# What each role may do inside its scope. Kept as data so that a page, the API and a command
# ask the same question the same way (see accounts.permissions).
WRITE_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.VILLAGE_ADMIN, Role.PROJECTIONIST})
MANAGE_ROLES = frozenset({Role.ADMIN})
APPROVE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})

# A person's name (姓名) as it is written: one field, not Django's first and last names.
NAME_MAX = 30


class User(AbstractUser):
    """A person who signs in; bound to one unit, whose subtree is everything they can reach."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    # Required for new users (user_create); blank only on accounts made by hand in the shell.
    name = models.CharField(_("姓名"), max_length=NAME_MAX, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """What pages show for this person: the 姓名, the login name only when there is none."""
        return self.name or self.get_username()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def scope(self) -> Scope:
        """Everything this user may reach: a superuser the whole country, anyone else their
        unit's subtree, and a user bound to no unit nothing at all."""
        if self.is_superuser:
            return COUNTRY
        return Scope.unit(self.unit_id) if self.unit_id else NOTHING


def by_user(
    verbose_name: "StrOrPromise | None" = None, *, blank: bool = False
) -> "models.ForeignKey[User | None, User | None]":
    """Who did something (操作人, 批准人, 完成人 …): the row outlives the account (SET_NULL),
    and a user has no reverse accessor to it."""
    named: dict[str, Any] = {} if verbose_name is None else {"verbose_name": verbose_name}
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
        **named,
    )


# How long a new token lasts: a choice among these, 90 days unless chosen otherwise. A token
# that never expires outlives the laptop or script it was pasted into; a year is the longest.
TOKEN_DAYS = (7, 30, 90, 180, 365)
TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = max(TOKEN_DAYS)
TOKEN_NAME_MAX = 50


class TokenState(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")


class ApiToken(models.Model):
    """A named bearer token for the API; only its SHA-256 is stored. A user may hold several
    (one per script or device), each refused once revoked or past its expiry."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=TOKEN_NAME_MAX)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("前缀"), max_length=12)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name}（{self.hint}…）"

    def state(self, now: datetime) -> TokenState:
        """Whether the token opens the API at `now` (the caller's clock.now())."""
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at <= now:
            return TokenState.EXPIRED
        return TokenState.ACTIVE


class LoginAttempt(models.Model):
    """One sign-in attempt, kept to lock a username out after repeated failures."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录尝试")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'fail'}"
