"""Writing units: importing the division data, renaming and deleting; the users bound to them
(creating, changing role or unit, deactivating) and their API tokens, all audited."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice, pairwise, repeat
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from xuanwen.accounts.models import (
    NAME_MAX,
    TOKEN_DAYS_DEFAULT,
    TOKEN_DAYS_MAX,
    TOKEN_NAME_MAX,
    ApiToken,
    Role,
    User,
)
from xuanwen.accounts.permissions import can_manage
from xuanwen.accounts.services import sessions_end, token_create
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, tree
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


def resolve_division(query: str, data: divisions.Divisions | None = None) -> str:
    """The one code that `query` (a code or an exact name) names, or DivisionNotFound.

    `data`, the division data when the caller has already read it, saves reading it again.
    """
    codes = data.find(query) if data else divisions.find(query)
    if not codes:
        raise DivisionNotFound(_("区划数据中没有“%(q)s”。") % {"q": query})
    if len(codes) > 1:
        full_name = data.full_name if data else divisions.full_name
        candidates = [f"{c}  {full_name(c)}" for c in codes]
        raise DivisionNotFound(
            _("“%(q)s”对应 %(n)d 个区划，请改用代码：") % {"q": query, "n": len(codes)},
            candidates,
        )
    return codes[0]


def units_import(*, target: str | None, actor: Any = None) -> ImportReport:
    """Import a division with everything below it and its ancestors; None imports everything.

    Idempotent: units already present with the same name are left alone, renamed ones are
    updated and audited, new ones inserted in code order (parents first), all in one transaction.

    The whole country is 665k units, and its import is meant to stay within 3× a bare sqlite3
    insert of the same rows (bench/units_import.py). So the data file is read once, its lines
    stay plain strings until the insert splits them (no object per unit), they are compared
    with the units in the database only when there are any, and the insert takes each
    database's fast path (_insert_units).
    """
    data = divisions.Divisions.load()
    code = "" if target is None else resolve_division(target, data)
    report = ImportReport(target=code)
    ancestors = tree.ancestor_codes(code) if code else []
    lines = [line for line in map(data.line, ancestors) if line] + data.subtree(code)

    with transaction.atomic():
        existing = _existing_names(code, ancestors)
        if existing:
            new_lines, renamed = _compare(lines, existing, report)
        else:
            # Nothing there yet (the usual first import): every line is new.
            new_lines, renamed = lines, []
            report.created = _by_level(Counter(map(str.find, lines, repeat("\t"))))
        _insert_units(new_lines)
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
        if new_lines:
            top = Unit.objects.get(code=code) if code else Unit(code="", name=_("全国"))
            audit_record(
                actor=actor,
                action=Action.IMPORT,
                obj=top,
                unit_code=code,
                after={"created": {str(Level(k).label): v for k, v in report.created.items()}},
            )
    return report


def _compare(
    lines: list[str], existing: dict[str, str], report: ImportReport
) -> tuple[list[str], list[Unit]]:
    """The new lines and the renamed units, counting them and the unchanged ones in `report`.

    Consumes `existing` (code → name in the database): what is left are the units that the
    data no longer has, which go to `report.missing`.
    """
    new_lines: list[str] = []
    renamed: list[Unit] = []
    created, changed, unchanged = Counter[int](), Counter[int](), Counter[int]()
    for line in lines:
        code, name, rest = line.split("\t", 2)
        old = existing.pop(code, None)
        if old is None:
            new_lines.append(line)
            created[len(code)] += 1
        elif old != name:
            pinyin, initials = rest.split("\t")
            renamed.append(Unit(code=code, name=name, pinyin=pinyin, initials=initials))
            changed[len(code)] += 1
        else:
            unchanged[len(code)] += 1
    report.created, report.renamed = _by_level(created), _by_level(changed)
    report.unchanged = _by_level(unchanged)
    report.missing = sorted(existing)
    return new_lines, renamed


def _by_level(lengths: Counter[int]) -> Counter[int]:
    """Counts by length of code → counts by level."""
    return Counter({tree.LEVEL_LENGTHS.index(n) + 1: k for n, k in lengths.items()})


def _existing_names(code: str, ancestors: list[str]) -> dict[str, str]:
    """Code → name of the units already in the database among those an import of `code` writes."""
    q = tree.subtree_q(code)
    if ancestors:
        q |= Q(code__in=ancestors)
    queryset = Unit.objects.filter(q).order_by().values_list("code", "name")
    # The ORM's SQL, but rows fetched as plain tuples (665k of them on a re-run of everything).
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _insert_units(lines: list[str]) -> None:
    """Insert units from lines of the data file, in code order so that parents come first."""
    if not lines:
        return
    qn = connection.ops.quote_name
    table = qn(Unit._meta.db_table)
    cols = ", ".join(qn(c) for c in ("code", "name", "parent_id", "pinyin", "initials"))
    rows = map(str.split, lines, repeat("\t"))  # [code, name, pinyin, initials]
    if connection.vendor == "sqlite":
        _insert_sqlite(table, cols, rows)
        return
    rows_with_parent = (
        (c, name, tree.parent_code(c), pinyin, initials) for c, name, pinyin, initials in rows
    )
    if connection.vendor == "postgresql" and _is_psycopg3():
        # COPY is several times faster than executemany there.
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
        ):
            for row in rows_with_parent:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({cols}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        while chunk := list(islice(rows_with_parent, 50_000)):
            cursor.executemany(sql, chunk)


def _insert_sqlite(table: str, cols: str, rows: Iterator[list[str]]) -> None:
    """Insert many rows per statement, the parent code computed by SQL.

    An INSERT opens its cursors on the table and on its two indexes (code, parent) every time it
    runs, and seeks in them from the top: with one statement per row, as an executemany runs,
    that costs more than the insert itself. 249 rows per statement (the 999 parameters SQLite
    allows) take about 40% off the insert of the whole country.
    Computing the parent code in SQL keeps the rows as the lists that str.split makes, with no
    Python code run per row. The statements go to the sqlite3 connection itself: Django's cursor
    would, with DEBUG on, quote every parameter for its query log.
    """
    per_statement = (connection.features.max_query_params or 999) // 4  # 249 on SQLite
    connection.ensure_connection()
    raw = connection.connection
    sql = _sqlite_insert_sql(table, cols, per_statement)
    while chunk := list(islice(rows, per_statement)):
        if len(chunk) < per_statement:  # the last one
            sql = _sqlite_insert_sql(table, cols, len(chunk))
        raw.execute(sql, list(chain.from_iterable(chunk)))


def _sqlite_insert_sql(table: str, cols: str, rows: int) -> str:
    parent = " ".join(
        f"WHEN {length} THEN substr(column1, 1, {parent_length})"
        for parent_length, length in pairwise(tree.LEVEL_LENGTHS)
    )
    values = ", ".join(["(?, ?, ?, ?)"] * rows)
    return (
        f"INSERT INTO {table} ({cols}) "  # noqa: S608
        f"SELECT column1, column2, CASE length(column1) {parent} END, column3, column4 "
        f"FROM (VALUES {values})"
    )


def _is_psycopg3() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


def unit_update(*, user: User, unit: Unit, name: str) -> Unit:
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


def unit_delete(*, user: User, unit: Unit) -> None:
    """Delete a unit with nothing below it and nothing attached (a merged village, say)."""
    if not can_manage(user, unit.code) or unit.code == user.scope.root:
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


# --- Users ----------------------------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    username: str,
    unit: Unit,
    role: str,
    name: str,
    password: str | None = None,
    check_password: bool = True,
) -> User:
    """Create a user bound to `unit`, with their 姓名 (what every page shows for them).
    actor None means the command line (trusted)."""
    if actor is not None and not can_manage(actor, unit.code):
        raise PermissionDenied(_("只有系统管理员可以在本单位范围内添加用户。"))
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%(r)s") % {"r": role}})
    name = clean_person_name(name)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名 %(u)s 已存在。") % {"u": username}})
    user = User(username=username, unit=unit, role=role, name=name)
    if password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor, action=Action.CREATE, obj=user, unit_code=unit.code, after=snapshot(user)
        )
    return user


def clean_person_name(name: str) -> str:
    """A user's 姓名: required, at most NAME_MAX characters, on one line."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("请填写姓名。")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("姓名不能超过 %(n)d 个字。") % {"n": NAME_MAX}})
    return name


def user_set_name(*, actor: User | None, user: User, name: str) -> User:
    """Give a user their 姓名 (or correct it); audited like every change to an account."""
    _check_manages(actor, user.unit_id)
    name = clean_person_name(name)
    if name == user.name:
        return user
    with transaction.atomic():
        before = snapshot(user)
        user.name = name
        _user_change(actor, user, ["name"], before)
    return user


def _check_manages(actor: User | None, *codes: str | None) -> None:
    """actor None is the command line (trusted); anyone else must manage every unit named."""
    if actor is not None and not all(code and can_manage(actor, code) for code in codes):
        raise PermissionDenied(_("只有系统管理员可以管理本单位范围内的用户。"))


def _user_change(actor: User | None, user: User, fields: list[str], before: dict[str, Any]) -> None:
    user.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=user,
        unit_code=user.unit_id or "",
        before=before,
        after=snapshot(user),
    )


def user_set_role(*, actor: User | None, user: User, role: str) -> User:
    _check_manages(actor, user.unit_id)
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%(r)s") % {"r": role}})
    with transaction.atomic():
        before = snapshot(user)
        user.role = role
        _user_change(actor, user, ["role"], before)
    return user


def user_set_unit(*, actor: User | None, user: User, unit: Unit) -> User:
    """Move a user to another unit: their scope becomes that unit's subtree from the next
    request on (pages and API read the scope from the user each time)."""
    _check_manages(actor, user.unit_id, unit.code)
    with transaction.atomic():
        before = snapshot(user)
        user.unit = unit
        _user_change(actor, user, ["unit"], before)
    return user


def user_deactivate(*, actor: User | None, user: User) -> User:
    """Stop `user` signing in: the account is kept (their records and audit entries still name
    them), every session they have is ended and every token revoked, so the next request made
    with any of them is refused. Activating them again brings none of these back."""
    _check_manages(actor, user.unit_id)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    with transaction.atomic():
        before = snapshot(user)
        user.is_active = False
        _user_change(actor, user, ["is_active"], before)
        for token in user.api_tokens.filter(revoked_at__isnull=True):
            _token_revoke(actor, token)
        sessions_end(user)
    return user


def user_activate(*, actor: User | None, user: User) -> User:
    _check_manages(actor, user.unit_id)
    with transaction.atomic():
        before = snapshot(user)
        user.is_active = True
        _user_change(actor, user, ["is_active"], before)
    return user


# --- API tokens -----------------------------------------------------------------------------


def api_token_create(
    *, actor: User | None, user: User, name: str, days: int = TOKEN_DAYS_DEFAULT
) -> tuple[ApiToken, str]:
    """A new named token for `user`, lasting `days` (1 to TOKEN_DAYS_MAX); its raw value is
    returned to be shown once. The user's other tokens keep working: each script or device
    has its own, revoked on its own. actor None is the command line; anyone else makes tokens
    only for themselves."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("只能为自己新建令牌。"))
    if not user.is_active:
        raise ValidationError(_("用户 %(u)s 已停用，不能新建令牌。") % {"u": user.username})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请给令牌起个名称（如用在哪台电脑或哪个脚本）。")})
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationError({"name": _("名称最多 %(n)d 个字。") % {"n": TOKEN_NAME_MAX}})
    if not 1 <= days <= TOKEN_DAYS_MAX:
        raise ValidationError({"days": _("有效期应为 1 到 %(max)d 天。") % {"max": TOKEN_DAYS_MAX}})
    with transaction.atomic():
        token, raw = token_create(user=user, name=name, days=days)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=token,
            unit_code=user.unit_id or "",
            after=snapshot(token),
        )
    return token, raw


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token: the next request made with it is refused. actor None is the command
    line; anyone else revokes only their own tokens."""
    if actor is not None and actor.pk != token.user_id:
        raise PermissionDenied(_("只能撤销自己的令牌。"))
    if token.revoked_at is not None:
        raise ValidationError(_("该令牌已经撤销。"))
    with transaction.atomic():
        _token_revoke(actor, token)
    return token


def _token_revoke(actor: User | None, token: ApiToken) -> None:
    before = snapshot(token)
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=token,
        unit_code=token.user.unit_id or "",
        before=before,
        after=snapshot(token),
    )
