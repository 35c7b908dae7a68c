"""The assessment notice (考核结果通报): a supervising unit's published assessment result
(xuanwen.assessment, issue #11) written as a 公文 issued by the scheme's owner (the county
for its townships). Its rows are the results the reader may see (assessment.selectors
.results_for): all of them for the county, a township's own line for the township.

Every figure is read from the run's stored result lines (UnitResult: total, rank, grade,
reward), never recomputed: a published run is frozen, and the notice states what it froze.
An unpublished run is refused (NoNotice): a draft notice must not go out into the world, and
the run's own page already previews the ranking.

Like the summary, the text is Chinese whatever the reader's language (see writing.py).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urljoin

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.assessment.models import Grade, Run, UnitResult
from xuanwen.assessment.selectors import results_for
from xuanwen.core.reports import ReportBook
from xuanwen.units.models import Level

from . import wording
from .writing import Paragraph, Section, SummaryText

# What the assessed units are called in a notice's title and text, by their level.
ASSESSED = {
    Level.TOWNSHIP: "乡镇（街道）综合文化站",
    Level.VILLAGE: "村（社区）综合性文化服务中心",
}


class NoNotice(Exception):
    """The notice cannot be written: why, in Chinese."""


@dataclass(frozen=True)
class NoticeRow:
    """One line of the notice's table, as the stored result has it."""

    rank: int
    unit: str
    total: str
    grade: str
    reward: str
    url: str  # the unit's result breakdown page

    def cells(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "unit": self.unit,
            "total": self.total,
            "grade": self.grade,
            "reward": self.reward,
        }


@dataclass
class NoticeText(SummaryText):
    """The notice: a summary's parts (title, paragraphs, signature, date) and the table."""

    rows: list[NoticeRow] = field(default_factory=list)

    def context(self) -> dict[str, object]:
        return {**super().context(), "rows": [r.cells() for r in self.rows]}

    def paragraphs(self) -> list[str]:
        table = [f"{r.rank} {r.unit} {r.total} {r.grade} {r.reward}" for r in self.rows]
        body = super().paragraphs()
        return [*body[:-2], *table, *body[-2:]]


def points(value: Decimal) -> str:
    """A total as a notice prints it: 92.5, 88 (no trailing zeros)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def reward_text(result: UnitResult) -> str:
    parts = []
    if result.reward_amount:
        parts.append(f"奖励{points(result.reward_amount)}元")
    if result.reward_title:
        parts.append(f"授予“{result.reward_title}”称号")
    return "，".join(parts)


def assessed_name(level: int) -> str:
    return ASSESSED.get(Level(level), f"{Level(level).label}单位")


def notice_results(user: User, run: Run) -> list[UnitResult]:
    """The run's stored results the user may see (their subtree's), best first, in one
    query; a county's supervisor sees all of its townships', a township only its own line."""
    if not run.published:
        raise NoNotice(_("该考核结果尚未发布，不能生成考核结果通报；请先在考核结果页发布。"))
    results = list(results_for(user, run))
    if not results:
        raise NoNotice(
            _("%(s)s第%(v)d版中没有您所辖单位的结果，无法生成通报。")
            % {"s": run.scheme.name, "v": run.version}
        )
    return results


def _by_grade(results: list[UnitResult]) -> Paragraph:
    said = []
    for grade in Grade:
        names = [r.unit.name for r in results if r.grade == grade]
        if names:
            said.append(f"{grade.label}（{len(names)}个）：{'、'.join(names)}")
    return Paragraph(["；".join(said) + "。各单位名次、总分、等次及奖励见考核结果一览表。"])


def _rewards(results: list[UnitResult]) -> list[Paragraph]:
    """One sentence per reward, naming its units in rank order."""
    groups: dict[str, list[str]] = {}
    for r in results:
        if said := reward_text(r):
            groups.setdefault(said, []).append(r.unit.name)
    return [
        Paragraph([f"对{'、'.join(names)}{'各' if len(names) > 1 else ''}{said}。"])
        for said, names in groups.items()
    ]


def notice_text(user: User, run: Run, base_url: str = "") -> NoticeText:
    """The notice of `run` as its scheme's owner issues it, of the results the user sees
    (NoNotice: why there is none)."""
    results = notice_results(user, run)
    scheme = run.scheme
    unit = scheme.owner
    assessed = assessed_name(scheme.level)
    opening = Paragraph([
        f"根据《{scheme.name}》，{unit.name}对{scheme.year}年度{len(results)}个{assessed}"
        f"的工作进行了考核。考核结果已经审核发布，现将有关情况通报如下。"
    ])  # fmt: skip
    sections = [Section("一、考核结果", [_by_grade(results)])]
    if rewards := _rewards(results):
        sections.append(Section("二、奖励", rewards))
    closing = Paragraph([
        "希望受到表彰的单位珍惜荣誉、再接再厉；其他单位要对照考核内容查找差距、补齐短板，"
        f"切实提升{assessed}服务水平。"
    ])  # fmt: skip
    sections.append(Section(f"{wording.numeral(len(sections) + 1)}、工作要求", [closing]))
    rows = [
        NoticeRow(
            rank=r.rank, unit=r.unit.name, total=points(r.total),
            grade=str(Grade(r.grade).label), reward=reward_text(r) or "—",
            url=urljoin(base_url, reverse("assessment:unit", args=[r.pk])),
        )
        for r in results
    ]  # fmt: skip
    assert run.published_at is not None  # notice_results refused an unpublished run
    return NoticeText(
        title=f"关于{scheme.year}年度{unit.name}{assessed}考核结果的通报",
        preamble=[opening.text],
        sections=sections,
        signature=unit.name,
        dated=wording.day(timezone.localdate(run.published_at)),
        rows=rows,
    )


def appendix_book(text: NoticeText, run: Run) -> ReportBook:
    """Every figure the notice states (rank, total, grade, reward) and the link to the unit's
    result breakdown, the lines it was scored from."""
    book = ReportBook(
        title=_("考核结果通报数据附表"),
        unit=run.scheme.owner.name,
        period=_("%(y)d年度") % {"y": run.scheme.year},
        sheet_title=_("数据附表"),
        columns=[
            (_("名次"), 6), (_("单位"), 24), (_("总分"), 10), (_("等次"), 10),
            (_("奖励"), 36), (_("得分明细链接"), 60),
        ],
    )  # fmt: skip
    for row in text.rows:
        book.row([row.rank, row.unit, Decimal(row.total), row.grade, row.reward, row.url])
    return book
