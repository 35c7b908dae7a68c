from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.scope import COUNTRY, NOTHING, Scope


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

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def scope(self) -> Scope:
        """Everything this user may reach: a superuser the whole country, anyone else their
        unit's subtree, and a user bound to no unit nothing at all."""
        if self.is_superuser:
            return COUNTRY
        return Scope.unit(self.unit_id) if self.unit_id else NOTHING


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("前缀"), max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.hint}…"


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
