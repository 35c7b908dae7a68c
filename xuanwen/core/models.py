"""Building blocks shared by the domain apps' models."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AliveQuerySet(models.QuerySet):
    def alive(self) -> "AliveQuerySet":
        return self.filter(deleted_at__isnull=True)


class AliveManager(models.Manager):
    """The default manager of soft-deleted models: deleted rows are invisible.

    `all_objects` on the model still reaches them (for the audit page's restore).
    """

    def get_queryset(self) -> Any:
        return AliveQuerySet(self.model, using=self._db).filter(deleted_at__isnull=True)


class SoftDeleted(models.Model):
    """A record that is soft-deleted: `deleted_at` set hides it from `objects` (the default
    manager) while `all_objects` still reaches it, for the audit page's restore and for
    related rows (the base manager). A model's own Meta subclasses SoftDeleted.Meta to keep
    the manager names.
    """

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    all_objects = models.Manager()
    objects = AliveManager()

    class Meta:
        abstract = True
        default_manager_name = "objects"
        base_manager_name = "all_objects"


class Recorded(SoftDeleted):
    """A main record's bookkeeping: who entered it (None for a command or an import without a
    signed-in user), when, when it last changed, and the soft delete."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The URL name of the record's page, reversed with its `detail_key` (its pk, or the owner's
    # id where the page is the owner's: a bookhouse's register): the entry pages redirect there
    # and the indicators' records page links there.
    detail_url: ClassVar[str]
    detail_key: ClassVar[str] = "pk"

    class Meta(SoftDeleted.Meta):
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(self.detail_url, args=[getattr(self, self.detail_key)])


class Catalogue(models.Model):
    """A list of kinds an admin keeps (活动类型, 队伍类别, 阵地类型 …): a unique name, an order
    and whether it is still offered for new records. A model adds its own columns and its
    Meta (subclassing Catalogue.Meta) names it."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    """The level of an outlet, an award or a listing (级别)."""

    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")
    OTHER = "other", _("其他")


class StoredFile(models.Model):
    """The columns of an uploaded photo or file as core.files stores it (write_upload fills
    them), shared by every model that keeps uploads. A model adds its owner, its `file` and
    `thumbnail` (each app stores under its own folder) and, where it has one, its `kind`; its
    Meta subclasses StoredFile.Meta for the upload order.
    """

    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # None when a command or an import without a signed-in user uploads.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class BackgroundTask(models.Model):
    """What the row of any work run as a background task records: whose it is, the language
    its messages are worded in, its state and progress (done of total), why it failed, and
    when it was made, last moved and finished. Each kind adds its own fields (ImportJob here, an
    app's own kinds above core) and its Meta with its indexes."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队")
        RUNNING = "running", _("进行中")
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)  # the page's, for the problems the task words
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the task failed, in Chinese
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class ImportJob(BackgroundTask):
    """A big import run in the background (core.jobs): its preview, then its save.

    One row follows an upload from the preview to the save, so "我的导入" lists each import
    once. The stashed upload is `file` until the save or a refusal removes it. While a task
    runs, its live progress is a small file beside the upload (core.jobs: the save writes
    inside its transaction, which another connection cannot see into); `phase`, `done` and
    `total` here are where it stood at the last change of phase.
    """

    class Step(models.TextChoices):
        PREVIEW = "preview", _("预览")
        SAVE = "save", _("导入")

    class Phase(models.TextChoices):
        READ = "read", _("读取")
        CHECK = "check", _("检查")
        SAVE = "save", _("写入")

    flow = models.CharField(max_length=50)  # ImportFlow.key
    file = models.CharField(max_length=200)  # the stashed upload's storage name
    filename = models.CharField(_("文件"), max_length=255)  # as the user named it
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.PREVIEW)
    phase = models.CharField(max_length=10, choices=Phase.choices, blank=True)
    # The preview's page context (core.jobs.freeze), or {"message": …} after the save.
    result = models.JSONField(default=dict, blank=True)
    # The first problems as the page lists them, and how many there were in all.
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)

    class Meta(BackgroundTask.Meta):
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("imports:job", args=[self.pk])
