"""A notice stored when something happens to a plan: submitted, returned or approved.

Overdue duties and loans are notices too, but derived at read time from the clock
(selectors.derived_notices), never stored: they stop being true by themselves once done.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    PLAN_SUBMITTED = "plan_submitted", _("计划待批准")
    PLAN_RETURNED = "plan_returned", _("计划被退回")
    PLAN_APPROVED = "plan_approved", _("计划已批准")


class Notice(models.Model):
    """One notice to one person. What it says is a snapshot taken when it happened (the
    plan's title, the actor's 姓名, the note), so a later rename does not rewrite history."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    # The plan it is about; a notice outlives nothing it names (a purged plan takes it along).
    plan = models.ForeignKey(
        "plans.WorkPlan",
        verbose_name=_("工作计划"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    actor_name = models.CharField(_("操作人"), max_length=150)
    note = models.CharField(_("意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("通知")
        indexes = [
            # The top bar's unread count, on every page.
            models.Index(fields=["recipient", "read_at"], name="notices_unread"),
            # The list, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notices_newest"),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The sentence shown: "李文 提交了 古城街道2026年工作计划"."""
        verbs = {
            NoticeKind.PLAN_SUBMITTED: gettext("%(actor)s 提交了 %(title)s"),
            NoticeKind.PLAN_RETURNED: gettext("%(actor)s 退回了 %(title)s"),
            NoticeKind.PLAN_APPROVED: gettext("%(actor)s 批准了 %(title)s"),
        }
        return verbs[NoticeKind(self.kind)] % {"actor": self.actor_name, "title": self.title}
