from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level, Recorded, StoredFile
from xuanwen.records.models import OwnedCatalogue
from xuanwen.units.models import record_unit

# The default types are created by migration 0002_default_types.


class ActivityType(OwnedCatalogue):
    """A kind of activity (活动类型), e.g. 文艺演出; admins can add more."""

    class Meta(OwnedCatalogue.Meta):
        verbose_name = verbose_name_plural = _("活动类型")


class Funding(models.TextChoices):
    FISCAL = "fiscal", _("财政")
    SELF = "self", _("自筹")
    SPONSOR = "sponsor", _("赞助")
    OTHER = "other", _("其他")


class Activity(Recorded):
    """An activity (活动) held in a unit: a performance, a class, a talk, a festival event …"""

    detail_url = "activities:detail"

    # Where it happened; the unit's code is the record's path in the tree (subtree = code range).
    unit = record_unit(_("举办单位"))
    type = models.ForeignKey(ActivityType, verbose_name=_("类型"), on_delete=models.PROTECT)
    title = models.CharField(_("名称"), max_length=200)
    organisers = models.CharField(_("主办单位"), max_length=200, blank=True)
    co_organisers = models.CharField(_("联办单位"), max_length=200, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    audience = models.PositiveIntegerField(_("观众人数"), default=0)
    # How many items (节目) a performance put on; 0 for an activity that is not a show.
    programmes = models.PositiveSmallIntegerField(_("节目数"), default=0)
    cost = models.DecimalField(
        _("经费（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding = models.CharField(_("经费来源"), max_length=10, choices=Funding.choices, blank=True)
    description = models.TextField(_("内容简介"), blank=True)
    # The villages (communities) a campaign reached (送戏下乡 20 场 in 10 villages), inside the
    # subtree of the activity's unit; 覆盖村数 counts them once each in a period.
    villages = models.ManyToManyField(
        "units.Unit",
        through="ActivityVillage",
        verbose_name=_("覆盖村（社区）"),
        related_name="+",
        blank=True,
    )
    # Full pinyin and initials of the title, so that "whyc" finds 文化演出 in the list filter.
    search_pinyin = models.CharField(max_length=500, blank=True, editable=False)

    class Meta(Recorded.Meta):
        ordering = ["-start_date", "-id"]
        verbose_name = verbose_name_plural = _("活动")
        indexes = [
            # Subtree (unit code range) × period: the shape of every indicator query.
            models.Index(fields=["unit", "start_date"]),
            models.Index(fields=["start_date"]),
            # A period is the activities overlapping it (end_date ≥ its start, start_date ≤ its
            # end); for this year's, the end date bound is the one that leaves few rows, and
            # PostgreSQL picks it by its statistics.
            models.Index(fields=["end_date"], name="activity_end_date_idx"),
            # The list, newest first, one index per way it is filtered: live rows of a village
            # (equality on the unit), of a type, or of any larger subtree, each already in the
            # list's order (start_date, then id, which every index ends with), so a page is
            # read from the index and stops after it, however many rows match.
            models.Index(
                fields=["unit", "deleted_at", "start_date"], name="activity_unit_page_idx"
            ),
            models.Index(
                fields=["type", "deleted_at", "start_date"], name="activity_type_page_idx"
            ),
            models.Index(fields=["deleted_at", "start_date"], name="activity_live_page_idx"),
            # Indicator queries that read the activities themselves (a date range that is not
            # whole months, indicators the tally does not hold): a subtree's live activities
            # overlapping a period, counted and summed by a prefix of the unit code. Every
            # column they read is in the key and only live rows are in it, so PostgreSQL answers
            # them with an Index Only Scan and SQLite from the covering index, never reading
            # the table's titles and descriptions. The end date comes second: for recent
            # periods its bound leaves few entries of the subtree's range to look at.
            models.Index(
                fields=[
                    "unit",
                    "end_date",
                    "start_date",
                    "type",
                    "participants",
                    "audience",
                    "programmes",
                    # Always NULL here, but SQLite counts a column of the query covered only
                    # when the index holds it, whatever the index's WHERE says.
                    "deleted_at",
                    "id",
                ],
                condition=models.Q(deleted_at__isnull=True),
                name="activity_rollup_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityCount(models.Model):
    """How many live activities a unit's whole subtree holds of a type.

    An activity is in the row of its own unit and in the row of each ancestor, as in
    ActivityTally, so the list's "共 N 项活动" for any subtree is the sum of that subtree's own
    rows, one per type, however many activities and units it holds. Kept by the services in the
    same transaction as every write that adds, removes, moves or retypes a live activity
    (counts.change), so it is exact by construction: a transaction that rolls back takes its
    change with it, and two writers of one row queue on its lock. `xuanwen recount` rebuilds
    the table after the database was changed by hand.
    """

    # The code of the subtree's top unit. The ancestors of an imported county (its province
    # and city) may have no Unit row, so it is a code rather than a foreign key.
    path = models.CharField(max_length=12)
    type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="+")
    live = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["path", "type"], name="activity_count_path_type"),
        ]

    def __str__(self) -> str:
        return f"{self.path}/{self.type_id}: {self.live}"


class ActivityTally(models.Model):
    """The live activities of a unit's whole subtree by type and by start and end month, with
    the sums the activity indicators read (participants, audience, programmes, those with media
    coverage).

    An activity is in the row of its own unit and in the row of each ancestor, so the activity
    indicators of a unit for a period are read from that unit's rows alone, and a roll-up by
    child from its children's, a few hundred rows for a county however many activities it
    holds. An activity counts in every period it overlaps (indicators.overlapping), so a row
    belongs to a month-aligned period when its start month is not after the period's last
    month and its end month not before its first. Kept exact by the same service calls as
    ActivityCount (counts.change) and rebuilt with it by `xuanwen recount`.
    """

    # The code of the unit whose subtree the row totals; ancestors (a city, a province) may
    # have no Unit row, so it is a code rather than a foreign key.
    path = models.CharField(max_length=12)
    type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="+")
    start_month = models.DateField()  # the first day of the month the activities start in
    end_month = models.DateField()  # the first day of the month they end in
    live = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    audience = models.BigIntegerField(default=0)
    programmes = models.BigIntegerField(default=0)
    covered = models.BigIntegerField(default=0)  # those with at least one media report

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["path", "type", "start_month", "end_month"], name="activity_tally_key"
            ),
        ]
        indexes = [
            # A period's rows of a unit or of its children: the end month bound is the one
            # that leaves few rows for recent periods. The other columns the indicators read
            # are in the key too, so a roll-up is an Index Only Scan on PostgreSQL and a
            # covering-index read on SQLite: the table itself is never visited.
            models.Index(
                fields=[
                    "path",
                    "end_month",
                    "start_month",
                    "type",
                    "live",
                    "participants",
                    "audience",
                    "programmes",
                    "covered",
                ],
                name="activity_tally_rollup_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path}/{self.type_id} {self.start_month:%Y-%m}..{self.end_month:%Y-%m}"


class ActivityVillage(models.Model):
    """A village (community) an activity reached: a part of the activity, written with it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reached")
    village = models.ForeignKey(
        "units.Unit", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["village_id"]
        verbose_name = verbose_name_plural = _("覆盖村（社区）")
        constraints = [
            models.UniqueConstraint(fields=["activity", "village"], name="activity_village_once")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.village_id}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    FILE = "file", _("文件")


class Attachment(StoredFile):
    """A photo or file of an activity; stored under MEDIA_ROOT and served only by a scoped view."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to="activities/%Y/%m/")
    thumbnail = models.FileField(upload_to="activities/thumbs/%Y/%m/", blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = verbose_name_plural = _("附件")


class MediaCoverage(models.Model):
    """A report on an activity in the media (媒体报道): outlet, level, date, link, views."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="coverage")
    outlet = models.CharField(_("媒体"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200, blank=True)
    link = models.URLField(_("链接"), max_length=500, blank=True)
    views = models.PositiveIntegerField(_("阅读/点击量"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = verbose_name_plural = _("媒体报道")

    def __str__(self) -> str:
        return f"{self.outlet} {self.title}"


class WinnerKind(models.TextChoices):
    PERSON = "person", _("个人")
    TEAM = "team", _("团队")


class Award(models.Model):
    """An award won at an activity (奖项): name, level, rank and who won it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(_("奖项名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    rank = models.CharField(_("名次/等次"), max_length=50, blank=True)
    winner_kind = models.CharField(_("获奖者类别"), max_length=10, choices=WinnerKind.choices)
    winner = models.CharField(_("获奖者"), max_length=100)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("奖项")

    def __str__(self) -> str:
        return f"{self.name} {self.rank}"
