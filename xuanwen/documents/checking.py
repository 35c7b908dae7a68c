"""Checking a document template a county edited in Word before it is used (#16, item 3;
templating.py stores it).

A template is refused, with every problem named and where it is (the paragraph of the body,
the cell of a table, the header or footer), when it is no .docx, when a tag is broken (an
unclosed `{%p for %}`, a stray `{% endif %}`), when it names a placeholder the documents do
not give (`{{ unknown_field }}`) or when a trial render with sample text fails: never a server
error at generation time.
"""

import io
import re
import zipfile
from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError
from lxml.etree import XMLSyntaxError

# The summary's placeholders (writing.SummaryText.context), listed on the page for the editor.
PLACEHOLDERS = {
    "title": gettext_lazy("标题，如“古城街道2026年工作总结”"),
    "preamble": gettext_lazy("前言段落（循环，总结中为空；计划草稿中为上年计划的前言）"),
    "sections": gettext_lazy(
        "各部分（循环）：s.heading 一级标题（一、基本情况）；s.paragraphs 正文段落；"
        "s.parts 二级部分，part.heading 二级标题（（一）群众文化活动）、part.paragraphs 其段落"
    ),
    "signature": gettext_lazy("落款单位"),
    "dated": gettext_lazy("成文日期，如“2027年1月15日”"),
}
# The notice's (notice.NoticeText.context): the summary's and its results table.
NOTICE_PLACEHOLDERS = {
    **PLACEHOLDERS,
    "rows": gettext_lazy(
        "考核结果通报的表格行（在表格中用 {%tr for r in rows %} 循环）：r.rank 名次、r.unit 单位、"
        "r.total 总分、r.grade 等次、r.reward 奖励"
    ),
}


def placeholders(kind: str) -> Mapping[str, object]:
    """The placeholders a template of the document `kind` may use."""
    return NOTICE_PLACEHOLDERS if kind == "notice" else PLACEHOLDERS


_TAG = re.compile(r"\{%-?\s*[prc]?\s*(for|endfor|if|endif)\b")
QUOTE_MAX = 40
# What a template's parts may unpack to: the default is 40 KB, a page of pictures a few MB.
UNPACKED_MAX = 50 * 1024 * 1024  # the part of a paragraph a message quotes


# A document's context with a bit of everything, for the trial render.
SAMPLE = {
    "title": "某某镇2026年工作总结",
    "preamble": ["前言。"],
    "sections": [
        {"heading": "一、基本情况", "paragraphs": ["正文。"],
         "parts": [{"heading": "（一）群众文化活动", "paragraphs": ["正文。"]}]},
    ],
    "signature": "某某镇",
    "dated": "2027年1月15日",
}  # fmt: skip
NOTICE_SAMPLE = {
    **SAMPLE,
    "rows": [
        {"rank": 1, "unit": "某某镇", "total": "95.5", "grade": "优秀", "reward": "奖励5000元"}
    ],
}


def _paragraphs(doc: DocxDocument) -> list[tuple[str, str]]:
    """(where, text) of every paragraph: 第3段 of the body, 表格1第2行第1列, 页眉, 页脚."""
    body = [(_("第%(n)d段") % {"n": n}, p.text) for n, p in enumerate(doc.paragraphs, start=1)]
    for t, table in enumerate(doc.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                where = _("表格%(t)d第%(r)d行第%(c)d列") % {"t": t, "r": r, "c": c}
                body.extend((where, p.text) for p in cell.paragraphs)
    for section in doc.sections:
        body.extend((_("页眉"), p.text) for p in section.header.paragraphs)
        body.extend((_("页脚"), p.text) for p in section.footer.paragraphs)
    return body


def _unbalanced(paragraphs: list[tuple[str, str]]) -> list[str]:
    """Where a for or an if is not closed, or a close has no opening, by paragraph."""
    stack: list[tuple[str, str, str]] = []
    problems = []
    for where, text in paragraphs:
        for m in _TAG.finditer(text):
            tag = m[1]
            if tag in ("for", "if"):
                stack.append((tag, where, text))
            elif stack and stack[-1][0] == tag[3:]:
                stack.pop()
            else:
                problems.append(
                    _("%(w)s“%(t)s”中的 %(tag)s 没有对应的开始标记。")
                    % {"w": where, "t": text[:QUOTE_MAX], "tag": tag}
                )
    for tag, where, text in stack:
        problems.append(
            _("%(w)s“%(t)s”中的 %(tag)s 没有结束（缺少 end%(tag)s）。")
            % {"w": where, "t": text[:QUOTE_MAX], "tag": tag}
        )
    return problems


def template_problems(data: bytes, kind: str = "summary") -> list[str]:
    """Every reason to refuse `data` as a template of `kind`, in Chinese; empty when fine."""
    known = placeholders(kind)
    unreadable = [_("无法读取该文件，请上传用 Word 或 WPS 保存的 .docx 文件。")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return unreadable
    if unpacked > UNPACKED_MAX:  # a few KB that unpack to gigabytes: a zip bomb
        return unreadable
    try:
        doc = Document(io.BytesIO(data))
        paragraphs = _paragraphs(doc)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        return unreadable
    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except TemplateSyntaxError as exc:
        found = _unbalanced(paragraphs)
        return found or [_("模板标记有误：%(e)s") % {"e": exc.message or ""}]
    except Exception:
        return unreadable
    problems = []
    for name in sorted(used - set(known)):
        where, text = next(((w, t) for w, t in paragraphs if name in t), (_("某处"), ""))
        problems.append(
            _("未知的占位符“%(name)s”（%(w)s“%(t)s”），可用的占位符：%(known)s。")
            % {"name": name, "w": where, "t": text[:QUOTE_MAX], "known": "、".join(known)}
        )
    if problems:
        return problems
    try:
        trial = DocxTemplate(io.BytesIO(data))
        trial.render(NOTICE_SAMPLE if kind == "notice" else SAMPLE, autoescape=True)
        trial.save(io.BytesIO())
    except Exception as exc:
        return [_("模板无法生成文档（%(e)s），请检查其中的占位符和标记。") % {"e": exc}]
    return []
