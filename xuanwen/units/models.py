from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuanwen.core import tree

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县")
    TOWNSHIP = 4, _("乡镇街道")
    VILLAGE = 5, _("村社区")


class UnitQuerySet(models.QuerySet["Unit"]):
    def children_of(self, code: str) -> "UnitQuerySet":
        """The units right under `code`, in code order; under the country ("", the top of the
        tree, which has no row) the provinces, whose parent is NULL. The one rule for
        "children of the top", so a roll-up by child works for the whole country as for a
        county."""
        under = self.filter(parent_id=code) if code else self.filter(parent__isnull=True)
        return under.order_by("code")


class Unit(models.Model):
    """An administrative division (行政区划), keyed by its statistical code, which is its path."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    # Redundant with the code prefix, but an indexed FK makes "children of X" a plain lookup
    # and keeps the tree connected (a unit cannot outlive its parent).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    pinyin = models.CharField(_("拼音"), max_length=255, blank=True)
    initials = models.CharField(_("拼音首字母"), max_length=100, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.code])

    @property
    def is_country(self) -> bool:
        """Whether this is the whole country (see `country`), not a stored division."""
        return not self.code

    @property
    def level(self) -> Level:
        return Level(tree.level_of(self.code))

    @property
    def code12(self) -> str:
        return tree.padded(self.code)


def record_unit(verbose_name: "StrOrPromise") -> "models.ForeignKey[Unit, Unit]":
    """The unit a main record belongs to: its code is the record's path in the tree, so a
    subtree is a code range. A unit that still holds records cannot be removed (PROTECT)."""
    return models.ForeignKey(
        Unit, verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+"
    )


def country() -> Unit:
    """The whole country as a unit to show and roll up: code "" (the top of every code path,
    so its subtree is every unit and its children are the provinces), never saved."""
    return Unit(code="", name=str(_("全国")))
