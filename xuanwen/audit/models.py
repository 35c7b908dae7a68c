from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    RESTORE = "restore", _("恢复")
    IMPORT = "import", _("导入")
    # Sign-ins and sign-outs of an account (model "accounts.user"), with the source address.
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_fail", _("登录失败")
    LOGOUT = "logout", _("退出登录")


class AuditEntry(models.Model):
    """One change to a domain record: who, when, what it was before and after; or one sign-in,
    failed sign-in or sign-out, with the address it came from."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too so the entry still names the person after the account is deleted.
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    model = models.CharField(_("记录类型"), max_length=100)  # app_label.model_name
    object_pk = models.CharField(_("记录编号"), max_length=64)
    object_repr = models.CharField(_("记录"), max_length=200)
    # The unit the record belongs to: scopes the audit page like every other record.
    unit_code = models.CharField(_("单位"), max_length=12, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    restored_at = models.DateTimeField(_("已恢复于"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["model", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("audit:detail", args=[self.pk])

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field that differs."""
        before = (self.before or {}).get("fields", {})
        after = (self.after or {}).get("fields", {})
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
