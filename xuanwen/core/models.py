"""Building blocks shared by the domain apps' models."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AliveQuerySet(models.QuerySet):
    def alive(self) -> "AliveQuerySet":
        return self.filter(deleted_at__isnull=True)


class AliveManager(models.Manager):
    """The default manager of soft-deleted models: deleted rows are invisible.

    `all_objects` on the model still reaches them (for the audit page's restore).
    """

    def get_queryset(self) -> Any:
        return AliveQuerySet(self.model, using=self._db).filter(deleted_at__isnull=True)


class Level(models.TextChoices):
    """The level of an outlet, an award or a listing (级别)."""

    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")
    OTHER = "other", _("其他")
