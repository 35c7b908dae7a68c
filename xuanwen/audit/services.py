"""Recording changes and restoring deleted records.

Every service that writes a domain record calls `audit_record` inside its own transaction, so
a change and its audit entry are committed together or not at all.
"""

import json
from collections.abc import Callable
from typing import Any

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core import clock, locks

from .models import Action, AuditEntry

# What else a restore brings back, by model: a record whose deletion took others with it
# (a training class and its 培训 activity) registers a hook from its AppConfig.ready().
RESTORE_HOOKS: dict[type[models.Model], Callable[..., None]] = {}


def register_restore_hook(model: type[models.Model], hook: Callable[..., None]) -> None:
    """Call hook(user=..., obj=...) after a record of `model` is restored, in the restore's
    transaction (a ValidationError it raises refuses the whole restore)."""
    RESTORE_HOOKS[model] = hook


# Never copied into an audit entry.
SECRET_FIELDS = frozenset({"password", "key_hash"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record as Django's JSON serializer writes it: {"model", "pk", "fields"}."""
    data: dict[str, Any] = json.loads(serializers.serialize("json", [obj]))[0]
    data["fields"] = {k: v for k, v in data["fields"].items() if k not in SECRET_FIELDS}
    return data


def record_title(obj: models.Model) -> str:
    """What the log calls a record: its `audit_title` if its model declares one (a link row
    whose str() would be two keys), else str(obj); taken when the entry is written, so the
    entry keeps reading right after the record is renamed or deleted."""
    title = getattr(obj, "audit_title", None)
    text = str(title() if callable(title) else title) if title is not None else str(obj)
    return text[:200]


def actor_label(actor: User | None) -> str:
    return actor.display_name if actor is not None else _("系统")


def audit_record(
    *,
    actor: Any,
    obj: models.Model,
    unit_code: str,
    action: str = Action.UPDATE,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    title: str | None = None,
) -> AuditEntry:
    """Log `action` (the verb the page tells: 新增, 修改, 提交, 退回, 批准, 删除, 恢复) on `obj`
    by `actor` (None: the system). `title` overrides the record's title."""
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_name=actor_label(actor_obj),
        action=action,
        model=obj._meta.label_lower,
        object_pk=str(obj.pk),
        object_repr=(title if title is not None else record_title(obj))[:200],
        unit_code=unit_code,
        before=before,
        after=after,
    )


def audit_created_many(*, actor: Any, objs: list[models.Model], unit_code: str) -> list[AuditEntry]:
    """One creation entry per saved record, as audit_record writes them, in one INSERT."""
    actor_obj = actor if getattr(actor, "pk", None) else None
    name = actor_obj.get_username() if actor_obj else _("系统")
    return AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor_obj,
                actor_name=name,
                action=Action.CREATE,
                model=obj._meta.label_lower,
                object_pk=str(obj.pk),
                object_repr=str(obj)[:200],
                unit_code=unit_code,
                after=snapshot(obj),
            )
            for obj in objs
        ]
    )


def audit_sign_in(
    *, action: str, username: str, address: str | None, user: User | None = None, reason: str = ""
) -> AuditEntry:
    """A sign-in, failed sign-in (`reason`: the refusal's code) or sign-out of `username` from
    `address`. Filed under the account's unit so its administrators see attempts on it; a name
    no account has is seen by superusers only. The password tried is never passed in."""
    if user is None:
        user = User.objects.filter(username=username).first()
    actor = None if action == Action.LOGIN_FAILED else user
    fields = {"address": address, **({"reason": reason} if reason else {})}
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.display_name if actor else _("匿名用户"),
        action=action,
        model=User._meta.label_lower,
        object_pk=str(user.pk) if user else "",
        object_repr=username[:200],
        unit_code=(user.unit_id or "") if user else "",
        after={"fields": fields},
    )


def _check_references(obj: models.Model) -> None:
    """Refuse to restore a record whose parent (or other required reference) is gone since:
    the database would only notice at commit, as an error page instead of a message."""
    for f in obj._meta.concrete_fields:
        if not isinstance(f, models.ForeignKey):
            continue
        value = getattr(obj, f.attname)
        target = f.remote_field.model
        if value is None or target._base_manager.filter(pk=value).exists():
            continue
        if f.null and f.remote_field.on_delete is models.SET_NULL:
            setattr(obj, f.attname, None)  # what deleting the reference would have done
            continue
        raise ValidationError(
            _("它所属的“%(field)s”（%(value)s）已不存在，请先恢复那条记录。")
            % {"field": f.verbose_name, "value": value}
        )


def audit_restore(*, user: User, entry: AuditEntry) -> models.Model:
    """Put a deleted record back as it was just before its deletion."""
    from xuanwen.accounts.permissions import can_manage

    if not can_manage(user, entry.unit_code):
        raise PermissionDenied(_("只有系统管理员可以恢复已删除的记录。"))
    if entry.action != Action.DELETE or not entry.before:
        raise ValidationError(_("只有删除操作可以恢复。"))
    if entry.restored_at is not None:
        raise ValidationError(_("该记录已经恢复过了。"))
    try:
        return _restore(user, entry)
    except IntegrityError as exc:
        # A record added since takes its place (a plan's live revision for the same period,
        # a member added to the team again): say so instead of failing the page.
        raise ValidationError(
            _("无法恢复：已有一条与之重复的记录（例如同一单位同一期间的计划），请先处理那条记录。")
        ) from exc


def _restore(user: User, entry: AuditEntry) -> models.Model:
    with transaction.atomic():
        deserialized = next(serializers.deserialize("json", json.dumps([entry.before])))
        model = type(deserialized.object)
        pk = deserialized.object.pk
        # A record of a period whose report is approved stays deleted until it is unlocked.
        locks.refuse_record(deserialized.object, entry.unit_code)
        if any(f.name == "deleted_at" for f in model._meta.fields):
            # Soft-deleted (its photos, coverage and awards are still attached): undelete it.
            obj = model._base_manager.get(pk=pk)
            if getattr(obj, "deleted_at", None) is None:
                raise ValidationError(_("该记录未被删除，无需恢复。"))
            obj.deleted_at = None  # type: ignore[attr-defined]
            touched = [f.name for f in model._meta.fields if f.name == "updated_at"]
            obj.save(update_fields=["deleted_at", *touched])
        else:
            if model._base_manager.filter(pk=pk).exists():
                raise ValidationError(_("编号相同的记录已经存在，无法恢复。"))
            _check_references(deserialized.object)
            deserialized.save()
            obj = deserialized.object
        entry.restored_at = clock.now()
        entry.save(update_fields=["restored_at"])
        audit_record(
            actor=user,
            action=Action.RESTORE,
            obj=obj,
            unit_code=entry.unit_code,
            after=snapshot(obj),
        )
        if hook := RESTORE_HOOKS.get(model):
            hook(user=user, obj=obj)
    return obj
