"""Writing activities. Forms, the API and the Excel import all come through here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanwen.accounts.permissions import can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core.text import pinyin_of
from xuanwen.units.models import Unit

from .models import Activity, ActivityType


@dataclass
class ActivityData:
    """The editable fields of an activity, already parsed (from a form, JSON or a sheet row)."""

    unit: Unit
    type: ActivityType
    title: str
    start_date: date
    end_date: date
    organisers: str = ""
    co_organisers: str = ""
    place: str = ""
    participants: int = 0
    audience: int = 0
    cost: Decimal | None = None
    funding: str = ""
    description: str = ""


def activity_check(data: ActivityData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("活动名称不能为空。")
    if data.end_date < data.start_date:
        errors["end_date"] = _("结束日期不能早于开始日期。")
    if data.participants < 0:
        errors["participants"] = _("参与人数不能为负数。")
    if data.audience < 0:
        errors["audience"] = _("观众人数不能为负数。")
    if data.cost is not None and data.cost < 0:
        errors["cost"] = _("经费不能为负数。")
    return errors


def activity_duplicate(data: ActivityData, exclude_pk: int | None = None) -> Activity | None:
    """An existing live activity of the same unit, type, title and start date."""
    qs = Activity.objects.filter(
        unit=data.unit, type=data.type, title=data.title.strip(), start_date=data.start_date
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _apply(activity: Activity, data: ActivityData) -> None:
    activity.unit = data.unit
    activity.type = data.type
    activity.title = data.title.strip()
    activity.start_date = data.start_date
    activity.end_date = data.end_date
    activity.organisers = data.organisers.strip()
    activity.co_organisers = data.co_organisers.strip()
    activity.place = data.place.strip()
    activity.participants = data.participants
    activity.audience = data.audience
    activity.cost = data.cost
    activity.funding = data.funding
    activity.description = data.description
    full, initials = pinyin_of(activity.title)
    activity.search_pinyin = f"{full} {initials}"


def _check_write(user: Any, unit: Unit) -> None:
    if not can_write(user, unit.code):
        raise PermissionDenied(_("您不能为该单位登记活动。"))


def _validate(data: ActivityData, exclude_pk: int | None = None) -> None:
    errors = activity_check(data)
    if not errors and activity_duplicate(data, exclude_pk):
        errors["title"] = _("同一单位同一天已有同类型、同名称的活动。")
    if errors:
        raise ValidationError(errors)


def activity_create(*, user: Any, data: ActivityData, audit: bool = True) -> Activity:
    _check_write(user, data.unit)
    _validate(data)
    activity = Activity(created_by=user if getattr(user, "pk", None) else None)
    _apply(activity, data)
    with transaction.atomic():
        activity.save()
        if audit:
            audit_record(
                actor=user,
                action=Action.CREATE,
                obj=activity,
                unit_code=activity.unit_id,
                after=snapshot(activity),
            )
    return activity


def activity_update(*, user: Any, activity: Activity, data: ActivityData) -> Activity:
    # Both the old and the new unit must be the user's: moving a record out of reach is a write
    # to a unit the user does not own.
    _check_write(user, activity.unit)
    _check_write(user, data.unit)
    _validate(data, exclude_pk=activity.pk)
    with transaction.atomic():
        before = snapshot(activity)
        _apply(activity, data)
        activity.save()
        audit_record(
            actor=user,
            action=Action.UPDATE,
            obj=activity,
            unit_code=activity.unit_id,
            before=before,
            after=snapshot(activity),
        )
    return activity


def activity_delete(*, user: Any, activity: Activity) -> None:
    """Soft delete: the activity disappears everywhere and can be restored from the audit page."""
    _check_write(user, activity.unit)
    with transaction.atomic():
        before = snapshot(activity)
        activity.deleted_at = timezone.now()
        activity.save(update_fields=["deleted_at"])
        audit_record(
            actor=user,
            action=Action.DELETE,
            obj=activity,
            unit_code=activity.unit_id,
            before=before,
        )
