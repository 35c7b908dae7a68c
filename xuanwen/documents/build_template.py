"""Writes the default summary template, docx/summary.docx, in the GB/T 9704-2012 layout.

Run it after changing the layout and commit the file it writes::

    .venv/bin/python -m xuanwen.documents.build_template

The template is what a county would later download and edit in Word or WPS: its placeholders
are docxtpl's (`{{ title }}`, `{%p for s in sections %}` …, see writing.SummaryText.context),
each in a paragraph of the style it is written in. Fonts are named, never embedded: Word and
WPS on users' machines have them, and elsewhere a fallback renders.

GB/T 9704-2012: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the title in
方正小标宋简体 二号 (22 pt) centred; the body in 仿宋_GB2312 三号 (16 pt); 一、 headings in
黑体, （一） headings in 楷体_GB2312; 22 lines a page (a fixed line pitch of 28.95 pt); page
numbers "— 1 —" in 宋体 四号 (14 pt) at the foot.
"""

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

TEMPLATE = Path(__file__).parent / "docx" / "summary.docx"
# The assessment notice (notice.py): the same layout and placeholders, and its results table.
NOTICE_TEMPLATE = Path(__file__).parent / "docx" / "notice.docx"
# (header, placeholder, width in mm): the 156 mm of text, the reward's words the widest.
NOTICE_COLUMNS = [("名次", "rank", 16), ("单位", "unit", 42), ("总分", "total", 22),
                  ("等次", "grade", 22), ("奖励", "reward", 54)]  # fmt: skip

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# Style names: what the tests and a county's edited template look for.
TITLE = "公文标题"
HEADING = "公文一级标题"
SUBHEADING = "公文二级标题"
BODY = "公文正文"
SIGNATURE = "公文落款"
TITLE_CAPTION = "公文表题"
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm of text


def set_font(style: ParagraphStyle, name: str, size: float) -> None:
    """The style's font by name for Latin and East Asian text alike."""
    style.font.name = name
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _style(doc: object, name: str, font: str, size: float) -> ParagraphStyle:
    styles = doc.styles  # type: ignore[attr-defined]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    set_font(style, font, size)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    return style


def _page_number(paragraph: Paragraph) -> None:
    """ "— N —" with N a PAGE field, so Word and WPS number every page."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —")


def _results_table(doc: object, before: Paragraph) -> None:
    """The notice's table, a row per result (docxtpl's {%tr %} repeats the row), put before
    the signature."""
    table = doc.add_table(rows=3, cols=len(NOTICE_COLUMNS))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    for i, (header, key, _width) in enumerate(NOTICE_COLUMNS):
        table.rows[0].cells[i].text = header
        table.rows[1].cells[i].text = f"{{{{ r.{key} }}}}"
    table.rows[1].cells[0].text = "{%tr for r in rows %}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    # The loop tags need rows of their own: the tag rows and the repeated one.
    loop = table.add_row()
    for i, (_header, key, _width) in enumerate(NOTICE_COLUMNS):
        loop.cells[i].text = f"{{{{ r.{key} }}}}"
    # Both the grid (what LibreOffice reads) and each cell (what Word reads).
    for column, (_header, _key, width) in zip(table.columns, NOTICE_COLUMNS, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    rows = table._tbl.tr_lst
    rows[1].addnext(rows[3])  # header, {%tr for %}, the row, {%tr endfor %}
    before._p.addprevious(table._tbl)
    # Its caption, which the results paragraph points to (notice.py: 见下方一览表).
    caption = before.insert_paragraph_before("考核结果一览表", style=TITLE_CAPTION)
    table._tbl.addprevious(caption._p)


def build(target: Path = TEMPLATE) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    set_font(doc.styles["Normal"], BODY_FONT, 16)
    title = _style(doc, TITLE, TITLE_FONT, 22)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = LINE_PITCH
    _style(doc, HEADING, HEADING_FONT, 16).paragraph_format.first_line_indent = Pt(32)
    _style(doc, SUBHEADING, SUBHEADING_FONT, 16).paragraph_format.first_line_indent = Pt(32)
    _style(doc, BODY, BODY_FONT, 16).paragraph_format.first_line_indent = Pt(32)
    sign = _style(doc, SIGNATURE, BODY_FONT, 16)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.right_indent = Pt(64)
    _style(
        doc, TITLE_CAPTION, HEADING_FONT, 16
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_style = _style(doc, "公文页码", PAGE_NUMBER_FONT, 14)
    footer_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    lines = [
        (TITLE, "{{ title }}"),
        (BODY, "{%p for text in preamble %}"),
        (BODY, "{{ text }}"),
        (BODY, "{%p endfor %}"),
        (BODY, "{%p for s in sections %}"),
        (HEADING, "{{ s.heading }}"),
        (BODY, "{%p for text in s.paragraphs %}"),
        (BODY, "{{ text }}"),
        (BODY, "{%p endfor %}"),
        (BODY, "{%p for part in s.parts %}"),
        (SUBHEADING, "{{ part.heading }}"),
        (BODY, "{%p for text in part.paragraphs %}"),
        (BODY, "{{ text }}"),
        (BODY, "{%p endfor %}"),
        (BODY, "{%p endfor %}"),
        (BODY, "{%p endfor %}"),
        (SIGNATURE, "{{ signature }}"),
        (SIGNATURE, "{{ dated }}"),
    ]
    first = doc.paragraphs[0] if doc.paragraphs else None
    for style, text in lines:
        if first is not None:
            first.text, first.style, first = text, doc.styles[style], None
        else:
            doc.add_paragraph(text, style=style)
    if target == NOTICE_TEMPLATE:
        _results_table(doc, doc.paragraphs[-2])
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["公文页码"]
    _page_number(footer)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target


if __name__ == "__main__":
    print(build())
    print(build(NOTICE_TEMPLATE))
