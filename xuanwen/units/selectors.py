"""Reading units, always within the user's scope."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.core import tree
from xuanwen.core.scope import Scope
from xuanwen.core.sheets import TEMPLATE_UNITS_MAX

from .models import Unit, country


def units_for(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(user.scope.q())


def get_unit_for_user(user: User, code: str) -> Unit:
    """The unit, or 404 whether it does not exist or lies outside the user's scope."""
    # A tree code is ASCII digits; anything else names no unit and is not worth a query.
    unit = units_for(user).filter(code=code).first() if code.isascii() and code.isdigit() else None
    if unit is None:
        raise Http404(_("未找到该单位，或您无权查看。"))
    return unit


def get_unit_or_country_for_user(user: User, code: str) -> Unit:
    """As `get_unit_for_user`, and for "" the whole country (`models.country`) when the user's
    scope is the country: the pages and API that roll up by child answer it by province."""
    if not code and user.scope.is_country:
        return country()
    return get_unit_for_user(user, code)


def unit_search(user: User, text: str, *, limit: int = 20) -> list[Unit]:
    """Units in scope matching a name, a code, full pinyin or pinyin initials (`lhs` → 临海市)."""
    text = text.strip().lower()
    if not text:
        return []
    if text.isdigit():
        match = Q(code__startswith=text)
    elif text.isascii():
        match = Q(initials__startswith=text) | Q(pinyin__startswith=text)
        match |= Q(initials__contains=text) | Q(pinyin__contains=text)
    else:
        match = Q(name__contains=text)
    # Shorter codes first: a county before the villages whose names repeat its name.
    return list(units_for(user).filter(match).order_by(Length("code"), "code")[:limit])


@dataclass
class ChildRow:
    unit: Unit
    townships: int
    villages: int


def children_with_counts(unit: Unit) -> list[ChildRow]:
    """The unit's children, each with how many townships and villages lie under it.

    Two queries whatever the number of children: the children, and one GROUP BY on the
    child-length prefix of every descendant's code.
    """
    children = list(unit.children.order_by("code"))
    child_len = tree.child_length(unit.code)
    if not children or child_len is None:
        return []
    counts = (
        Unit.objects.filter(tree.subtree_q(unit.code))
        .annotate(branch=Substr("code", 1, child_len), depth=Length("code"))
        .exclude(depth=child_len)
        .values("branch", "depth")
        .annotate(n=Count("code"))
    )
    by_branch: dict[tuple[str, int], int] = {(r["branch"], r["depth"]): r["n"] for r in counts}
    return [
        ChildRow(
            unit=child,
            townships=by_branch.get((child.code, 9), 0),
            villages=by_branch.get((child.code, 12), 0),
        )
        for child in children
    ]


def subtree_counts(unit: Unit) -> dict[int, int]:
    """Level → number of units of that level below `unit` (one query)."""
    rows = (
        Unit.objects.filter(tree.subtree_q(unit.code))
        .exclude(code=unit.code)
        .annotate(depth=Length("code"))
        .values("depth")
        .annotate(n=Count("code"))
    )
    return {tree.level_of("0" * r["depth"]): r["n"] for r in rows}


def ancestors_for(user: User, unit: Unit) -> list[Unit]:
    """The unit's ancestors that the user may see, top first (for breadcrumbs)."""
    codes = tree.ancestor_codes(unit.code)
    return list(units_for(user).filter(code__in=codes).order_by("code"))


def units_by_code(user: User, codes: Iterable[str]) -> dict[str, Unit]:
    """The units among `codes` that are in the user's scope (a query per 500 codes, not per row),
    for an import to resolve its rows' unit codes.

    A code missing from the result is "不存在或不在您的管辖范围内" to the user: the same words
    whether it exists elsewhere or not, since units outside the scope are not theirs to learn of.
    """
    wanted = sorted(set(codes))
    units: dict[str, Unit] = {}
    for start in range(0, len(wanted), 500):
        units.update(
            (u.code, u) for u in units_for(user).filter(code__in=wanted[start : start + 500])
        )
    return units


def template_units(user: User) -> list[tuple[str, str]]:
    """The units an import template lists (core.sheets.build_template): those the user may
    write for, as (code, name indented by depth), one more than the sheet shows so that it can
    say there are more; none for read-only roles."""
    if not (user.is_superuser or user.role in WRITE_ROLES):
        return []
    units = units_for(user).order_by("code")[: TEMPLATE_UNITS_MAX + 1]
    scope = user.scope
    return [(unit.code, scope.indented(unit.code, unit.name)) for unit in units]


# Between the names of a unit path: 临海市/古城街道, 临海市 › 古城街道, 临海市>古城街道.
PATH_SEPARATORS = re.compile(r"\s*[/／›>]\s*")
CANDIDATES_SHOWN = 10


def full_path(unit: Unit) -> str:
    """浙江省/台州市/临海市/古城街道: the unit's name after its ancestors' (those stored)."""
    names = dict(
        Unit.objects.filter(code__in=tree.ancestor_codes(unit.code)).values_list("code", "name")
    )
    return "/".join([*(names[c] for c in sorted(names)), unit.name])


def unit_by_code_or_path(scope: Scope, text: str) -> Unit:
    """The one unit in `scope` that `text` names: a code (331082), a name (古城街道) or a
    name path, with as many of its ancestors as it takes to tell it apart (临海市/古城街道;
    the ancestors named need not be consecutive). A ValidationError in Chinese when no unit
    or several units match, listing those."""
    text = text.strip()
    if not text:
        raise ValidationError(_("请给出单位的代码或名称。"))
    if text.isdigit():
        unit = Unit.objects.filter(scope.q(), code=text).first()
        if unit is None:
            raise ValidationError(_("没有代码为 %(code)s 的单位。") % {"code": text})
        return unit
    *above, name = [part for part in PATH_SEPARATORS.split(text) if part]
    matches = []
    for unit in Unit.objects.filter(scope.q(), name=name).order_by("code"):
        path = full_path(unit).split("/")[:-1]
        if _in_order(above, path):
            matches.append(unit)
    if not matches:
        raise ValidationError(_("没有名为“%(name)s”的单位。") % {"name": text})
    if len(matches) > 1:
        listed = "；".join(f"{full_path(u)}（{u.code}）" for u in matches[:CANDIDATES_SHOWN])
        raise ValidationError(
            _("“%(name)s”对应 %(n)d 个单位，请写出上级名称或改用代码：%(listed)s")
            % {"name": text, "n": len(matches), "listed": listed}
        )
    return matches[0]


def _in_order(wanted: list[str], names: list[str]) -> bool:
    """Whether `wanted` appear among `names` in the same order (not necessarily adjacent)."""
    rest = iter(names)
    return all(any(w == n for n in rest) for w in wanted)


NAME_MAX = Unit._meta.get_field("name").max_length or 100


class UnknownUnit(str):
    """What a unit box held when it named no unit of the scope: the text itself (the box shows
    it again) and why, in Chinese. A list filtered by it shows nothing, never the whole scope."""

    unknown: str

    def __new__(cls, text: str, why: str) -> "UnknownUnit":
        typed = super().__new__(cls, text)
        typed.unknown = why
        return typed


def unit_in_box(scope: Scope, text: str) -> str:
    """The code of the unit a unit box names within `scope`: a code, or a name (the highest unit
    of that name, so 古城街道 is found before a village named after it). An empty box and a code
    outside the scope (or above it) give "", the whole scope; a name of no unit in the scope,
    or of several at that highest level (two villages called 新村), gives an UnknownUnit that
    says which to choose from. Text longer than any name names no unit (and is cut to that)."""
    text = text.strip()[:NAME_MAX]
    if not text or scope.is_nothing:
        return ""
    if text.isdigit():
        return text if scope.contains(text) else ""
    named = Unit.objects.filter(scope.q(), name=text).order_by(Length("code"), "code")
    found = list(named.values_list("code", flat=True)[:CANDIDATES_SHOWN])
    if not found:
        why = _("在您的范围内没有名为“%(name)s”的单位，请从提示中选择，或输入单位代码。")
        return UnknownUnit(text, why % {"name": text})
    highest = [code for code in found if len(code) == len(found[0])]
    if len(highest) > 1:
        # Asked which, by the name of each one's parent: a second query, only in this case.
        above = [parent for c in highest if (parent := tree.parent_code(c))]
        parents = dict(Unit.objects.filter(code__in=above).values_list("code", "name"))
        listed = "、".join(
            f"{parents.get(tree.parent_code(c) or '', '')}{text}（{c}）" for c in highest
        )
        why = _("有 %(n)d 个单位名为“%(name)s”：%(listed)s。请输入其中一个的代码。")
        return UnknownUnit(text, why % {"n": len(highest), "name": text, "listed": listed})
    return found[0]
