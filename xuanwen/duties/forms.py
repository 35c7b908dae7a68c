"""Forms of the duty pages. They parse and present; the rules live in services."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import WRITE_ROLES, Role, User
from xuanwen.accounts.permissions import can_write
from xuanwen.core.entry import NUMERIC, DateInput, Form
from xuanwen.records.forms import UnitForm, cleaned_as, initial_of
from xuanwen.units.models import Unit

from . import cycles
from .models import BusinessKind, Cycle, Duty, DutyCompletion
from .services import BusinessData, CompletionData, DutyData

# Up to this many people are offered as responsible (a township's staff and keepers, a
# county's few hundred); the role covers the rest.
ASSIGNEES_MAX = 300


def may_create(user: User) -> bool:
    """Whether the user may set up duties or record completions at all."""
    if user.is_superuser:
        return True
    return user.unit_id is not None and can_write(user, user.unit_id)


def assignee_choices(user: User) -> list[tuple[str, str]]:
    """People of the user's subtree who can record (named responsible for a duty)."""
    people = (
        User.objects.filter(user.scope.q("unit_id"), is_active=True)
        .filter(role__in=list(WRITE_ROLES))
        .select_related("unit")
        .order_by("unit_id", "username")[:ASSIGNEES_MAX]
    )
    return [
        (str(p.pk), f"{p.get_full_name() or p.username}（{p.unit.name if p.unit else ''}）")
        for p in people
    ]


class DutyForm(UnitForm):
    unit_label_text = _("单位")
    unit_refused = _("请选择您可以管理的单位。")
    unit_typed = _("填单位代码。")  # the duty page has no search picker

    name = forms.CharField(label=_("名称"), max_length=100)
    cycle = forms.ChoiceField(label=_("周期"), choices=Cycle.choices)
    due_day = forms.IntegerField(
        label=_("每月几日"),
        required=False,
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs=NUMERIC),
        help_text=_("只用于“每月固定日”，如理论学习日填 10；31 表示每月最后一天。"),
    )
    needs_photo = forms.BooleanField(label=_("需要照片"), required=False)
    needs_note = forms.BooleanField(label=_("需要文字记录"), required=False)
    needs_file = forms.BooleanField(label=_("需要文件"), required=False)
    needs_inspections = forms.BooleanField(
        label=_("需要检查记录"), required=False, help_text=_("文化市场检查：逐户记录经营单位。")
    )
    role = forms.ChoiceField(
        label=_("责任角色"),
        required=False,
        choices=[("", "—"), *[(r.value, r.label) for r in Role if r in WRITE_ROLES]],
        help_text=_("该单位中这一角色的人都负责。"),
    )
    assignees = forms.MultipleChoiceField(
        label=_("责任人"), required=False, widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, user: User, units: list[Unit] | None, duty: Duty | None = None, **kw: Any
    ) -> None:
        if duty is not None and "initial" not in kw:
            kw["initial"] = initial_from(duty)
        super().__init__(*args, user=user, units=units, **kw)
        self.fields["assignees"].choices = assignee_choices(user)  # type: ignore[attr-defined]

    def clean_assignees(self) -> list[User]:
        ids = [int(pk) for pk in self.cleaned_data["assignees"]]
        return list(User.objects.filter(pk__in=ids)) if ids else []

    def to_data(self) -> DutyData:
        c = self.cleaned_data
        due_day = c["due_day"] if c["cycle"] == Cycle.MONTH_DAY else None
        return cleaned_as(self, DutyData, due_day=due_day)


def initial_from(duty: Duty) -> dict[str, Any]:
    needs = ("needs_photo", "needs_note", "needs_file", "needs_inspections")
    names = ("unit", "name", "cycle", "due_day", "description", *needs, "role", "start_date")
    assignees = [str(pk) for pk in duty.assignees.values_list("pk", flat=True)]
    return initial_of(duty, (*names, "active"), assignees=assignees)


class DefaultsForm(Form):
    unit = forms.CharField(max_length=12)
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())


class CompletionForm(Form):
    """A duty's completion: a new one with the businesses a market inspection found (a
    formset, `businesses`), or an existing one's date and note (`completion=`)."""

    done_on = forms.DateField(label=_("完成日期"), widget=DateInput())
    note = forms.CharField(
        label=_("记录"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("如：学习内容、会议议题、本期主题。"),
    )
    # An overdue period the completion makes up for (set by the home page's link).
    period = forms.DateField(required=False, widget=forms.HiddenInput())

    def __init__(
        self, data: Any = None, *, duty: Duty, completion: DutyCompletion | None = None, **kw: Any
    ) -> None:
        if completion is not None and "initial" not in kw:
            own = cycles.period_of(duty.cycle, duty.due_day, completion.done_on)
            # Keep a make-up for an earlier period pointing at that period.
            period = completion.period_start if completion.period_start != own.start else None
            kw["initial"] = initial_of(completion, ("done_on", "note"), period=period)
        super().__init__(data, **kw)
        self.duty = duty
        # Businesses are entered with the completion; its page adds or removes them later.
        self.businesses: Any = None if completion else BusinessFormSet(data, prefix="business")

    def _inspected(self) -> Any:
        """The businesses' formset where they count: a new market inspection's."""
        return self.businesses if self.duty.needs_inspections else None

    def is_valid(self) -> bool:
        inspected = self._inspected()
        return super().is_valid() and (inspected is None or inspected.is_valid())

    def to_data(self) -> CompletionData:
        inspected = self._inspected()
        businesses = business_rows(inspected) if inspected is not None else []
        return CompletionData(duty=self.duty, **self.changes(), businesses=businesses)

    def changes(self) -> dict[str, Any]:
        """The fields an edit changes, as `completion_update` takes them."""
        c = self.cleaned_data
        return {"done_on": c["done_on"], "note": c["note"], "period_start": c.get("period")}


class BusinessForm(Form):
    name = forms.CharField(label=_("经营单位"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=BusinessKind.choices)
    findings = forms.CharField(
        label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rectification_required = forms.BooleanField(label=_("需要整改"), required=False)
    rectified = forms.BooleanField(label=_("已整改"), required=False)
    rectified_on = forms.DateField(label=_("整改日期"), required=False, widget=DateInput())

    prefix = "business"

    def to_data(self) -> BusinessData:
        return BusinessData(**self.cleaned_data)


BusinessFormSet = forms.formset_factory(BusinessForm, extra=3, max_num=50)


def business_rows(formset: Any) -> list[BusinessData]:
    """The filled rows of a valid formset (blank ones are left out)."""
    return [f.to_data() for f in formset.forms if f.cleaned_data.get("name")]


def default_window(today: date) -> tuple[date, date]:
    """The compliance page's default: this year up to today."""
    return date(today.year, 1, 1), today
