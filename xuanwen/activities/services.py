"""Writing activities. Forms, the API and the Excel import all come through here."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, locks, progress, tree
from xuanwen.core.imports import Rejected
from xuanwen.core.text import pinyin_of, pinyin_of_many
from xuanwen.records.selectors import values_in
from xuanwen.records.services import (
    add_part,
    creator,
    delete_part,
    fits_column,
    length_errors,
    mark_duplicates,
    row_problems,
    save_changed,
    save_created,
    save_values,
    soft_delete,
    store_upload,
    update_part,
)
from xuanwen.records.vocab import kind_owner, kind_refused, may_change_kind
from xuanwen.units.models import Unit

from . import counts
from .models import (
    Activity,
    ActivityType,
    ActivityVillage,
    Attachment,
    Award,
    Funding,
    MediaCoverage,
)

if TYPE_CHECKING:
    from xuanwen.core.files import CheckedUpload


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
    programmes: int = 0
    cost: Decimal | None = None
    funding: str = ""
    description: str = ""
    # The villages it reached; None leaves those it has as they are (an import, a training class).
    villages: Sequence[Unit] | None = None
    # Photos taken with the record, already checked (files.check_upload): stored with it, in the
    # same transaction, when it is created (the entry form's camera field).
    photos: Sequence["CheckedUpload"] = ()


# The most programmes (节目) one performance is believed to hold; more is a typing mistake.
PROGRAMMES_MAX = 999


def activity_check(data: ActivityData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    # The type must be one the activity's unit sees (no other county's: see records.models).
    errors: dict[str, str] = kind_refused(data.type, data.unit.code, "type")
    if not data.title.strip():
        errors["title"] = _("活动名称不能为空。")
    if data.end_date < data.start_date:
        errors["end_date"] = _("结束日期不能早于开始日期。")
    if data.participants < 0:
        errors["participants"] = _("参与人数不能为负数。")
    if data.audience < 0:
        errors["audience"] = _("观众人数不能为负数。")
    if data.programmes < 0:
        errors["programmes"] = _("节目数不能为负数。")
    elif data.programmes > PROGRAMMES_MAX:
        errors["programmes"] = _("节目数不能超过 %(n)d 个。") % {"n": PROGRAMMES_MAX}
    if data.cost is not None and data.cost < 0:
        errors["cost"] = _("经费不能为负数。")
    elif data.cost is not None and not fits_column(data.cost, Activity, "cost"):
        errors["cost"] = _("经费最多 10 位整数、2 位小数。")
    if data.funding and data.funding not in Funding.values:
        errors["funding"] = _("经费来源只能是：%(choices)s。") % {
            "choices": "、".join(str(label) for label in Funding.labels)
        }
    errors.update(length_errors(Activity, data, TEXT_LIMITS))
    if data.villages is not None and (problem := villages_problem(data.unit, data.villages)):
        errors["villages"] = problem
    return errors


# The most villages one activity may name (a county's campaign reaches a few dozen).
VILLAGES_MAX = 200


def villages_problem(unit: Unit, villages: Sequence[Unit]) -> str:
    """What is wrong with the villages an activity held by `unit` says it reached, or ""."""
    if len(villages) > VILLAGES_MAX:
        return _("覆盖村（社区）最多 %(n)d 个。") % {"n": VILLAGES_MAX}
    for village in villages:
        if len(village.code) != tree.LEVEL_LENGTHS[-1]:
            return _("“%(name)s”不是村（社区）级单位。") % {"name": village.name}
        if not tree.in_subtree(village.code, unit.code):
            return _("“%(name)s”不在举办单位“%(unit)s”的辖区内。") % {
                "name": village.name,
                "unit": unit.name,
            }
    return ""


def _set_villages(activity: Activity, villages: Sequence[Unit] | None) -> None:
    """Replace the villages the activity reached (inside the write's transaction)."""
    if villages is None:
        return
    ActivityVillage.objects.filter(activity=activity).delete()
    codes = sorted({v.code for v in villages})
    ActivityVillage.objects.bulk_create(
        [ActivityVillage(activity=activity, village_id=code) for code in codes]
    )


# Text fields with a maximum length, and their names in messages.
TEXT_LIMITS = (
    ("title", _lazy("活动名称")),
    ("place", _lazy("地点")),
    ("organisers", _lazy("主办单位")),
    ("co_organisers", _lazy("联办单位")),
)


def duplicate_key(data: ActivityData) -> tuple[str, int, str, date]:
    """What makes two activities the same one; activity_duplicate looks up exactly this."""
    return (data.unit.code, data.type.pk, data.title.strip(), data.start_date)


def activity_duplicate(data: ActivityData, exclude_pk: int | None = None) -> Activity | None:
    """An existing live activity of the same unit, type, title and start date."""
    qs = Activity.objects.filter(
        unit=data.unit, type=data.type, title=data.title.strip(), start_date=data.start_date
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _stored(
    data: ActivityData, pinyin: Callable[[str], tuple[str, str]] = pinyin_of
) -> dict[str, Any]:
    """The values an activity is stored with, by field (the one place they are normalised)."""
    title = data.title.strip()
    full, initials = pinyin(title)
    return {
        "unit": data.unit,
        "type": data.type,
        "title": title,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "organisers": data.organisers.strip(),
        "co_organisers": data.co_organisers.strip(),
        "place": data.place.strip(),
        "participants": data.participants,
        "audience": data.audience,
        "programmes": data.programmes,
        "cost": data.cost,
        "funding": data.funding,
        "description": data.description,
        "search_pinyin": f"{full} {initials}",
    }


def _apply(activity: Activity, data: ActivityData) -> None:
    for name, value in _stored(data).items():
        setattr(activity, name, value)


def _check_write(user: User, unit: Unit) -> None:
    if not can_write(user, unit.code):
        raise PermissionDenied(_("您不能为该单位登记活动。"))


def _validate(data: ActivityData, exclude_pk: int | None = None) -> None:
    errors = activity_check(data)
    if not errors and activity_duplicate(data, exclude_pk):
        errors["title"] = _("同一单位同一天已有同类型、同名称的活动。")
    if errors:
        raise ValidationError(errors)


def activity_create(*, user: User, data: ActivityData, audit: bool = True) -> Activity:
    _check_write(user, data.unit)
    _validate(data)
    activity = Activity(created_by=creator(user))
    _apply(activity, data)
    with transaction.atomic():
        if audit:
            save_created(user=user, record=activity, unit_code=activity.unit_id)
        else:
            activity.save()
        _set_villages(activity, data.villages)
        counts.added(activity)
        for photo in data.photos:
            attachment_add(user=user, activity=activity, upload=photo)
    return activity


def activity_update(*, user: User, activity: Activity, data: ActivityData) -> Activity:
    # Both the old and the new unit must be the user's: moving a record out of reach is a write
    # to a unit the user does not own.
    _check_write(user, activity.unit)
    _check_write(user, data.unit)
    _validate(data, exclude_pk=activity.pk)
    # Moved with its villages kept: they must lie inside the new unit too.
    moved = data.villages is None and data.unit.code != activity.unit_id
    if moved and (problem := villages_problem(data.unit, list(activity.villages.all()))):
        raise ValidationError({"villages": problem})
    with transaction.atomic():
        before = snapshot(activity)
        was = counts.shape_of(activity)
        _apply(activity, data)
        save_changed(user=user, record=activity, unit_code=activity.unit_id, before=before)
        _set_villages(activity, data.villages)
        # Moved, retyped, redated or recounted: one fewer as it was, one more as it is.
        now = counts.shape_of(activity, covered=was.covered)  # an edit leaves the reports
        counts.change([(was, -1), (now, 1)])
    return activity


def _shape(data: ActivityData) -> counts.Shape:
    """A new activity as the kept rows count it (no media coverage yet)."""
    return counts.Shape(
        unit=data.unit.code,
        type=data.type.pk,
        start=data.start_date,
        end=data.end_date,
        participants=data.participants,
        audience=data.audience,
        programmes=data.programmes,
    )


def activity_delete(*, user: User, activity: Activity) -> None:
    """Soft delete: the activity disappears everywhere and can be restored from the audit page."""
    _check_write(user, activity.unit)
    with transaction.atomic():
        soft_delete(user=user, record=activity, unit_code=activity.unit_id, touch=("updated_at",))
        counts.added(activity, -1)


# --- Import of many activities at once (the Excel import) ----------------------------------


def activities_import_problems(
    *, user: User, rows: Sequence[ActivityData], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch: {index in rows: {field: Chinese message}}, empty if none.

    The same rules as one activity_create per row (the right to write for the unit,
    activity_check, activity_duplicate), plus a duplicate within the batch, but in a number of
    queries that does not grow with the rows. `row_numbers` are how the caller numbers the rows
    (a spreadsheet's row numbers) when a message has to point at another row.
    """
    problems = row_problems(
        user=user,
        rows=rows,
        check=activity_check,
        unit_of=lambda data: data.unit.code,
        refused=("unit", _("您不能为该单位登记活动。")),
    )
    mark_duplicates(
        problems,
        [duplicate_key(data) for data in rows],
        field="title",
        repeats=_("与第 %(row)d 行重复：同一单位同一天同类型、同名称。"),
        label=(lambda i: row_numbers[i]) if row_numbers is not None else (lambda i: i + 1),
        existing=_existing_keys(rows),
        exists=_("同一单位同一天已有同类型、同名称的活动。"),
    )
    # A row in a period whose report is approved refuses the whole import (one query).
    spans = [(data.unit.code, data.start_date, data.end_date or data.start_date) for data in rows]
    locks.mark_locked(problems, spans, "start_date")
    return problems


def _existing_keys(rows: Sequence[ActivityData]) -> set[tuple[str, int, str, date]]:
    """duplicate_key of every live activity that the batch could duplicate.

    One query per IN_CHUNK distinct units (a county's villages fit in one or two), bounded by
    the batch's dates; the few extra rows it may bring back cost less than a query per row.
    """
    if not rows:
        return set()
    first = min(data.start_date for data in rows)
    last = max(data.start_date for data in rows)
    dated = Activity.objects.filter(start_date__gte=first, start_date__lte=last)
    codes = [data.unit.code for data in rows]
    return values_in(dated, "unit_id", codes, "unit_id", "type_id", "title", "start_date")


def activities_import(
    *,
    user: User,
    rows: Sequence[ActivityData],
    row_numbers: Sequence[int] | None = None,
    source: str = "",
) -> list[int]:
    """Create every activity of the batch, or none: the bulk form of activity_create; the
    new activities' ids, in the rows' order.

    Raises core.imports.Rejected (a ValidationError) with the problems of activities_import_problems
    and saves nothing if any row breaks a rule. The rows are checked inside the transaction,
    so a duplicate entered by someone else since a preview is still caught (on SQLite the
    transaction holds the write lock from its start). One audit entry of action "import"
    records the batch: how many, from which file, by unit, and the ids created.
    """
    if not rows:
        raise ValidationError(_("没有可导入的活动。"))
    created_by = creator(user)
    with transaction.atomic():
        problems = activities_import_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        now = clock.now()
        ids = _insert(rows, created_by=created_by, now=now)
        by_unit: dict[str, int] = {}
        for data in rows:
            by_unit[data.unit.code] = by_unit.get(data.unit.code, 0) + 1
        counts.change((_shape(data), 1) for data in rows)
        # A stand-in for the batch: the first record's id, a summary for its name.
        summary = Activity(
            pk=ids[0] if ids else None,
            title=_("导入活动 %(n)d 条") % {"n": len(rows)} + (f"（{source}）" if source else ""),
        )
        audit_record(
            actor=user,
            action=Action.IMPORT,
            obj=summary,
            unit_code=tree.common_ancestor(list(by_unit)),
            after={
                "count": len(rows),
                "source": source,
                "units": by_unit,
                "ids": _id_ranges(ids),
            },
        )
    return ids


# Columns written by _insert, in order: the fields of _stored, then the bookkeeping ones.
_INSERT_FIELDS = (
    "unit",
    "type",
    "title",
    "start_date",
    "end_date",
    "organisers",
    "co_organisers",
    "place",
    "participants",
    "audience",
    "programmes",
    "cost",
    "funding",
    "description",
    "search_pinyin",
    "created_by",
    "created_at",
    "updated_at",
)


# Rows per executemany: few enough statements, and a big import's progress bar moves by
# this much at a time.
_INSERT_CHUNK = 10_000


def _insert(rows: Sequence[ActivityData], *, created_by: Any, now: datetime) -> list[int]:
    """INSERT the rows with one executemany; returns their ids.

    bulk_create spends ~0.5 ms a row in per-field preparation, more than reading the row from
    the spreadsheet; here each value is put into its database form by the same adapters the
    ORM uses, only without the per-object machinery (the same choice as units_import). The
    values themselves come from _stored, as for activity_create.
    """
    ops = connection.ops
    cost_field = Activity._meta.get_field("cost")
    digits = getattr(cost_field, "max_digits", None)
    places = getattr(cost_field, "decimal_places", None)
    stamp = ops.adapt_datetimefield_value(now)
    user_id = created_by.pk if created_by is not None else None
    values = []
    for data in rows:
        v = _stored(data, pinyin=pinyin_of_many)
        values.append(
            (
                v["unit"].pk,
                v["type"].pk,
                v["title"],
                ops.adapt_datefield_value(v["start_date"]),
                ops.adapt_datefield_value(v["end_date"]),
                v["organisers"],
                v["co_organisers"],
                v["place"],
                v["participants"],
                v["audience"],
                v["programmes"],
                None
                if v["cost"] is None
                else ops.adapt_decimalfield_value(v["cost"], digits, places),
                v["funding"],
                v["description"],
                v["search_pinyin"],
                user_id,
                stamp,
                stamp,
            )
        )
    qn = ops.quote_name
    column = {f.name: str(f.column) for f in Activity._meta.concrete_fields}
    columns = ", ".join(qn(column[name]) for name in _INSERT_FIELDS)
    marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
    table = qn(Activity._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names, not data)
    with connection.cursor() as cursor:
        for start in range(0, len(values), _INSERT_CHUNK):
            chunk = values[start : start + _INSERT_CHUNK]
            cursor.executemany(sql, chunk)
            progress.step(start + len(chunk))  # a big import's bar (core.jobs)
    # The batch is what this user created at this instant (one query, whatever the size).
    return list(
        Activity.all_objects.filter(created_by_id=user_id, created_at=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _id_ranges(ids: Sequence[int]) -> list[list[int]]:
    """[[first, last], …] of consecutive ids: a batch's ids in a few numbers, not 100,000."""
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges


# --- Photos and files ----------------------------------------------------------------------


def attachment_add(*, user: User, activity: Activity, upload: "CheckedUpload") -> Attachment:
    """Store a checked upload (see files.check_upload) as a photo or file of the activity."""
    _check_write(user, activity.unit)
    attachment = Attachment(activity=activity, kind=upload.kind)
    return store_upload(user=user, record=attachment, upload=upload, unit_code=activity.unit_id)


def attachment_delete(*, user: User, attachment: Attachment) -> None:
    """Remove the record; the stored files stay so that the audit page can restore it."""
    _check_write(user, attachment.activity.unit)
    delete_part(user=user, record=attachment, unit_code=attachment.activity.unit_id)


# --- Media coverage and awards -------------------------------------------------------------


def _coverage_values(
    outlet: str, level: str, date: date, title: str, link: str, views: int | None
) -> dict[str, Any]:
    """A report's fields as they are stored (the model's validation is the rule set)."""
    return {"outlet": outlet.strip(), "level": level, "date": date, "title": title.strip(),
            "link": link.strip(), "views": views}  # fmt: skip


def _award_values(
    name: str, level: str, winner_kind: str, winner: str, rank: str
) -> dict[str, Any]:
    return {"name": name.strip(), "level": level, "rank": rank.strip(),
            "winner_kind": winner_kind, "winner": winner.strip()}  # fmt: skip


def coverage_add(
    *,
    user: User,
    activity: Activity,
    outlet: str,
    level: str,
    date: date,
    title: str = "",
    link: str = "",
    views: int | None = None,
) -> MediaCoverage:
    _check_write(user, activity.unit)
    values = _coverage_values(outlet, level, date, title, link, views)
    coverage = MediaCoverage(activity=activity, **values)
    with transaction.atomic():
        was = counts.shape_of(activity)  # whether it had a report before this one
        add_part(user=user, record=coverage, owner="activity", unit_code=activity.unit_id)
        counts.coverage_changed(activity, was)
    return coverage


def coverage_update(
    *,
    user: User,
    coverage: MediaCoverage,
    outlet: str,
    level: str,
    date: date,
    title: str = "",
    link: str = "",
    views: int | None = None,
) -> MediaCoverage:
    """Change a report (its views as they grow); whether the activity is covered stays."""
    activity = coverage.activity
    _check_write(user, activity.unit)
    values = _coverage_values(outlet, level, date, title, link, views)
    return update_part(
        user=user, record=coverage, values=values, owner="activity", unit_code=activity.unit_id
    )


def coverage_delete(*, user: User, coverage: MediaCoverage) -> None:
    activity = coverage.activity
    _check_write(user, activity.unit)
    with transaction.atomic():
        was = counts.shape_of(activity)
        delete_part(user=user, record=coverage, unit_code=activity.unit_id)
        counts.coverage_changed(activity, was)


def award_add(
    *,
    user: User,
    activity: Activity,
    name: str,
    level: str,
    winner_kind: str,
    winner: str,
    rank: str = "",
) -> Award:
    _check_write(user, activity.unit)
    award = Award(activity=activity, **_award_values(name, level, winner_kind, winner, rank))
    return add_part(user=user, record=award, owner="activity", unit_code=activity.unit_id)


def award_update(
    *,
    user: User,
    award: Award,
    name: str,
    level: str,
    winner_kind: str,
    winner: str,
    rank: str = "",
) -> Award:
    activity = award.activity
    _check_write(user, activity.unit)
    values = _award_values(name, level, winner_kind, winner, rank)
    return update_part(
        user=user, record=award, values=values, owner="activity", unit_code=activity.unit_id
    )


def award_delete(*, user: User, award: Award) -> None:
    _check_write(user, award.activity.unit)
    delete_part(user=user, record=award, unit_code=award.activity.unit_id)


def activity_type_create(*, user: User, name: str) -> ActivityType:
    """Add an activity type of the admin's unit, seen in its subtree only (national when the
    admin's scope is the country); names stay unique country-wide, like codes."""
    if not can_manage_scope(user):
        raise PermissionDenied(_("只有系统管理员可以添加活动类型。"))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("名称不能为空。")})
    if ActivityType.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有名为“%(name)s”的活动类型。") % {"name": name}})
    last = ActivityType.objects.order_by("-ordering").values_list("ordering", flat=True).first()
    kind = ActivityType(name=name, ordering=(last or 0) + 10, owner_id=kind_owner(user))
    return save_created(user=user, record=kind, unit_code=user.scope.top)


def activity_type_set_active(*, user: User, kind: ActivityType, active: bool) -> ActivityType:
    """Retire a type from the entry form and the import (records keep it) or bring it back."""
    if not can_manage_scope(user):
        raise PermissionDenied(_("只有系统管理员可以停用或启用活动类型。"))
    if not may_change_kind(user, kind):
        raise PermissionDenied(_("只能停用或启用本单位添加的活动类型。"))
    return save_values(user=user, record=kind, values={"active": active}, unit_code=user.scope.top)
