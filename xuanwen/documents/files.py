"""The summary as files: the .docx from the default template (docxtpl) and its appendix .xlsx
(a report export listing every figure the document states, its indicator and its records)."""

import io
import logging
from pathlib import Path
from urllib.parse import urljoin

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from xuanwen.core import sheets
from xuanwen.core.reports import ReportBook

from .build_template import TEMPLATE
from .facts import SummaryFacts
from .writing import SummaryText

logger = logging.getLogger(__name__)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _render(text: SummaryText, source: bytes | str) -> bytes:
    template = DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else source)
    # Escaped: a title with & or < stays text, never breaks the document's XML.
    template.render(text.context(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def docx_bytes(text: SummaryText, template: bytes | None = None, default: Path = TEMPLATE) -> bytes:
    """The document written into `template` (a county's, see templating.py) or the default.
    A county's template was checked and tried at upload; should it still fail, the document
    is written into the default (`default`: the notice's has its table) rather than not at
    all."""
    if template is not None:
        try:
            return _render(text, template)
        except Exception:
            logger.exception("a county's document template failed; the default was used")
    return _render(text, str(default))


def attachment(name: str) -> str:
    """The Content-Disposition of a download named `name`."""
    return content_disposition_header(True, name) or "attachment"


def docx_response(text: SummaryText, stem: str, template: bytes | None = None) -> HttpResponse:
    return data_response(docx_bytes(text, template), stem, "docx", DOCX_MIME)


def data_response(data: bytes, stem: str, extension: str, mime: str) -> HttpResponse:
    """`data` as a download named "<stem>-<today>.<extension>"."""
    response = HttpResponse(data, content_type=mime)
    name = sheets.export_name(stem).removesuffix(".xlsx") + f".{extension}"
    response["Content-Disposition"] = attachment(name)
    return response


def appendix_book(facts: SummaryFacts, base_url: str = "") -> ReportBook:
    """Every figure the summary states: its label, the number as stated and exactly, the
    indicator it is (by name) and the link to the records it was computed from."""
    book = ReportBook(
        title=_("工作总结数据附表"),
        unit=facts.unit.name,
        period=facts.period.label,
        sheet_title=_("数据附表"),
        columns=[
            (_("序号"), 6), (_("数据项"), 30), (_("文中表述"), 16), (_("数值"), 12),
            (_("计量单位"), 10), (_("所属指标"), 24), (_("统计口径"), 12), (_("记录链接"), 60),
        ],
    )  # fmt: skip
    for n, figure in enumerate(facts.figures(), start=1):
        book.row([
            n, figure.label, figure.stated, figure.value, figure.measure, figure.indicator_name,
            figure.rule_label, urljoin(base_url, figure.url) if figure.url else "",
        ])  # fmt: skip
    return book
