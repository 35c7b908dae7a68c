"""Completions in a data package (数据包): a duty that needs a photo or a file imports its
completions from a package that carries the evidence, and from nowhere else."""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xuanwen.core.files import check_upload
from xuanwen.duties.models import Cycle, DutyCompletion, Evidence
from xuanwen.testing import BaseTestCase, Tree, frozen, temporary_media

from .helpers import complete, make_duty

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@frozen(date(2026, 3, 20))
class CompletionPackageTests(BaseTestCase):
    def setUp(self) -> None:
        temporary_media(self)
        self.blackboard = make_duty(self.staff_a, Tree.TOWNSHIP_A, name="黑板报")
        self.report = make_duty(
            self.staff_a, Tree.TOWNSHIP_A, name="月报", cycle=Cycle.MONTHLY,
            needs_photo=False, needs_file=True,
        )  # fmt: skip
        complete(self.staff_a, self.blackboard, date(2026, 3, 2))
        complete(self.staff_a, self.blackboard, date(2026, 3, 17))
        pdf = check_upload(SimpleUploadedFile("月报.pdf", PDF))
        complete(self.staff_a, self.report, date(2026, 2, 27), uploads=[pdf])
        self.client.force_login(self.staff_a)

    def export(self, name: str) -> bytes:
        response = self.client.get(reverse(f"duties:completions_{name}"))
        self.assertEqual(response.status_code, 200)
        return b"".join(response.streaming_content)

    def upload(self, content: bytes, name: str) -> object:
        upload = SimpleUploadedFile(name, content)
        return self.client.post(reverse("duties:completions_import"), {"file": upload})

    def evidence(self) -> list[tuple[str, str, str, str]]:
        return sorted(
            (e.completion.duty.name, str(e.completion.done_on), e.kind, e.sha256)
            for e in Evidence.objects.select_related("completion__duty")
        )

    def test_a_package_brings_the_completions_back_with_their_evidence(self) -> None:
        before = self.evidence()
        content = self.export("data_package")
        DutyCompletion.all_objects.all().delete()
        preview = self.upload(content, "完成记录数据包.zip")
        self.assertFalse(preview.context.get("problems"), preview.context.get("problems_shown"))
        self.assertEqual(preview.context["total"], 3)
        done = self.client.post(
            reverse("duties:completions_import_confirm"), {"token": preview.context["token"]}
        )
        self.assertEqual(done.status_code, 302)
        self.assertEqual(self.evidence(), before)

    def test_from_a_plain_xlsx_a_completion_needing_evidence_is_refused_on_its_row(self) -> None:
        content = self.export("data_export")
        DutyCompletion.all_objects.all().delete()
        response = self.upload(content, "完成记录.xlsx")
        page = response.content.decode()
        self.assertIn("第 2 行 第 B 列（常规工作）：“黑板报”需要照片作佐证", page)
        self.assertIn("请导入含照片的数据包（.zip", page)
        self.assertIn("第 4 行 第 B 列（常规工作）：“月报”需要文件作佐证", page)
        self.assertFalse(DutyCompletion.objects.exists())

    def test_a_package_without_a_completions_evidence_names_its_row(self) -> None:
        content = self.export("data_package")
        DutyCompletion.all_objects.all().delete()
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            book = load_workbook(io.BytesIO(package.read("data.xlsx")))
            entries = {n: package.read(n) for n in package.namelist()}
        sheet = book["附件"]
        gone = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == 4]
        for row in reversed(gone):
            sheet.delete_rows(row)
        data = io.BytesIO()
        book.save(data)
        entries["data.xlsx"] = data.getvalue()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as package:
            for name, value in entries.items():
                package.writestr(name, value)
        response = self.upload(out.getvalue(), "完成记录数据包.zip")
        self.assertContains(
            response,
            "第 4 行 第 B 列（常规工作）：数据包的“附件”表中没有该次完成的佐证：该工作需要文件",
        )
        self.assertFalse(DutyCompletion.objects.exists())
        self.assertFalse(Evidence.objects.exists())
