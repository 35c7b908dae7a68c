from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import BackgroundTask, StoredFile
from xuanwen.units.models import record_unit


class DocumentKind(models.TextChoices):
    """The documents written from a .docx template a county may replace with its own."""

    SUMMARY = "summary", _("工作总结")
    PLAN = "plan", _("工作计划草稿")
    NOTICE = "notice", _("考核结果通报")  # from a published assessment run (notice.py)


class DocumentTemplate(StoredFile):
    """A unit's own template of a document, used for its subtree (the nearest ancestor's
    wins). Uploads are kept: a newer one or a revert to the default retires the current one
    (`retired_at`), which can be put back, so nothing a county made is lost."""

    unit = record_unit(_("单位"))
    kind = models.CharField(_("文档"), max_length=10, choices=DocumentKind.choices)
    # The .docx itself: small (bounded at upload) and read at every generation, so in the
    # database with the rest of the unit's data (and in its backups).
    content = models.BinaryField()
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("文档模板")
        verbose_name_plural = _("文档模板")
        indexes = [models.Index(fields=["unit", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}模板：{self.original_name}"


class DocumentJob(BackgroundTask):
    """The documents of a supervisor's units made into one .zip in the background
    (documents.jobs): its progress a unit at a time (done of total), then the file."""

    unit = record_unit(_("单位"))
    period = models.CharField(_("期间"), max_length=20)  # a Period's key: 2026, 2026-H1
    file = models.CharField(max_length=200, blank=True)  # the .zip's storage name once done

    class Meta(BackgroundTask.Meta):
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}"
