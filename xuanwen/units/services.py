"""Writing units: importing the division data, renaming and deleting."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from xuanwen.accounts.permissions import can_manage
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import tree
from xuanwen.core.text import pinyin_of

from . import divisions
from .models import Level, Unit


class DivisionNotFound(Exception):
    """No division, or more than one, matches what the user typed."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


@dataclass
class ImportReport:
    target: str
    created: Counter[int] = field(default_factory=Counter)
    renamed: Counter[int] = field(default_factory=Counter)
    unchanged: Counter[int] = field(default_factory=Counter)
    # Units in the database that the data no longer has: kept, since records may hang off them.
    missing: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.renamed.values())

    def lines(self) -> list[str]:
        out = []
        for level in Level:
            total = self.created[level] + self.renamed[level] + self.unchanged[level]
            if total:
                out.append(
                    _("%(level)s %(total)d 个：新增 %(created)d，更名 %(renamed)d，不变 %(same)d")
                    % {
                        "level": level.label,
                        "total": total,
                        "created": self.created[level],
                        "renamed": self.renamed[level],
                        "same": self.unchanged[level],
                    }
                )
        out.append(_("共 %(n)d 处变更。") % {"n": self.changes})
        if self.missing:
            out.append(
                _("数据中已没有的单位 %(n)d 个（保留未删）：%(codes)s")
                % {"n": len(self.missing), "codes": ", ".join(self.missing[:20])}
            )
        return out


def resolve_division(query: str) -> str:
    """The one code that `query` (a code or an exact name) names, or DivisionNotFound."""
    codes = divisions.find(query)
    if not codes:
        raise DivisionNotFound(_("区划数据中没有“%(q)s”。") % {"q": query})
    if len(codes) > 1:
        candidates = [f"{c}  {divisions.full_name(c)}" for c in codes]
        raise DivisionNotFound(
            _("“%(q)s”对应 %(n)d 个区划，请改用代码：") % {"q": query, "n": len(codes)},
            candidates,
        )
    return codes[0]


def units_import(*, target: str | None, actor: Any = None) -> ImportReport:
    """Import a division with everything below it and its ancestors; None imports everything.

    Idempotent: units already present with the same name are left alone, renamed ones are
    updated and audited, new ones inserted in one executemany (the import of the whole country
    is 665k rows, which the ORM's per-object overhead would make several times slower).
    """
    code = "" if target is None else resolve_division(target)
    report = ImportReport(target=code)
    wanted = set(tree.ancestor_codes(code)) if code else set()
    rows = [d for d in divisions.iter_divisions() if d.code.startswith(code) or d.code in wanted]

    with transaction.atomic():
        existing: dict[str, str] = dict(
            Unit.objects.filter(tree.subtree_q(code)).values_list("code", "name")
        )
        existing.update(Unit.objects.filter(code__in=wanted).values_list("code", "name"))
        new_rows: list[tuple[str, str, str | None, str, str]] = []
        renamed: list[Unit] = []
        seen = set()
        for d in rows:
            seen.add(d.code)
            level = tree.level_of(d.code)
            old = existing.get(d.code)
            if old is None:
                new_rows.append((d.code, d.name, tree.parent_code(d.code), d.pinyin, d.initials))
                report.created[level] += 1
            elif old != d.name:
                renamed.append(Unit(code=d.code, name=d.name, pinyin=d.pinyin, initials=d.initials))
                report.renamed[level] += 1
            else:
                report.unchanged[level] += 1
        report.missing = sorted(c for c in existing if c not in seen)
        _insert_units(new_rows)
        for unit in renamed:
            before = snapshot(Unit.objects.get(code=unit.code))
            Unit.objects.filter(code=unit.code).update(
                name=unit.name, pinyin=unit.pinyin, initials=unit.initials
            )
            after = snapshot(Unit.objects.get(code=unit.code))
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=unit,
                unit_code=unit.code,
                before=before,
                after=after,
            )
        if new_rows:
            top = Unit.objects.get(code=code) if code else Unit(code="", name=_("全国"))
            audit_record(
                actor=actor,
                action=Action.IMPORT,
                obj=top,
                unit_code=code,
                after={"created": {str(Level(k).label): v for k, v in report.created.items()}},
            )
    return report


def _insert_units(rows: list[tuple[str, str, str | None, str, str]]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(Unit._meta.db_table)
    cols = ", ".join(qn(c) for c in ("code", "name", "parent_id", "pinyin", "initials"))
    sql = f"INSERT INTO {table} ({cols}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        # Parents precede children: rows come in code order.
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start : start + 50_000])


def unit_update(*, user: Any, unit: Unit, name: str) -> Unit:
    """Rename a unit (e.g. after a township is renamed by the State Council)."""
    if not can_manage(user, unit.code):
        raise PermissionDenied(_("只有系统管理员可以修改单位。"))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("名称不能为空。")})
    with transaction.atomic():
        before = snapshot(unit)
        unit.name = name
        unit.pinyin, unit.initials = pinyin_of(name)
        unit.save(update_fields=["name", "pinyin", "initials"])
        audit_record(
            actor=user,
            action=Action.UPDATE,
            obj=unit,
            unit_code=unit.code,
            before=before,
            after=snapshot(unit),
        )
    return unit


def unit_delete(*, user: Any, unit: Unit) -> None:
    """Delete a unit with nothing below it and nothing attached (a merged village, say)."""
    if not can_manage(user, unit.code) or unit.code == user.scope:
        raise PermissionDenied(_("只有系统管理员可以删除其下级单位。"))
    with transaction.atomic():
        before = snapshot(unit)
        try:
            unit.delete()
        except ProtectedError as exc:
            raise ValidationError(_("该单位下还有下级单位或用户，不能删除。")) from exc
        audit_record(
            actor=user,
            action=Action.DELETE,
            obj=Unit(code=before["pk"], name=before["fields"]["name"]),
            unit_code=before["pk"],
            before=before,
        )
