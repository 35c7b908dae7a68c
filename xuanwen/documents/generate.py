"""Each document of a unit and period as its file, written into the template the unit uses
(templating.template_for): what the pages, the API and the background .zip all call.

The documents are 公文 and written in Chinese whatever language the reader's pages are in
(the indicators' names and the period's words are the Chinese ones).
"""

from datetime import date

from django.utils import translation

from xuanwen.indicators.periods import Period
from xuanwen.units.models import Unit

from . import files
from .facts import SummaryFacts, summary_facts
from .models import DocumentKind
from .planning import PlanDraft, plan_draft
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


def draft_docx(unit: Unit, year: int, today: date) -> tuple[str, bytes] | None:
    made = draft(unit, year, today)
    if made is None:
        return None
    return made.text.title, files.docx_bytes(
        made.text, template_bytes(unit.code, DocumentKind.PLAN)
    )
