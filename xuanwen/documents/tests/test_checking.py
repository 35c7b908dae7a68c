import io
import zipfile

from django.test import SimpleTestCase
from docx import Document

from xuanwen.documents.build_template import TEMPLATE
from xuanwen.documents.checking import template_problems


def edited(*extra: str, drop: str = "") -> bytes:
    """The default template with paragraphs added at its end, and one removed by its text."""
    doc = Document(str(TEMPLATE))
    for p in doc.paragraphs:
        if drop and p.text == drop:
            p._p.getparent().remove(p._p)
    for text in extra:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class TemplateCheckTest(SimpleTestCase):
    def test_the_default_template_passes(self) -> None:
        assert template_problems(TEMPLATE.read_bytes()) == []

    def test_an_unknown_placeholder_is_named_with_its_paragraph(self) -> None:
        problems = template_problems(edited("联系人：{{ unknown_field }}"))
        assert len(problems) == 1
        assert "unknown_field" in problems[0] and "联系人" in problems[0]

    def test_an_unclosed_for_is_named(self) -> None:
        problems = template_problems(edited("{%p for x in sections %}"))
        assert any(
            "for" in p and "没有结束" in p and "{%p for x in sections %}" in p for p in problems
        )
        problems = template_problems(edited(drop="{%p endfor %}"))
        assert problems and "没有结束" in problems[0]

    def test_a_file_that_is_no_docx(self) -> None:
        assert "无法读取" in template_problems(b"PK\x03\x04 not really")[0]
        assert "无法读取" in template_problems("一段文字".encode())[0]

    def test_a_zip_bomb_and_broken_xml_are_unreadable(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("[Content_Types].xml", "word/document.xml"):
                archive.writestr(name, b"<" * 10 + b" " * (60 * 1024 * 1024))
        assert "无法读取" in template_problems(out.getvalue())[0]
        broken = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(edited())) as source, zipfile.ZipFile(broken, "w") as z:
            for info in source.infolist():
                body = source.read(info)
                z.writestr(
                    info,
                    b"<w:document><unclosed>" if info.filename == "word/document.xml" else body,
                )
        assert "无法读取" in template_problems(broken.getvalue())[0]
