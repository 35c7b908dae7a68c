"""Importing many people, teams, training classes or honours at once (the Excel import): all
or nothing.

The rules are the services' own, applied to every row before anything is saved, so that a
preview names every problem; the import then runs the services row by row in one transaction,
each record audited like one entered on its page.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core import locks, tree
from xuanwen.core.imports import Rejected
from xuanwen.records.services import mark_duplicates, row_problems

from . import services
from .models import Honour, Person, Team, TrainingClass, awarded_on
from .services import HonourData, PersonData, SessionData, TeamData, TrainingData


@dataclass
class TeamRow:
    """A team as a sheet gives it: the team, and its leader's and members' names."""

    data: TeamData
    leader: str = ""
    members: list[str] = field(default_factory=list)


RowT = TypeVar("RowT")
Problems = dict[int, dict[str, str]]


def _rules(
    user: User,
    rows: Sequence[RowT],
    check: Callable[[RowT], dict[str, str]],
    unit: Callable[[RowT], str],
) -> Problems:
    """Each row's rule errors as its service finds them, and the right to write for its unit."""
    refused = ("unit", _("您不能为该单位登记。"))
    return row_problems(user=user, rows=rows, check=check, unit_of=unit, refused=refused)


def _duplicates(
    problems: Problems,
    keys: Sequence[Hashable],
    existing: set[Any],
    exists: str,
    row_numbers: Sequence[int] | None,
    field: str = "name",
) -> None:
    """Mark on `field` the rows whose key is already stored (`exists`) or repeats an earlier
    row of the file."""
    mark_duplicates(
        problems,
        keys,
        field=field,
        repeats=_("与第 %(row)d 行重复。"),
        label=lambda i: row_numbers[i] if row_numbers is not None else i + 1,
        existing=existing,
        exists=exists,
    )


def _all_or_none(
    user: User,
    rows: Sequence[RowT],
    row_numbers: Sequence[int] | None,
    problems_of: Callable[..., Problems],
    create: Callable[..., Any],
) -> list[Any]:
    """`create(user=, data=row)` for every row in one transaction, after `problems_of` found
    no problem in any (else the batch is Rejected with them all), so a row that the preview
    passed cannot be refused halfway. `problems_of` asks for the locked periods of all the
    rows at once (locks.mark_locked), so the creates do not ask again, row by row."""
    with transaction.atomic():
        problems = problems_of(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        with locks.batch_checked():
            return [create(user=user, data=row) for row in rows]


def people_problems(
    *, user: User, rows: Sequence[PersonData], row_numbers: Sequence[int] | None = None
) -> Problems:
    """Rule errors of a batch of people, in a few queries whatever its size."""
    problems = _rules(user, rows, services.person_check, lambda data: data.unit.code)
    keys = [(data.unit.code, data.name.strip(), data.birth_year) for data in rows]
    existing = set(
        Person.objects.filter(
            unit_id__in={k[0] for k in keys}, name__in={k[1] for k in keys}
        ).values_list("unit_id", "name", "birth_year")
    )
    _duplicates(problems, keys, existing, _("本单位已有同名、同出生年份的人员。"), row_numbers)
    return problems


def people_import(
    *, user: User, rows: Sequence[PersonData], row_numbers: Sequence[int] | None = None
) -> int:
    return len(_all_or_none(user, rows, row_numbers, people_problems, services.person_create))


def teams_problems(
    *, user: User, rows: Sequence[TeamRow], row_numbers: Sequence[int] | None = None
) -> Problems:
    """Rule errors of a batch of teams: the team's rules, duplicates, and names that cannot
    be told apart (two people of that name below the team's unit)."""
    problems = _rules(user, rows, lambda row: services.team_check(row.data), _unit_of_row)
    codes = {r.data.unit.code for r in rows}
    existing = set(Team.objects.filter(unit_id__in=codes).values_list("unit_id", "name"))
    keys = [(row.data.unit.code, row.data.name.strip()) for row in rows]
    _duplicates(problems, keys, existing, _("本单位已有同名的队伍。"), row_numbers)
    names = {n for r in rows for n in [r.leader, *r.members] if n}
    people = list(Person.objects.filter(name__in=names).values_list("unit_id", "name"))
    for i, row in enumerate(rows):
        for column, wanted in (("leader", [row.leader]), ("members", row.members)):
            for name in (n for n in wanted if n):
                if _ambiguous(row.data.unit.code, name, people):
                    problems.setdefault(i, {}).setdefault(
                        column,
                        _("“%(name)s”在本单位及下级有多人同名，请在人员页区分后再导入。")
                        % {"name": name},
                    )
    return problems


def _unit_of_row(row: "TeamRow | TrainingRow") -> str:
    return row.data.unit.code


def _ambiguous(unit: str, name: str, people: list[tuple[str, str]]) -> bool:
    # The same rule as services.people_by_names: someone of the unit itself is meant first.
    matches = [code for code, n in people if n == name and tree.in_subtree(code, unit)]
    return len(matches) > 1 and matches.count(unit) != 1


def teams_import(
    *,
    user: User,
    rows: Sequence[TeamRow],
    row_numbers: Sequence[int] | None = None,
    source: str = "",  # unused: each team is audited as entered by hand
) -> list[Team]:
    """The teams of the rows, created in the rows' order (all or none)."""
    return _all_or_none(user, rows, row_numbers, teams_problems, _team_create)


def _team_create(*, user: User, data: TeamRow) -> Team:
    """The team with its leader and members, found by name as the preview checked."""
    unit = data.data.unit
    if data.leader:
        data.data.leader = services.people_by_names(user=user, unit=unit, names=[data.leader])[0]
    people = services.people_by_names(user=user, unit=unit, names=data.members)
    members = [services.MemberData(person=p) for p in people if p != data.data.leader]
    return services.team_create(user=user, data=data.data, members=members)


# --- Training classes --------------------------------------------------------------------------


@dataclass
class TrainingRow:
    """A class as a sheet gives it: the class and its sessions (课次)."""

    data: TrainingData
    sessions: list[SessionData] = field(default_factory=list)


def training_problems(
    *, user: User, rows: Sequence[TrainingRow], row_numbers: Sequence[int] | None = None
) -> Problems:
    """Rule errors of a batch of classes (the services' rules, the right to write, a class of
    the same unit, title and start date already recorded or twice in the file)."""
    problems = _rules(user, rows, lambda row: services.training_check(row.data), _unit_of_row)
    for i, row in enumerate(rows):
        for session in row.sessions:
            for key, message in services.session_check(row.data, session).items():
                # The sheet gives the sessions' dates in one column and their hours in another.
                column = "session_dates" if key == "date" else key
                problems.setdefault(i, {}).setdefault(
                    column, f"{session.date.isoformat()}：{message}"
                )
    keys = [(r.data.unit.code, r.data.title.strip(), r.data.start_date) for r in rows]
    existing = set(
        TrainingClass.objects.filter(
            unit_id__in={k[0] for k in keys}, title__in={k[1] for k in keys}
        ).values_list("unit_id", "title", "start_date")
    )
    exists = _("本单位已有同名、同开始日期的培训班。")
    _duplicates(problems, keys, existing, exists, row_numbers, field="title")
    spans = [(r.data.unit.code, r.data.start_date, r.data.end_date) for r in rows]
    locks.mark_locked(problems, spans, "start_date")
    if rows:
        try:
            services.training_type()
        except ValidationError as exc:
            problems.setdefault(0, {})["type"] = "；".join(exc.messages)
    return problems


def training_import(
    *,
    user: User,
    rows: Sequence[TrainingRow],
    row_numbers: Sequence[int] | None = None,
    source: str = "",  # unused: each class is audited as entered by hand
) -> list[TrainingClass]:
    """Each class through training_create, so each creates or links its 培训 activity; the
    classes in the rows' order."""
    return _all_or_none(user, rows, row_numbers, training_problems, _training_create)


def _training_create(*, user: User, data: TrainingRow) -> TrainingClass:
    return services.training_create(user=user, data=data.data, sessions=data.sessions)


# --- Honours -----------------------------------------------------------------------------------


def _honour_key(data: HonourData) -> tuple[Any, ...]:
    holder = data.person if data.holder_kind == "person" else data.team
    unit = holder.unit_id if holder is not None else data.unit.code
    return (unit, data.holder_kind, getattr(holder, "pk", None), data.name.strip(), data.year)


def honours_problems(
    *, user: User, rows: Sequence[HonourData], row_numbers: Sequence[int] | None = None
) -> Problems:
    """Rule errors of a batch of honours (the services' rules, the right to write, the same
    honour of the same holder and year already recorded or twice in the file)."""
    # An honour is checked against its holder's unit, where it is kept.
    problems = _rules(
        user, rows, lambda data: services.honour_check(user, data), lambda d: _honour_key(d)[0]
    )
    keys = [_honour_key(data) for data in rows]
    existing = set(
        (unit, kind, person or team, name, year)
        for unit, kind, person, team, name, year in Honour.objects.filter(
            unit_id__in={k[0] for k in keys}, name__in={k[3] for k in keys}
        ).values_list("unit_id", "holder_kind", "person_id", "team_id", "name", "year")
    )
    _duplicates(problems, keys, existing, _("已有同一获得者同年的同名荣誉。"), row_numbers)
    spans = [_honour_span(key[0], data) for key, data in zip(keys, rows, strict=True)]
    locks.mark_locked(problems, spans, "year")
    return problems


def _honour_span(unit: str, data: HonourData) -> locks.Span | None:
    """The day an honour is dated by, for the locked periods (None when it is no day)."""
    try:
        day = awarded_on(data.year, data.month, data.day if data.month is not None else None)
    except (TypeError, ValueError):
        return None
    return (unit, day, day)


def honours_import(
    *, user: User, rows: Sequence[HonourData], row_numbers: Sequence[int] | None = None
) -> int:
    return len(_all_or_none(user, rows, row_numbers, honours_problems, services.honour_create))
