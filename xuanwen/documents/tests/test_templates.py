"""A county's own templates: uploaded by an admin for their subtree, checked (a real .docx,
within the size, every placeholder known, every tag closed) and refused naming the problem
and where it is, used by the units below (the nearest up the line wins), reverted to the
default and put back, every change audited, another county's unit a 404."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.table import Table

from xuanwen.audit.models import Action
from xuanwen.documents.models import DocumentTemplate
from xuanwen.documents.templating import TEMPLATE_MAX_MB
from xuanwen.documents.tests.test_checking import edited
from xuanwen.testing import BaseTestCase, Tree, frozen, xlsx_bytes

PAGE = "/documents/templates/"
UPLOAD = "/documents/templates/upload/"


def upload(content: bytes, name: str = "县模板.docx") -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content)}


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def with_table(text: str) -> bytes:
    doc = Document(io.BytesIO(edited()))
    table: Table = doc.add_table(rows=2, cols=2)
    table.cell(1, 1).text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@frozen(date(2027, 1, 15))
class TemplateUploadTest(BaseTestCase):
    def post(self, content: bytes, unit: str = Tree.COUNTY, kind: str = "summary", **kw: str):  # type: ignore[no-untyped-def]
        return self.client.post(f"{UPLOAD}?unit={unit}&kind={kind}", upload(content, **kw))

    def test_an_unknown_placeholder_is_refused_naming_it_and_where(self) -> None:
        self.client.force_login(self.admin)
        r = self.post(edited("联系人：{{ unknown_field }}"))
        assert r.status_code == 400
        page = r.content.decode()
        assert "unknown_field" in page and "联系人" in page and "段" in page
        # In a table cell: the table, row and column are named.
        r = self.post(with_table("{{ unknown_field }}"))
        assert r.status_code == 400 and "表格1第2行第2列" in r.content.decode()
        assert not DocumentTemplate.objects.exists()

    def test_an_unclosed_for_is_refused_naming_it(self) -> None:
        self.client.force_login(self.admin)
        r = self.post(edited("{%p for x in sections %}"))
        assert r.status_code == 400
        page = r.content.decode()
        assert "没有结束" in page and "for x in sections" in page
        assert not DocumentTemplate.objects.exists()

    def test_only_a_real_docx_within_the_size_is_taken(self) -> None:
        self.client.force_login(self.admin)
        xlsx = xlsx_bytes("Sheet", ["a"], [["b"]])
        r = self.post(xlsx, name="模板.docx")  # a workbook renamed: judged by its content
        assert r.status_code == 400 and "不是 .docx 文件" in r.content.decode()
        r = self.post("一段文字".encode(), name="模板.docx")
        assert r.status_code == 400 and "不是允许的文件类型" in r.content.decode()
        big = edited() + b"\0" * (TEMPLATE_MAX_MB * 1024 * 1024)
        r = self.post(big)
        assert r.status_code == 400 and "太大" in r.content.decode()
        r = self.client.post(f"{UPLOAD}?unit={Tree.COUNTY}&kind=summary")  # no file at all
        assert r.status_code == 400 and "请选择" in r.content.decode()
        assert not DocumentTemplate.objects.exists()

    def test_the_county_template_is_used_below_reverted_and_put_back(self) -> None:
        self.client.force_login(self.admin)
        r = self.post(edited("临海市文化馆印发"))
        assert r.status_code == 302
        county = DocumentTemplate.objects.get()
        self.assertAudited(Action.CREATE, county)
        # A township's summary is written into the county's template.
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/documents/summary.docx?unit={Tree.TOWNSHIP_A}&period=2026")
        assert "临海市文化馆印发" in docx_text(r.content)
        page = self.client.get(f"{PAGE}?unit={Tree.TOWNSHIP_A}").content.decode()
        assert (
            "使用上级单位" in page
            and "上传" not in page.split("占位符")[0].split("下载当前模板")[1]
        )
        # A township's own template wins over the county's for its own subtree only.
        self.client.force_login(self.admin)
        assert self.post(edited("古城街道专用"), unit=Tree.TOWNSHIP_A).status_code == 302
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/documents/summary.docx?unit={Tree.TOWNSHIP_A}&period=2026")
        assert "古城街道专用" in docx_text(r.content)
        r = self.client.get(
            f"/documents/templates/template.docx?unit={Tree.VILLAGE_A}&kind=summary"
        )
        assert "古城街道专用" in docx_text(r.content)
        self.client.force_login(self.staff_b)
        r = self.client.get(f"/documents/summary.docx?unit={Tree.TOWNSHIP_B}&period=2026")
        assert "临海市文化馆印发" in docx_text(r.content)
        # The county reverts to the default: kept, retired, and put back.
        self.client.force_login(self.admin)
        r = self.client.post(f"/documents/templates/revert/?unit={Tree.COUNTY}&kind=summary")
        assert r.status_code == 302
        county.refresh_from_db()
        assert county.retired_at is not None
        self.assertAudited(Action.UPDATE, county)
        r = self.client.get(f"/documents/summary.docx?unit={Tree.TOWNSHIP_B}&period=2026")
        assert "临海市文化馆印发" not in docx_text(r.content)
        r = self.client.post(f"/documents/templates/{county.pk}/restore/")
        assert r.status_code == 302
        county.refresh_from_db()
        assert county.retired_at is None
        r = self.client.get(f"/documents/summary.docx?unit={Tree.TOWNSHIP_B}&period=2026")
        assert "临海市文化馆印发" in docx_text(r.content)

    def test_only_an_admin_may_change_and_only_in_their_scope(self) -> None:
        self.client.force_login(self.staff_a)
        assert self.post(edited(), unit=Tree.TOWNSHIP_A).status_code == 403
        r = self.client.post(f"/documents/templates/revert/?unit={Tree.TOWNSHIP_A}&kind=summary")
        assert r.status_code == 403
        self.client.force_login(self.outsider)
        for unit in (Tree.COUNTY, Tree.TOWNSHIP_A):
            assert self.client.get(f"{PAGE}?unit={unit}").status_code == 404
            r = self.client.get(f"/documents/templates/template.docx?unit={unit}&kind=summary")
            assert r.status_code == 404
            assert self.post(edited(), unit=unit).status_code == 404
        self.client.force_login(self.admin)
        assert self.post(edited()).status_code == 302
        county = DocumentTemplate.objects.get()
        self.client.force_login(self.outsider)
        assert self.client.post(f"/documents/templates/{county.pk}/restore/").status_code == 404
        assert self.post(edited(), kind="nonsense").status_code in (403, 404)

    def test_the_page_lists_every_placeholder(self) -> None:
        self.client.force_login(self.viewer)
        page = self.client.get(PAGE).content.decode()
        for name in ("title", "preamble", "sections", "signature", "dated"):
            assert f"<code>{name}</code>" in page
        assert "使用默认模板" in page
        assert 'type="file"' not in page  # a viewer reads, an admin uploads
        self.client.force_login(self.admin)
        assert 'type="file"' in self.client.get(PAGE).content.decode()
