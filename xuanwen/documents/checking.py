"""Checking a summary template a county edited in Word before it is used (#16, item 3).

Only the check is built so far: storing an accepted template for a subtree, its upload page
and using it in place of the default come next. A template is refused, with every problem
named, when it is no .docx, when a tag is broken (an unclosed `{%p for %}`, a stray
`{% endif %}`) or when it names a placeholder the summary does not give (`{{ unknown_field }}`):
never a server error at generation time.
"""

import io
import re
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError

# The summary's placeholders (writing.SummaryText.context), listed on the page for the editor.
PLACEHOLDERS = {
    "title": gettext_lazy("标题，如“古城街道2026年工作总结”"),
    "sections": gettext_lazy(
        "各部分（循环）：s.heading 一级标题（一、基本情况）；s.paragraphs 正文段落；"
        "s.parts 二级部分，part.heading 二级标题（（一）群众文化活动）、part.paragraphs 其段落"
    ),
    "signature": gettext_lazy("落款单位"),
    "dated": gettext_lazy("成文日期，如“2027年1月15日”"),
}
_TAG = re.compile(r"\{%-?\s*[prc]?\s*(for|endfor|if|endif)\b")
QUOTE_MAX = 40  # the part of a paragraph a message quotes


def _paragraphs(doc: DocxDocument) -> list[str]:
    body = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        body.extend(p.text for row in table.rows for cell in row.cells for p in cell.paragraphs)
    for section in doc.sections:
        body.extend(p.text for part in (section.header, section.footer) for p in part.paragraphs)
    return body


def _unbalanced(paragraphs: list[str]) -> list[str]:
    """Where a for or an if is not closed, or a close has no opening, by paragraph."""
    stack: list[tuple[str, int, str]] = []
    problems = []
    for n, text in enumerate(paragraphs, start=1):
        for m in _TAG.finditer(text):
            tag = m[1]
            if tag in ("for", "if"):
                stack.append((tag, n, text))
            elif stack and stack[-1][0] == tag[3:]:
                stack.pop()
            else:
                problems.append(
                    _("第%(n)d段“%(t)s”中的 %(tag)s 没有对应的开始标记。")
                    % {"n": n, "t": text[:QUOTE_MAX], "tag": tag}
                )
    for tag, n, text in stack:
        problems.append(
            _("第%(n)d段“%(t)s”中的 %(tag)s 没有结束（缺少 end%(tag)s）。")
            % {"n": n, "t": text[:QUOTE_MAX], "tag": tag}
        )
    return problems


def template_problems(data: bytes) -> list[str]:
    """Every reason to refuse `data` as a summary template, in Chinese; empty when it is fine."""
    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        return [_("无法读取该文件，请上传用 Word 或 WPS 保存的 .docx 文件。")]
    paragraphs = _paragraphs(doc)
    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except TemplateSyntaxError as exc:
        found = _unbalanced(paragraphs)
        return found or [_("模板标记有误：%(e)s") % {"e": exc.message or ""}]
    problems = []
    for name in sorted(used - set(PLACEHOLDERS)):
        where = next((n for n, t in enumerate(paragraphs, start=1) if name in t), None)
        text = paragraphs[where - 1][:QUOTE_MAX] if where else ""
        problems.append(
            _("未知的占位符“%(name)s”（第%(n)s段“%(t)s”），可用的占位符：%(known)s。")
            % {"name": name, "n": where or "?", "t": text, "known": "、".join(PLACEHOLDERS)}
        )
    return problems
