"""People, amateur troupes, training classes and honours of a unit.

Every main record carries the unit it belongs to (its code is the record's path in the tree,
so a subtree is a code range) and is soft-deleted, like an activity, so that the audit page can
restore it. A training class owns an Activity of type 培训 (see services.training_create):
that activity is what the plan targets "举办3—5期培训" count, once per class.
"""

from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level, Recorded
from xuanwen.records.models import OwnedCatalogue
from xuanwen.units.models import record_unit

# The default genres are created by migration 0002_default_genres.


class TeamGenre(OwnedCatalogue):
    """A kind of amateur troupe (队伍类别), e.g. 秧歌队; admins can add more."""

    class Meta(OwnedCatalogue.Meta):
        verbose_name = verbose_name_plural = _("队伍类别")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Tracked(Recorded):
    """The teams app's main records: the bookkeeping (Recorded) and the name's pinyin."""

    # Full pinyin and initials of the name, so that "zs" finds 张三 in the list filter.
    search_pinyin = models.CharField(max_length=500, blank=True, editable=False)

    class Meta(Recorded.Meta):
        abstract = True


class Person(Tracked):
    """A person of the unit's cultural life (人员): a troupe member, a trainee, an honouree."""

    detail_url = "teams:person_detail"

    unit = record_unit(_("所属单位"))
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    # Personal data: shown only to users who may write in the person's unit (see selectors).
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    specialty = models.CharField(_("特长"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta(Tracked.Meta):
        ordering = ["unit_id", "name", "id"]
        verbose_name = verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["unit", "deleted_at"], name="person_unit_live_idx")]

    def __str__(self) -> str:
        return self.name


class Team(Tracked):
    """An amateur troupe (业余文艺队伍): 秧歌队, 锣鼓队, 皮影剧团, 艺术团 …"""

    detail_url = "teams:team_detail"

    unit = record_unit(_("所属单位"))
    name = models.CharField(_("队伍名称"), max_length=100)
    genre = models.ForeignKey(TeamGenre, verbose_name=_("类别"), on_delete=models.PROTECT)
    leader = models.ForeignKey(
        Person,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The real-world dates the team stood between, which its standing count reads: without
    # founded_on it counts in no period (待补日期). A disbanded team is no longer active.
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    disbanded_on = models.DateField(_("解散日期"), null=True, blank=True)
    active = models.BooleanField(_("正常活动"), default=True)
    note = models.TextField(_("简介"), blank=True)

    class Meta(Tracked.Meta):
        ordering = ["unit_id", "name", "id"]
        verbose_name = verbose_name_plural = _("业余文艺队伍")
        indexes = [models.Index(fields=["unit", "deleted_at"], name="team_unit_live_idx")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person's membership of a team, with the role and the date they joined."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("队员"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("队内职务"), max_length=30, blank=True)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("队员")
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team}：{self.person}"


class TeamPerformance(models.Model):
    """A team's performance: the team taking part in an activity (the activity is the record)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="performances")
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("活动"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("队伍演出")
        constraints = [
            models.UniqueConstraint(fields=["team", "activity"], name="team_performance_once")
        ]

    def __str__(self) -> str:
        return f"{self.team}：{self.activity}"


class TrainingClass(Tracked):
    """A training class (培训班) with its sessions and trainees; counted as one 培训 activity."""

    detail_url = "teams:training_detail"

    unit = record_unit(_("举办单位"))
    title = models.CharField(_("培训班名称"), max_length=200)
    trainer = models.CharField(_("授课老师"), max_length=100, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    note = models.TextField(_("内容简介"), blank=True)
    # The class's own 培训 activity, kept in step by the training services; the plan's
    # "举办培训 N 期" counts activities, so this is how a class counts once.
    activity = models.OneToOneField(
        "activities.Activity",
        verbose_name=_("对应活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(Tracked.Meta):
        ordering = ["-start_date", "-id"]
        verbose_name = verbose_name_plural = _("培训班")
        indexes = [
            models.Index(fields=["unit", "start_date"], name="training_unit_start_idx"),
            models.Index(fields=["unit", "deleted_at"], name="training_unit_live_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    """One session (课次) of a training class: its date, hours and topic."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("日期"))
    hours = models.DecimalField(_("课时（小时）"), max_digits=4, decimal_places=1)
    topic = models.CharField(_("内容"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = verbose_name_plural = _("培训课次")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}".strip()


class Trainee(models.Model):
    """A person enrolled in a training class (学员)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="trainees"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("学员"), on_delete=models.CASCADE, related_name="trainings"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("学员")
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="trainee_once")
        ]

    def __str__(self) -> str:
        return f"{self.training_class}：{self.person}"


class Attendance(models.Model):
    """A trainee present at a session (出勤); absence is the lack of a row."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("出勤")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.trainee}（{self.session}）"


class HolderKind(models.TextChoices):
    UNIT = "unit", _("单位")
    PERSON = "person", _("个人")
    TEAM = "team", _("队伍")


def awarded_on(year: int, month: int | None, day: int | None) -> date:
    """The first day of the span an honour's date names (a year, a month or a day)."""
    return date(year, month or 1, (day or 1) if month else 1)


class Honour(Tracked):
    """An honour (荣誉) awarded to a unit, a person or a team."""

    detail_url = "teams:honour_detail"

    # The unit whose record it is: the honoured unit itself, or the person's or team's unit.
    unit = record_unit(_("单位"))
    holder_kind = models.CharField(_("授予对象"), max_length=10, choices=HolderKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("个人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    name = models.CharField(_("荣誉名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    # When it was awarded, as precisely as known: a year, a month of it, or a day. An honour
    # counts in a period only when the whole of that span lies inside it: one of 2011 counts in
    # 2011 and in no quarter or month of it, one of 2011-12 in December, 2011-Q4, 2011-H2 and
    # 2011 (teams.indicators).
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("日"), null=True, blank=True)
    # The first day of that span, kept by save() for the period rule and the order.
    awarded_on = models.DateField(_("授予日期"), editable=False)
    awarded_by = models.CharField(_("授予单位"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta(Tracked.Meta):
        ordering = ["-awarded_on", "-id"]
        verbose_name = verbose_name_plural = _("荣誉")
        indexes = [models.Index(fields=["unit", "deleted_at"], name="honour_unit_live_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.awarded_on = awarded_on(self.year, self.month, self.day)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"year", "month", "day"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "awarded_on"}
        super().save(*args, **kwargs)

    @property
    def date_label(self) -> str:
        """The date as precisely as known: 2011, 2011-12 or 2011-12-05."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-{self.month:02d}-{self.day:02d}"

    @property
    def holder_name(self) -> str:
        if self.holder_kind == HolderKind.PERSON and self.person is not None:
            return self.person.name
        if self.holder_kind == HolderKind.TEAM and self.team is not None:
            return self.team.name
        return self.unit.name
