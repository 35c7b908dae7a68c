"""Writing duties and their completions. Pages, the API and the Excel import come through here."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import Role, User
from xuanwen.accounts.permissions import can_see, can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, files, locks, tree
from xuanwen.core.imports import Rejected
from xuanwen.records.selectors import values_in
from xuanwen.records.services import (
    creator,
    delete_part,
    save_changed,
    save_created,
    soft_delete,
    store_upload,
)
from xuanwen.units.models import Unit

from . import cycles
from .models import BusinessKind, Cycle, Duty, DutyCompletion, Evidence, EvidenceKind
from .models import InspectedBusiness as Business

if TYPE_CHECKING:
    from xuanwen.core.files import CheckedUpload


# --- Duties ---------------------------------------------------------------------------------


@dataclass
class DutyData:
    """The editable fields of a duty, already parsed (from a form, JSON or a sheet row)."""

    unit: Unit
    name: str
    cycle: str
    start_date: date
    due_day: int | None = None
    description: str = ""
    needs_photo: bool = False
    needs_note: bool = False
    needs_file: bool = False
    needs_inspections: bool = False
    assignees: list[User] = field(default_factory=list)
    role: str = ""
    active: bool = True


def duty_check(data: DutyData, user: User) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("名称不能为空。")
    elif len(name) > 100:
        errors["name"] = _("名称不能超过 %(n)d 个字。") % {"n": 100}
    if data.cycle not in Cycle.values:
        errors["cycle"] = _("周期只能是：%(choices)s。") % {
            "choices": "、".join(str(label) for label in Cycle.labels)
        }
    elif data.cycle == Cycle.MONTH_DAY:
        if data.due_day is None or not 1 <= data.due_day <= 31:
            errors["due_day"] = _("每月固定日的工作要填每月几日（1–31）。")
    elif data.due_day is not None:
        errors["due_day"] = _("只有“每月固定日”的工作才填每月几日。")
    if not (data.needs_photo or data.needs_note or data.needs_file or data.needs_inspections):
        errors["evidence"] = _("请至少选择一种佐证：照片、文字记录、文件或检查记录。")
    if data.role and data.role not in Role.values:
        errors["role"] = _("没有这个角色。")
    if data.role == Role.VIEWER:
        errors["role"] = _("只读角色不能登记，不能作为责任角色。")
    for person in data.assignees:
        # A responsible person must be someone the author can see and who can record it.
        visible = person.unit_id and user.scope.contains(person.unit_id)
        if not visible or not can_write(person, data.unit.code):
            errors["assignees"] = _("责任人“%(name)s”不能为该单位登记。") % {
                "name": person.get_full_name() or person.username
            }
            break
    return errors


def _check_write(user: User, unit: Unit | str, message: Any = None) -> None:
    code = unit if isinstance(unit, str) else unit.code
    if not can_write(user, code):
        raise PermissionDenied(message or _("您不能为该单位管理常规工作。"))


def _apply(duty: Duty, data: DutyData) -> None:
    duty.unit = data.unit
    duty.name = data.name.strip()
    duty.cycle = data.cycle
    duty.due_day = data.due_day if data.cycle == Cycle.MONTH_DAY else None
    duty.description = data.description.strip()
    duty.needs_photo = data.needs_photo
    duty.needs_note = data.needs_note
    duty.needs_file = data.needs_file
    duty.needs_inspections = data.needs_inspections
    duty.role = data.role
    duty.start_date = data.start_date
    duty.active = data.active


def _validate_duty(data: DutyData, user: User, exclude_pk: int | None = None) -> None:
    errors = duty_check(data, user)
    if not errors:
        same = Duty.objects.filter(unit=data.unit, name=data.name.strip())
        if exclude_pk:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors["name"] = _("该单位已有同名的常规工作。")
    if errors:
        raise ValidationError(errors)


def duty_create(*, user: User, data: DutyData) -> Duty:
    _check_write(user, data.unit)
    _validate_duty(data, user)
    duty = Duty(created_by=creator(user))
    _apply(duty, data)
    with transaction.atomic():
        duty.save()
        duty.assignees.set(data.assignees)
        audit_record(
            actor=user, action=Action.CREATE, obj=duty, unit_code=duty.unit_id,
            after=snapshot(duty),
        )  # fmt: skip
    return duty


def duty_update(*, user: User, duty: Duty, data: DutyData) -> Duty:
    # Moving a duty to another unit is a write to both.
    _check_write(user, duty.unit_id)
    _check_write(user, data.unit)
    _validate_duty(data, user, exclude_pk=duty.pk)
    if data.cycle != duty.cycle and duty.completions.exists():
        # The completions' periods were derived from the old cycle; they would no longer line
        # up with the new one.
        raise ValidationError({"cycle": _("已有完成记录的工作不能更改周期，可停用后新建。")})
    with transaction.atomic():
        before = snapshot(duty)
        _apply(duty, data)
        duty.assignees.set(data.assignees)
        save_changed(user=user, record=duty, unit_code=duty.unit_id, before=before)
    return duty


def duty_delete(*, user: User, duty: Duty) -> None:
    """Soft delete: the duty and its completions disappear and can be restored from the audit
    page (its completions are hidden with it, not deleted)."""
    _check_write(user, duty.unit_id)
    soft_delete(user=user, record=duty, unit_code=duty.unit_id)


# The recurring duties of the seed, in its words: 黑板报(每半月一期)、宣传橱窗(每月更换一次)、
# 每季度组织力量对文化市场进行清理整顿、每月10日为全区党员干部学习活动日、每周一上午召开一次周例会.
DEFAULTS: tuple[dict[str, Any], ...] = (
    {
        "name": _lazy("黑板报"),
        "cycle": Cycle.HALF_MONTHLY,
        "needs_photo": True,
        "description": _lazy("黑板报每半月一期。"),
    },
    {
        "name": _lazy("宣传橱窗"),
        "cycle": Cycle.MONTHLY,
        "needs_photo": True,
        "description": _lazy("宣传橱窗每月更换一次。"),
    },
    {
        "name": _lazy("文化市场清理整顿"),
        "cycle": Cycle.QUARTERLY,
        "needs_inspections": True,
        "description": _lazy(
            "每季度组织力量对文化市场进行清理整顿，逐户记录检查的经营单位、检查情况和整改。"
        ),
    },
    {
        "name": _lazy("理论学习日"),
        "cycle": Cycle.MONTH_DAY,
        "due_day": 10,
        "needs_note": True,
        "description": _lazy("每月10日为党员干部学习活动日，记录学习内容。"),
    },
    {
        "name": _lazy("周例会"),
        "cycle": Cycle.WEEKLY,
        "needs_note": True,
        "description": _lazy("每周一上午召开一次周例会，小结上周工作，布置本周任务。"),
    },
)


def default_role(unit: Unit) -> str:
    """Who usually does a unit's duties: the keeper in a village, the staff elsewhere."""
    return Role.VILLAGE_ADMIN if len(unit.code) == tree.LEVEL_LENGTHS[-1] else Role.STAFF


def duty_defaults_add(*, user: User, unit: Unit, start_date: date) -> list[Duty]:
    """Add the seed's recurring duties to a unit; those it already has (by name) are skipped."""
    _check_write(user, unit)
    have = set(Duty.objects.filter(unit=unit).values_list("name", flat=True))
    created = []
    with transaction.atomic():
        for spec in DEFAULTS:
            values: dict[str, Any] = {
                k: str(v) if k in ("name", "description") else v for k, v in spec.items()
            }
            if values["name"] in have:
                continue
            data = DutyData(unit=unit, start_date=start_date, role=default_role(unit), **values)
            created.append(duty_create(user=user, data=data))
    return created


# --- Completions ----------------------------------------------------------------------------


@dataclass
class BusinessData:
    """One business of a cultural-market inspection."""

    name: str
    kind: str
    findings: str = ""
    rectification_required: bool = False
    rectified: bool = False
    rectified_on: date | None = None


@dataclass
class CompletionData:
    duty: Duty
    done_on: date
    note: str = ""
    # An earlier period this completion makes up for (its first day); None: done_on's own.
    period_start: date | None = None
    businesses: list[BusinessData] = field(default_factory=list)


def business_check(b: BusinessData, done_on: date | None = None) -> list[str]:
    problems = []
    if not b.name.strip():
        problems.append(_("经营单位名称不能为空。"))
    elif len(b.name.strip()) > 100:
        problems.append(_("经营单位名称不能超过 %(n)d 个字。") % {"n": 100})
    if b.kind not in BusinessKind.values:
        problems.append(
            _("类别只能是：%(choices)s。")
            % {"choices": "、".join(str(label) for label in BusinessKind.labels)}
        )
    if b.rectified and not b.rectification_required:
        problems.append(_("不需要整改的经营单位不能标为已整改。"))
    if b.rectified_on is not None:
        if not b.rectified:
            problems.append(_("填了整改日期，请同时标为已整改。"))
        elif b.rectified_on > clock.today():
            problems.append(_("整改日期不能晚于今天。"))
        elif done_on is not None and b.rectified_on < done_on:
            problems.append(_("整改日期不能早于检查日期。"))
    return problems


def completion_period(data: CompletionData) -> cycles.DutyPeriod:
    duty = data.duty
    if data.period_start is not None:
        return cycles.period_of(duty.cycle, duty.due_day, data.period_start)
    return cycles.period_of(duty.cycle, duty.due_day, data.done_on)


def evidence_missing(duty: Duty, photos: int, files: int) -> str:
    """Why a completion with `photos` photos and `files` files lacks the evidence its duty
    needs, or ""."""
    if duty.needs_photo and not photos:
        return _("该工作需要照片，请上传至少一张照片。")
    if duty.needs_file and not files:
        return _("该工作需要文件（PDF、Word、Excel 等），请上传至少一个文件。")
    return ""


def completion_check(
    data: CompletionData,
    photos: int = 0,
    files: int = 0,
    check_evidence: bool = True,
) -> dict[str, str]:
    """Rule errors by field; `photos` and `files` are how many of each come with it."""
    duty = data.duty
    errors: dict[str, str] = {}
    if not duty.active:
        errors["duty"] = _("该工作已停用，不能登记完成。")
    if data.done_on > clock.today():
        errors["done_on"] = _("完成日期不能晚于今天。")
    elif data.done_on < duty.start_date:
        errors["done_on"] = _("完成日期不能早于该工作的开始日期（%(d)s）。") % {
            "d": duty.start_date.isoformat()
        }
    if data.period_start is not None:
        own = cycles.period_of(duty.cycle, duty.due_day, data.done_on)
        named = cycles.period_of(duty.cycle, duty.due_day, data.period_start)
        if named.start != data.period_start:
            errors["period_start"] = _("所属期间应为一个期间的第一天。")
        elif named.start > own.start:
            errors["period_start"] = _("不能为以后的期间登记完成。")
        elif named.due < duty.start_date:
            errors["period_start"] = _("该期间在工作开始之前。")
    if check_evidence:
        if duty.needs_note and not data.note.strip():
            errors["note"] = _("该工作需要文字记录，请填写。")
        missing = evidence_missing(duty, photos, files)
        if missing:
            errors["evidence"] = missing
        if duty.needs_inspections and not data.businesses:
            errors["businesses"] = _("文化市场检查需要记录至少一个检查的经营单位。")
    for i, b in enumerate(data.businesses, start=1):
        problems = business_check(b, data.done_on)
        if problems:
            errors.setdefault("businesses", _("第 %(n)d 个经营单位：%(p)s") % {
                "n": i, "p": "".join(problems)
            })  # fmt: skip
    return errors


def _store_file(
    completion: DutyCompletion, upload: "CheckedUpload", user: User, stored: list[Evidence]
) -> Evidence:
    item = Evidence(
        completion=completion,
        kind=upload.kind,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    stored.append(item)
    files.write_upload(item, upload)
    item.save()
    return item


def _business(completion: DutyCompletion, b: BusinessData) -> Business:
    return Business(
        completion=completion,
        name=b.name.strip(),
        kind=b.kind,
        findings=b.findings.strip(),
        rectification_required=b.rectification_required,
        rectified=b.rectified,
        rectified_on=b.rectified_on,
    )


def completion_create(
    *,
    user: User,
    data: CompletionData,
    uploads: Sequence["CheckedUpload"] = (),
    done_by: Any = None,
    audit: bool = True,
    kept: list[Evidence] | None = None,
) -> DutyCompletion:
    """Record that a duty was done, with its evidence; refused whole if evidence is missing
    or its period is locked. `kept` collects the evidence written, for a batch to delete the
    files should it fail."""
    duty = data.duty
    _check_write(user, duty.unit_id, _("您不能为该单位登记常规工作的完成情况。"))
    photos = sum(1 for u in uploads if u.kind == EvidenceKind.PHOTO)
    errors = completion_check(data, photos=photos, files=len(uploads) - photos)
    if errors:
        raise ValidationError(errors)
    period = completion_period(data)
    actor = user if getattr(user, "pk", None) else None
    completion = DutyCompletion(
        duty=duty,
        done_on=data.done_on,
        period_start=period.start,
        note=data.note.strip(),
        done_by=done_by or actor,
        created_by=actor,
    )
    locks.refuse_record(completion, duty.unit_id)
    stored: list[Evidence] = kept if kept is not None else []
    try:
        with transaction.atomic():
            completion.save()
            for upload in uploads:
                _store_file(completion, upload, user, stored)
            Business.objects.bulk_create([_business(completion, b) for b in data.businesses])
            if audit:
                after = snapshot(completion)
                after["businesses"] = len(data.businesses)
                after["evidence"] = [e.original_name for e in stored]
                audit_record(
                    actor=user, action=Action.CREATE, obj=completion, unit_code=duty.unit_id,
                    after=after,
                )  # fmt: skip
    except BaseException:
        files.discard_files(stored)
        raise
    return completion


def completion_update(
    *,
    user: User,
    completion: DutyCompletion,
    done_on: date,
    note: str,
    period_start: date | None = None,
) -> DutyCompletion:
    """Change the date or the note; the period is derived again."""
    duty = completion.duty
    _check_write(user, duty.unit_id, _("您不能修改该完成记录。"))
    data = CompletionData(duty=duty, done_on=done_on, note=note, period_start=period_start)
    errors = completion_check(data, check_evidence=False)
    if duty.needs_note and not note.strip():
        errors["note"] = _("该工作需要文字记录，请填写。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(completion)
        completion.done_on = done_on
        completion.note = note.strip()
        completion.period_start = completion_period(data).start
        save_changed(user=user, record=completion, unit_code=duty.unit_id, before=before)
    return completion


def completion_delete(*, user: User, completion: DutyCompletion) -> None:
    """Soft delete; the period it fulfilled is open again. Restorable from the audit page."""
    _check_write(user, completion.duty.unit_id, _("您不能删除该完成记录。"))
    soft_delete(user=user, record=completion, unit_code=completion.duty.unit_id)


def evidence_add(*, user: User, completion: DutyCompletion, upload: "CheckedUpload") -> Evidence:
    """Add a photo or file to a completion after the fact."""
    _check_write(user, completion.duty.unit_id, _("您不能为该完成记录上传材料。"))
    item = Evidence(completion=completion, kind=upload.kind)
    return store_upload(user=user, record=item, upload=upload, unit_code=completion.duty.unit_id)


def evidence_delete(*, user: User, evidence: Evidence) -> None:
    """Remove a photo or file, unless it is the last of the kind the duty needs."""
    completion = evidence.completion
    duty = completion.duty
    _check_write(user, duty.unit_id, _("您不能删除该材料。"))
    needed = (evidence.kind == EvidenceKind.PHOTO and duty.needs_photo) or (
        evidence.kind == EvidenceKind.FILE and duty.needs_file
    )
    if needed and not completion.evidence.filter(kind=evidence.kind).exclude(pk=evidence.pk):
        raise ValidationError(
            _("这是该次完成仅有的%(kind)s，该工作需要它，不能删除；可先上传新的再删除。")
            % {"kind": evidence.get_kind_display()}
        )
    delete_part(user=user, record=evidence, unit_code=duty.unit_id)


def business_add(*, user: User, completion: DutyCompletion, data: BusinessData) -> Business:
    _check_write(user, completion.duty.unit_id, _("您不能修改该检查记录。"))
    problems = business_check(data, completion.done_on)
    if problems:
        raise ValidationError(problems)
    item = _business(completion, data)
    return save_created(user=user, record=item, unit_code=completion.duty.unit_id)


def business_update(*, user: User, business: Business, data: BusinessData) -> Business:
    """Change a business's record, e.g. mark its rectification done with the date."""
    completion = business.completion
    _check_write(user, completion.duty.unit_id, _("您不能修改该检查记录。"))
    problems = business_check(data, completion.done_on)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        before = snapshot(business)
        fresh = _business(completion, data)
        for name in ("name", "kind", "findings", "rectification_required", "rectified"):
            setattr(business, name, getattr(fresh, name))
        business.rectified_on = fresh.rectified_on
        save_changed(user=user, record=business, unit_code=completion.duty.unit_id, before=before)
    return business


def business_delete(*, user: User, business: Business) -> None:
    completion = business.completion
    duty = completion.duty
    _check_write(user, duty.unit_id, _("您不能修改该检查记录。"))
    if duty.needs_inspections and completion.businesses.count() <= 1:
        raise ValidationError(_("文化市场检查至少要有一个检查的经营单位，不能删除最后一个。"))
    delete_part(user=user, record=business, unit_code=duty.unit_id)


def assignable_users(user: User, unit: Unit) -> list[User]:
    """People the user can name responsible for a duty of `unit`: visible to the user and
    allowed to record for the unit (its own staff and keepers, or those of units above it
    inside the user's scope)."""
    codes = [c for c in [*tree.ancestor_codes(unit.code), unit.code] if can_see(user, c)]
    people = User.objects.filter(unit_id__in=codes, is_active=True).order_by("unit_id", "username")
    return [p for p in people if can_write(p, unit.code)]


# --- Import of many duties at once (the Excel import) --------------------------------------


def existing_names(codes: Sequence[str]) -> set[tuple[str, str]]:
    """(unit code, name) of the live duties of these units (a query per 500 units)."""
    return values_in(Duty.objects.all(), "unit_id", codes, "unit_id", "name")


def duties_import(
    *, user: User, rows: Sequence[DutyData], row_numbers: Sequence[int] | None = None
) -> int:
    """Create every duty of the batch or none. Each is a duty_create (with its own audit
    entry): a county's duties are a few thousand rows at most, so the per-row queries are
    affordable, and the rules are exactly those of the form. A refusal names its row."""
    if not rows:
        raise ValidationError(_("没有可导入的常规工作。"))
    return _each_or_none(rows, row_numbers, lambda data: duty_create(user=user, data=data))


def _each_or_none(
    rows: Sequence[Any], row_numbers: Sequence[int] | None, save: Callable[[Any], object]
) -> int:
    """save(row) for every row in one transaction; the first refusal undoes them all and
    names its row and fields (Rejected; `row_numbers`: the sheet's, else counted from 1)."""
    with transaction.atomic():
        for i, data in enumerate(rows):
            try:
                save(data)
            except ValidationError as exc:
                raise Rejected.from_error(i, exc, row_numbers) from exc
            except PermissionDenied as exc:
                raise Rejected({i: {"unit": str(exc)}}, row_numbers) from exc
    return len(rows)


# --- Import of many completions at once (the Excel import) ---------------------------------


def completion_days(duty_ids: Sequence[int]) -> set[tuple[int, date]]:
    """(duty id, done_on) of the live completions of these duties (a query per 500 duties)."""
    return values_in(DutyCompletion.objects.all(), "duty_id", duty_ids, "duty_id", "done_on")


def _span(data: CompletionData) -> locks.Span:
    """The days a completion counts in: its period's first day to the day it was done."""
    start = completion_period(data).start
    return (data.duty.unit_id, min(start, data.done_on), max(start, data.done_on))


def completions_import(
    *,
    user: User,
    rows: Sequence[CompletionData],
    row_numbers: Sequence[int] | None = None,
    uploads: Callable[[int], Sequence["CheckedUpload"]] | None = None,
) -> int:
    """Record every completion of the batch or none, each through completion_create (its own
    rules, evidence and audit entry). `uploads(i)` gives row i's checked evidence (a data
    package's, records.package); without it a duty that needs a photo or a file is refused by
    completion_create. A refusal names its row; the evidence files already written are
    deleted again when the batch is refused."""
    if not rows:
        raise ValidationError(_("没有可导入的完成记录。"))
    # A row in a period whose report is approved refuses the whole batch (asked once).
    locked: dict[int, dict[str, str]] = {}
    locks.mark_locked(locked, [_span(data) for data in rows], "done_on")
    if locked:
        raise Rejected(locked, row_numbers)
    index = {id(data): i for i, data in enumerate(rows)}
    kept: list[Evidence] = []

    def save(data: CompletionData) -> None:
        files_of = uploads(index[id(data)]) if uploads else ()
        completion_create(user=user, data=data, uploads=files_of, kept=kept)

    try:
        with locks.batch_checked():
            return _each_or_none(rows, row_numbers, save)
    except BaseException:
        files.discard_files(kept)
        raise
