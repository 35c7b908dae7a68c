"""Forms of the team, people, training and honour pages. They parse and present; the rules
live in services. The unit field is records.forms.UnitForm, the date inputs core.entry's; the
lists' filters are in filters.py."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xuanwen.core.bounds import held_range
from xuanwen.core.entry import DateInput, Form
from xuanwen.core.models import Level
from xuanwen.records.forms import UnitForm, cleaned_as, held_int, initial_of, offered

from . import selectors, services
from .models import (
    Gender,
    HolderKind,
    Honour,
    Person,
    Team,
    TeamGenre,
    TeamPerformance,
    TrainingClass,
)

YEAR = {"inputmode": "numeric", "pattern": "[0-9]*", "min": "1900", "max": "2100"}
PHONE = {"inputmode": "tel", "autocomplete": "off"}


class PersonForm(UnitForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(
        label=_("性别"), required=False, choices=[("", "—"), *Gender.choices]
    )
    birth_year = held_int(
        Person, "birth_year", required=False, widget=forms.NumberInput(attrs=YEAR)
    )
    phone = forms.CharField(
        label=_("电话"), max_length=30, required=False, widget=forms.TextInput(attrs=PHONE)
    )
    specialty = forms.CharField(label=_("特长"), max_length=100, required=False)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        if person is not None:
            kwargs.setdefault("initial", person_initial(person))
        super().__init__(*args, **kwargs)

    def to_data(self) -> services.PersonData:
        return cleaned_as(self, services.PersonData)


PERSON_FIELDS = ("unit", "name", "gender", "birth_year", "phone", "specialty", "note")


def person_initial(p: Person) -> dict[str, Any]:
    return initial_of(p, PERSON_FIELDS)


class TeamForm(UnitForm):
    name = forms.CharField(label=_("队伍名称"), max_length=100)
    genre = forms.ModelChoiceField(
        label=_("类别"), queryset=TeamGenre.objects.none(), empty_label=_("请选择")
    )
    leader_name = forms.CharField(
        label=_("负责人"),
        max_length=50,
        required=False,
        help_text=_("填姓名；人员名单中没有的，将作为本单位人员新建。"),
    )
    founded_on = forms.DateField(
        label=_("成立日期"),
        required=False,
        widget=DateInput(),
        help_text=_("只知道年份的，填该年 1 月 1 日。不填则不计入任何时段的队伍数。"),
    )
    disbanded_on = forms.DateField(
        label=_("解散日期"),
        required=False,
        widget=DateInput(),
        help_text=_("已解散或停止活动的填写；填写后即为已停止活动。"),
    )
    active = forms.BooleanField(label=_("正常活动"), required=False, initial=True)
    note = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        if team is not None:
            kwargs.setdefault("initial", team_initial(team))
        super().__init__(*args, **kwargs)
        current = team.genre_id if team is not None else None
        self.fields["genre"].queryset = offered(TeamGenre, current)  # type: ignore[attr-defined]

    def to_data(self) -> services.TeamData:
        """The service's data; the leader's name is looked up (or made) in the team's unit."""
        c = self.cleaned_data
        leader = None
        if c["leader_name"].strip():
            leader = services.people_by_names(
                user=self.user, unit=c["unit"], names=[c["leader_name"]]
            )[0]
        return cleaned_as(self, services.TeamData, leader=leader)


def team_initial(t: Team) -> dict[str, Any]:
    leader_name = t.leader.name if t.leader else ""
    return initial_of(t, ("unit", "name", "genre", "founded_on", "disbanded_on", "active", "note"),
                      leader_name=leader_name)  # fmt: skip


class MemberForm(Form):
    names = forms.CharField(
        label=_("队员姓名"),
        max_length=2000,
        help_text=_("可一次填多人，用顿号、逗号或换行分开；名单中没有的人员将新建。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    role = forms.CharField(label=_("队内职务"), max_length=30, required=False)
    joined_on = forms.DateField(label=_("加入日期"), required=False, widget=DateInput())

    prefix = "member"


def split_names(text: str) -> list[str]:
    """Names typed as 张三、李四, 王五 or one per line."""
    for sep in "、，,；;\n\r\t":
        text = text.replace(sep, " ")
    return [n for n in text.split(" ") if n]


def activity_label(a: Any) -> str:
    """How the performance picker names an activity."""
    return f"{a.start_date:%Y-%m-%d} {a.title}"


class IdsField(forms.Field):
    """Ids picked in a multiple select whose options change as the user searches: any ids,
    bounded in number and range; what they name is for the service to judge."""

    widget = forms.SelectMultiple

    def __init__(self, model: type[Any], name: str, most: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.range = held_range(model, name)
        self.most = most

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError(_("请从列表中选择。")) from None
        if any(not self.range[0] <= i <= self.range[1] for i in ids):
            raise ValidationError(_("请从列表中选择。"))
        if len(ids) > self.most:
            raise ValidationError(_("一次最多选择 %(n)d 项。") % {"n": self.most})
        return ids


class PerformanceForm(Form):
    """Activities are picked from the newest ones or from a search (teams:performance_choices
    fills the select as the user types), several at a time, and any activity of the subtree is
    accepted by its id: the service decides, not the options first shown."""

    activities = IdsField(
        TeamPerformance,
        "activity",
        services.PERFORMANCES_MAX,
        label=_("演出活动"),
        help_text=_("可按住 Ctrl（手机上直接点选）一次选择多项。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    prefix = "performance"

    def __init__(self, *args: Any, choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["activities"].widget
        widget.choices = [(a.pk, activity_label(a)) for a in choices]


class TrainingForm(UnitForm):
    unit_label_text = _("举办单位")

    title = forms.CharField(label=_("培训班名称"), max_length=200)
    trainer = forms.CharField(label=_("授课老师"), max_length=100, required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_date = forms.DateField(
        label=_("结束日期"), required=False, widget=DateInput(), help_text=_("一天的培训可不填。")
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    note = forms.CharField(
        label=_("内容简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, training: TrainingClass | None = None, **kwargs: Any) -> None:
        if training is not None:
            kwargs.setdefault("initial", training_initial(training))
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start_date") and not cleaned.get("end_date"):
            cleaned["end_date"] = cleaned["start_date"]
        return cleaned

    def to_data(self) -> services.TrainingData:
        return cleaned_as(self, services.TrainingData)


def training_initial(tc: TrainingClass) -> dict[str, Any]:
    return initial_of(tc, ("unit", "title", "trainer", "start_date", "end_date", "place", "note"))


class SessionForm(Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("课时（小时）"),
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        decimal_places=1,
        initial=Decimal("2"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": "0.5"}),
    )
    topic = forms.CharField(label=_("内容"), max_length=200, required=False)

    prefix = "session"

    def to_data(self) -> services.SessionData:
        return cleaned_as(self, services.SessionData)


class TraineeForm(Form):
    names = forms.CharField(
        label=_("学员姓名"),
        max_length=5000,
        help_text=_("可一次填多人，用顿号、逗号或换行分开；名单中没有的人员将新建。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    prefix = "trainee"


class HonourForm(UnitForm):
    unit_label_text = _("单位")

    holder_kind = forms.ChoiceField(
        label=_("授予对象"),
        choices=HolderKind.choices,
        initial=HolderKind.UNIT,
        widget=forms.RadioSelect,
    )
    person_name = forms.CharField(
        label=_("个人姓名"),
        max_length=50,
        required=False,
        help_text=_("授予个人时填写，须是人员名单中本单位或下级单位的人员。"),
    )
    team = forms.ModelChoiceField(
        label=_("队伍"), queryset=Team.objects.none(), required=False, empty_label="—"
    )
    name = forms.CharField(label=_("荣誉名称"), max_length=200)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices, initial=Level.COUNTY)
    year = held_int(Honour, "year", widget=forms.NumberInput(attrs=YEAR))
    month = held_int(
        Honour,
        "month",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": "12"}),
        help_text=_("知道月份的填写：只填年份的荣誉只计入全年，不计入某季度或某月。"),
    )
    day = held_int(
        Honour,
        "day",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": "31"}),
    )
    awarded_by = forms.CharField(label=_("授予单位"), max_length=200, required=False)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, honour: Honour | None = None, **kwargs: Any) -> None:
        if honour is not None:
            kwargs.setdefault("initial", honour_initial(honour))
        super().__init__(*args, **kwargs)
        # The teams of the user's subtree, to name the one honoured.
        teams = selectors.teams_for(self.user).order_by("name")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["team"].help_text = _("授予队伍时选择。")

    def to_data(self) -> services.HonourData:
        c = self.cleaned_data
        person = None
        if c["holder_kind"] == HolderKind.PERSON and c["person_name"].strip():
            person = services.people_by_names(
                user=self.user, unit=c["unit"], names=[c["person_name"]], create=False
            )[0]
        return cleaned_as(self, services.HonourData, person=person)


def honour_initial(h: Honour) -> dict[str, Any]:
    names: tuple[str, ...] = (
        "unit",
        "holder_kind",
        "team",
        "name",
        "level",
        "year",
        "month",
        "day",
    )
    names += ("awarded_by", "note")
    return initial_of(h, names, person_name=h.person.name if h.person else "")
