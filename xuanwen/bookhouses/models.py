"""The three registers of a farmer bookhouse (农家书屋): stock, lending and demand.

A bookhouse is a `facilities.Facility` whose kind has the code `bookhouse`; these registers hang
off it and reach the unit tree through `facility__unit_id` (the facility's unit code), so a
subtree is a code range as everywhere else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Recorded

BOOKHOUSE_KIND = "bookhouse"  # FacilityKind.code of a 农家书屋


class StockKind(models.TextChoices):
    BOOKS = "books", _("图书")
    AV = "av", _("音像制品")
    PERIODICALS = "periodicals", _("报刊")
    SHELVES = "shelves", _("书架")


class StockSource(models.TextChoices):
    """Where a change of stock came from; the first three are additions (新增)."""

    DISTRIBUTED = "distributed", _("上级配送")
    DONATED = "donated", _("捐赠")
    PURCHASED = "purchased", _("自购")
    # The count found when a bookhouse starts its register (or a stocktaking corrects it):
    # stock, but not an addition of that year.
    OPENING = "opening", _("期初盘点")
    REMOVED = "removed", _("剔旧报损")


ADDITION_SOURCES = (StockSource.DISTRIBUTED, StockSource.DONATED, StockSource.PURCHASED)


class StockEntry(Recorded):
    """One change of a bookhouse's stock (藏书登记): on a date, so many of a kind, from a source.

    A ledger rather than a yearly stock record: the register the standard asks for is a list of
    arrivals (配送、捐赠、自购) and removals, and from a ledger both questions a report asks are
    plain sums, for any date and any subtree — the stock on a day is the sum of the entries up
    to it, the additions of a year the sum of the positive entries in it — with no yearly
    record to keep consistent with the one before. Removals are negative counts; a stocktaking
    that finds a difference is an 期初盘点 entry of the difference.
    """

    detail_url = "bookhouses:stock"  # the bookhouse's register
    detail_key = "facility_id"

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("农家书屋"),
        on_delete=models.PROTECT,
        related_name="stock_entries",
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=12, choices=StockKind.choices)
    count = models.IntegerField(_("数量"))
    source = models.CharField(_("来源"), max_length=12, choices=StockSource.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta(Recorded.Meta):
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = _("藏书登记")
        indexes = [models.Index(fields=["facility", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.count:+d}"


class Loan(Recorded):
    """One lending (借阅登记): who borrowed which title when, and when it came back."""

    detail_url = "bookhouses:loans"  # the bookhouse's register
    detail_key = "facility_id"

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("农家书屋"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    lent_on = models.DateField(_("借出日期"))
    reader_name = models.CharField(_("读者"), max_length=50)
    reader_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    title = models.CharField(_("书名"), max_length=200)
    due_on = models.DateField(_("应还日期"))
    returned_on = models.DateField(_("归还日期"), null=True, blank=True)
    # The bookhouse and the reader's name: counts distinct readers (读者人数) across a subtree,
    # where the same name in two villages is two people.
    reader_key = models.CharField(max_length=80, editable=False)

    class Meta(Recorded.Meta):
        ordering = ["-lent_on", "-id"]
        verbose_name = verbose_name_plural = _("借阅登记")
        indexes = [
            models.Index(fields=["facility", "lent_on"]),
            # The overdue list: loans not back, by due date.
            models.Index(fields=["returned_on", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reader_name}《{self.title}》"


class DemandStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    MET = "met", _("已满足")
    REPORTED = "reported", _("已上报")
    UNMET = "unmet", _("无法满足")


class Demand(Recorded):
    """A reader's wish (需求登记): a title or topic, and how and when it was answered."""

    detail_url = "bookhouses:demands"  # the bookhouse's register
    detail_key = "facility_id"

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("农家书屋"),
        on_delete=models.PROTECT,
        related_name="demands",
    )
    date = models.DateField(_("登记日期"))
    reader_name = models.CharField(_("读者"), max_length=50)
    reader_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    wanted = models.CharField(_("需求（书名或主题）"), max_length=200)
    status = models.CharField(
        _("处理情况"), max_length=10, choices=DemandStatus.choices, default=DemandStatus.PENDING
    )
    status_date = models.DateField(_("处理日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta(Recorded.Meta):
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = _("需求登记")
        indexes = [models.Index(fields=["facility", "date"])]

    def __str__(self) -> str:
        return f"{self.reader_name}：{self.wanted}"
