from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import by_user


class Action(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    RESTORE = "restore", _("恢复")
    IMPORT = "import", _("导入")
    # A record's workflow (a plan's): what happened, not just that it changed.
    SUBMIT = "submit", _("提交")
    RETURN = "return", _("退回")
    APPROVE = "approve", _("批准")
    # Sign-ins and sign-outs of an account (model "accounts.user"), with the source address.
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_fail", _("登录失败")
    LOGOUT = "logout", _("退出登录")


# How the log tells an entry: "〈who〉 批准了 〈record〉"; a sign-in ends with the login name.
VERBS = {
    Action.CREATE: _("新增了"),
    Action.UPDATE: _("修改了"),
    Action.DELETE: _("删除了"),
    Action.RESTORE: _("恢复了"),
    Action.IMPORT: _("导入了"),
    Action.SUBMIT: _("提交了"),
    Action.RETURN: _("退回了"),
    Action.APPROVE: _("批准了"),
    Action.LOGIN: _("登录了"),
    Action.LOGIN_FAILED: _("登录失败"),
    Action.LOGOUT: _("退出了登录"),
}
SIGN_IN_ACTIONS = frozenset({Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT})


class AuditEntry(models.Model):
    """One change to a domain record: who, when, what it was before and after; or one sign-in,
    failed sign-in or sign-out, with the address it came from."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = by_user(_("操作人"), blank=True)
    # The actor's 姓名 at the time, so the entry still names the person after the account is
    # deleted; while it exists the page shows the account's current name (`who`).
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    model = models.CharField(_("记录类型"), max_length=100)  # app_label.model_name
    object_pk = models.CharField(_("记录编号"), max_length=64)
    # The record's title when the entry was written: the log reads right after a rename.
    object_repr = models.CharField(_("记录"), max_length=200)
    # The unit the record belongs to: scopes the audit page like every other record.
    unit_code = models.CharField(_("单位"), max_length=12, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    restored_at = models.DateTimeField(_("已恢复于"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["model", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("audit:detail", args=[self.pk])

    @property
    def who(self) -> str:
        """The person's name (select_related("actor") keeps the list's queries flat)."""
        return self.actor.display_name if self.actor is not None else self.actor_name

    @property
    def verb(self) -> str:
        verb = VERBS.get(Action(self.action)) if self.action in Action.values else None
        return str(verb if verb is not None else self.get_action_display())

    @property
    def title(self) -> str:
        """What the sentence ends with: the record's title then, or for a sign-in the login
        name that was used (a failed one may name no account at all)."""
        if self.action in SIGN_IN_ACTIONS:
            return _("（账号 %(u)s）") % {"u": self.object_repr}
        return self.object_repr

    @property
    def story(self) -> str:
        """The entry as one plain sentence: "张三 批准了 古城街道2026年工作计划"."""
        return " ".join(p for p in [self.who, self.verb, self.title] if p)

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field that differs."""
        before = (self.before or {}).get("fields", {})
        after = (self.after or {}).get("fields", {})
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
