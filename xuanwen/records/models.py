"""What every vocabulary of kinds repeats on top of core's Catalogue: the unit that owns it.

The rule of a vocabulary (活动类型, 队伍类别, 阵地类型, 文化户类型, 命名类型):

- A kind without an owner is a national default, seen by everybody.
- A kind an admin of a unit adds belongs to that unit (`owner`) and is seen by the users of
  that unit's subtree only: the unit itself and every unit below it. A township user sees
  what its county added; county B sees nothing of county A's; the country (a superuser) and
  a user bound to no unit see the national kinds only (`Scope.sees_owned`).
- A record may use a kind its unit sees: national, or owned by the record's unit or one of
  its ancestors (`kind_usable`).
- Codes (and names) stay unique across the whole country: a kind's code names its indicators
  and an import names a kind by its name, so one name or code never means two kinds.
- Only the owner's admins change a kind (retire it, edit its rule); national kinds are changed
  by a country-wide admin (`may_change_kind`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Catalogue


class OwnedCatalogue(Catalogue):
    """A Catalogue whose rows a unit may own (see the module's rule); None: national."""

    owner = models.ForeignKey(
        "units.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Catalogue.Meta):
        abstract = True
