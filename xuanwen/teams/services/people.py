"""Writing people (文艺骨干, 志愿者, 学员)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.audit.services import snapshot
from xuanwen.core import tree
from xuanwen.records.services import (
    assign,
    creator,
    length_errors,
    save_changed,
    save_created,
    soft_delete,
)
from xuanwen.units.models import Unit

from ..models import (
    Gender,
    Person,
)
from .common import (
    _check_write,
    _other_than,
    _pinyin,
    _year_error,
)

# --- People ----------------------------------------------------------------------------------


@dataclass
class PersonData:
    """The editable fields of a person, already parsed."""

    unit: Unit
    name: str
    gender: str = ""
    birth_year: int | None = None
    phone: str = ""
    specialty: str = ""
    note: str = ""


PERSON_TEXTS = (("name", "姓名"), ("phone", "电话"), ("specialty", "特长"))


def person_check(data: PersonData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors = length_errors(Person, data, PERSON_TEXTS)
    if not data.name.strip():
        errors["name"] = _("姓名不能为空。")
    if data.gender and data.gender not in Gender.values:
        errors["gender"] = _("性别只能是：男、女。")
    if message := _year_error(data.birth_year, _("出生年份")):
        errors["birth_year"] = message
    phone = data.phone.strip()
    if phone and not all(c.isdigit() or c in "+- " for c in phone):
        errors["phone"] = _("电话只能包含数字、空格、“+”和“-”。")
    return errors


def person_duplicate(data: PersonData, exclude_pk: int | None = None) -> Person | None:
    """A live person of the same unit with the same name and birth year (the same person)."""
    qs = Person.objects.filter(unit=data.unit, name=data.name.strip(), birth_year=data.birth_year)
    return _other_than(qs, exclude_pk).first()


def _person_apply(person: Person, data: PersonData) -> None:
    assign(person, data, strip=("name", "phone", "specialty"))
    person.search_pinyin = _pinyin(person.name)


def _person_validate(data: PersonData, exclude_pk: int | None = None) -> None:
    errors = person_check(data)
    if not errors and person_duplicate(data, exclude_pk):
        errors["name"] = _("本单位已有同名、同出生年份的人员。")
    if errors:
        raise ValidationError(errors)


def person_create(*, user: User, data: PersonData) -> Person:
    _check_write(user, data.unit.code)
    _person_validate(data)
    person = Person(created_by=creator(user))
    _person_apply(person, data)
    save_created(user=user, record=person, unit_code=person.unit_id)
    return person


def person_update(*, user: User, person: Person, data: PersonData) -> Person:
    # Both the old and the new unit must be the user's: moving a record out of reach is a
    # write to a unit the user does not own.
    _check_write(user, person.unit_id)
    _check_write(user, data.unit.code)
    _person_validate(data, exclude_pk=person.pk)
    before = snapshot(person)
    _person_apply(person, data)
    save_changed(user=user, record=person, unit_code=person.unit_id, before=before)
    return person


def person_delete(*, user: User, person: Person) -> None:
    _check_write(user, person.unit_id)
    soft_delete(user=user, record=person, unit_code=person.unit_id)


def people_by_names(
    *, user: User, unit: Unit, names: Sequence[str], create: bool = True
) -> list[Person]:
    """The people named, looked up in the unit's subtree; a name nobody has becomes a new
    person of the unit (when `create`). Two people of the same name below the unit cannot be
    told apart by name, so that name is refused rather than guessed. One query to look up."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found: dict[str, list[Person]] = {}
    for p in Person.objects.filter(tree.subtree_q(unit.code, "unit_id"), name__in=wanted):
        found.setdefault(p.name, []).append(p)
    errors: list[str] = []
    out: list[Person] = []
    for name in wanted:
        matches = found.get(name, [])
        # Someone of the unit itself is meant before a namesake in a village below.
        own = [p for p in matches if p.unit_id == unit.code]
        if len(own) == 1 or len(matches) == 1:
            out.append(own[0] if len(own) == 1 else matches[0])
        elif matches:
            errors.append(
                _("“%(name)s”有 %(n)d 人同名，请在人员页区分后再选。")
                % {"name": name, "n": len(matches)}
            )
        elif create:
            out.append(person_create(user=user, data=PersonData(unit=unit, name=name)))
        else:
            errors.append(_("没有名为“%(name)s”的人员。") % {"name": name})
    if errors:
        raise ValidationError(errors)
    return out
