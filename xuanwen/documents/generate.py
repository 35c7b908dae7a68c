"""Each document of a unit and period as its file, written into the template the unit uses
(templating.template_for): what the pages, the API and the background .zip all call.

The documents are 公文 and written in Chinese whatever language the reader's pages are in
(the indicators' names and the period's words are the Chinese ones).
"""

from datetime import date

from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.assessment.models import Run
from xuanwen.assessment.selectors import get_run_for_user
from xuanwen.core import clock
from xuanwen.indicators.periods import Period, PeriodKind
from xuanwen.units.models import Unit

from . import files
from .build_template import NOTICE_TEMPLATE
from .facts import SummaryFacts, summary_facts
from .models import DocumentKind
from .notice import NoticeText, notice_text
from .notice import appendix_book as notice_appendix_book
from .planning import PlanDraft, plan_draft
from .tables import statistics_book
from .templating import template_bytes
from .writing import SummaryText, summary_text


def summary(unit: Unit, period: Period, today: date) -> tuple[SummaryText, SummaryFacts]:
    """The summary and its facts, in Chinese."""
    with translation.override("zh-hans"):
        facts = summary_facts(unit, period, today)
        return summary_text(facts), facts


def draft(unit: Unit, year: int, today: date) -> PlanDraft | None:
    """Next year's plan drafted from the unit's plan for `year`, in Chinese; None without one."""
    with translation.override("zh-hans"):
        return plan_draft(unit, year, today)


def summary_docx(unit: Unit, period: Period, today: date) -> tuple[str, bytes]:
    """(title, .docx) of the unit's summary in the template it uses."""
    text, _facts = summary(unit, period, today)
    return text.title, files.docx_bytes(text, template_bytes(unit.code, DocumentKind.SUMMARY))


class NoDraft(Exception):
    """Next year's plan cannot be drafted: why, in Chinese."""


def draft_docx(unit: Unit, period: Period, today: date) -> tuple[str, bytes]:
    """(title, .docx) of the plan for the year after `period` (a year), drafted from the
    unit's plan for it in the template the unit uses; NoDraft says why there is none."""
    if period.kind != PeriodKind.YEAR:
        raise NoDraft(_("工作计划草稿按年度生成，请选择年度。"))
    year = period.start.year
    made = draft(unit, year, today)
    if made is None:
        raise NoDraft(
            _("%(u)s没有%(y)d年的年度工作计划，无法起草下一年的计划。")
            % {"u": unit.name, "y": year}
        )
    data = files.docx_bytes(made.text, template_bytes(unit.code, DocumentKind.PLAN))
    return _("%(t)s（草稿）") % {"t": made.text.title}, data


def appendix_response(unit: Unit, period: Period, base_url: str) -> FileResponse:
    """The summary's appendix .xlsx: every figure it states and the records behind it."""
    text, facts = summary(unit, period, clock.today())
    book = files.appendix_book(facts, base_url)
    return book.response(stem=_("%(t)s数据附表") % {"t": text.title})


def statistics_stem(unit: Unit, period: Period) -> str:
    return _("%(u)s%(p)s统计报表") % {"u": unit.name, "p": period.label}


def statistics_response(unit: Unit, period: Period) -> FileResponse:
    return statistics_book(unit, period).response(stem=statistics_stem(unit, period))


def notice(user: User, run_pk: int, base_url: str = "") -> tuple[NoticeText, Run]:
    """The assessment notice of a run the user sees (another's: 404); NoNotice says why
    there is none (not published)."""
    run = get_run_for_user(user, run_pk)
    with translation.override("zh-hans"):
        return notice_text(user, run, base_url), run


def notice_docx(user: User, run_pk: int) -> tuple[str, bytes]:
    """(title, .docx) of the notice in the template its issuer (the scheme's owner) uses."""
    text, run = notice(user, run_pk)
    template = template_bytes(run.scheme.owner_id, DocumentKind.NOTICE)
    return text.title, files.docx_bytes(text, template, NOTICE_TEMPLATE)


def notice_appendix_response(user: User, run_pk: int, base_url: str) -> FileResponse:
    text, run = notice(user, run_pk, base_url)
    book = notice_appendix_book(text, run)
    return book.response(stem=_("%(t)s数据附表") % {"t": text.title})
