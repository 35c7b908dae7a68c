"""Data packages (数据包, records.package and core.packages): the data export with its photos and
files, imported back from the same page as the .xlsx; a package is checked by content and
bounded, and nothing of a bad one is saved."""

import hashlib
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuanwen.accounts.models import User
from xuanwen.activities import services
from xuanwen.activities.models import Activity, Attachment
from xuanwen.activities.tests.test_data_export import make_full
from xuanwen.core.files import check_upload
from xuanwen.core.models import ImportJob
from xuanwen.demo.records import _photo
from xuanwen.facilities import services as facilities
from xuanwen.facilities.models import Facility, FacilityPhoto
from xuanwen.facilities.tests.test_data_export import make_full as make_facility
from xuanwen.records.tests.excel import RegisterExcelCase
from xuanwen.testing import Tree

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def with_files(user: User, unit: str, n: int) -> Activity:
    """An activity with every field and sub-record, a photo and a PDF."""
    activity = make_full(user, unit, n)
    services.attachment_add(user=user, activity=activity, upload=_photo(f"现场{n}"))
    pdf = SimpleUploadedFile(f"方案{n}.pdf", PDF)
    services.attachment_add(user=user, activity=activity, upload=check_upload(pdf))
    return activity


def files_of(model: Any = Attachment) -> list[tuple[str, str, str, int, str]]:
    out = []
    for x in model.objects.all():
        with x.file.open("rb") as f:
            read = hashlib.sha256(f.read()).hexdigest()
        out.append((x.original_name, getattr(x, "kind", "photo"), x.sha256, x.size, read))
    return sorted(out)


def rebuilt(content: bytes, change: Any) -> bytes:
    """A package with its entries passed through change(name, data) -> [(name, data)…]."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest,
    ):
        for name in source.namelist():
            for new_name, data in change(name, source.read(name)):
                dest.writestr(new_name, data)
    return out.getvalue()


def renamed_in_book(content: bytes, old: str, new: str) -> bytes:
    """data.xlsx's "附件" sheet naming `new` where it named `old`."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        book = load_workbook(io.BytesIO(package.read("data.xlsx")))
    sheet = book["附件"]
    for row in sheet.iter_rows(min_row=2):
        if row[4].value == old:
            row[4].value = new
    data = io.BytesIO()
    book.save(data)
    return rebuilt(content, lambda name, d: [(name, data.getvalue() if name == "data.xlsx" else d)])


class PackageTests(RegisterExcelCase):
    app = "activities"

    def package(self, user: User | None = None, url: str = "activities:data_package") -> bytes:
        self.client.force_login(user or self.staff_a)
        response = self.client.get(reverse(url))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn(".zip", response["Content-Disposition"])
        return b"".join(response.streaming_content)

    def wipe(self) -> None:
        Activity.all_objects.all().delete()

    def exported(self) -> bytes:
        """The package of an activity with a photo and a PDF, the activity deleted since."""
        with_files(self.staff_a, Tree.VILLAGE_A, 1)
        content = self.package()
        self.wipe()
        return content

    def refused(self, content: bytes, *expected: str) -> None:
        """The package is refused with these words, and nothing is saved."""
        response = self.upload(content, name="活动数据包.zip")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("token", response.context)
        page = response.content.decode()
        for text in expected:
            self.assertIn(text, page)
        self.assertFalse(Activity.objects.exists())
        self.assertFalse(Attachment.objects.exists())

    def test_the_package_imports_back_with_its_files(self) -> None:
        with_files(self.staff_a, Tree.VILLAGE_A, 1)
        with_files(self.staff_a, Tree.TOWNSHIP_A, 2)
        before = files_of()
        self.assertEqual(len(before), 4)
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("activities:list"))
        self.assertContains(page, "导出数据包（含照片和附件）")
        self.assertContains(page, reverse("activities:data_package"))
        content = self.package()
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            self.assertEqual(len(package.namelist()), 5)  # data.xlsx and the four files
            book = load_workbook(io.BytesIO(package.read("data.xlsx")))
        self.assertEqual(book["附件"].max_row, 5)
        # The plain data export stays as it was: no "附件" sheet.
        plain = self.download(reverse("activities:data_export"), self.staff_a)
        self.assertNotIn("附件", plain.sheetnames)
        self.wipe()
        preview = self.upload(content, name="活动数据包.zip")
        self.assertFalse(preview.context.get("problems"), preview.context.get("problems_shown"))
        done = self.confirm(preview)
        self.assertEqual(done.status_code, 302)
        self.assertEqual(files_of(), before)
        photo = Attachment.objects.get(kind="photo", original_name="现场1.jpg")
        self.assertTrue(photo.thumbnail)  # made as an upload makes it
        self.assertEqual(photo.content_type, "image/jpeg")

    def test_a_renamed_exe_is_refused_by_content(self) -> None:
        content = self.exported()
        bad = rebuilt(
            content,
            lambda name, d: [(name, EXE if name.endswith(".pdf") else d)],
        )
        self.refused(bad, "表“附件”第 3 行 第 E 列（包内路径）：“方案1.pdf”不是允许的文件类型")

    def test_a_missing_file_names_its_row(self) -> None:
        content = self.exported()
        bad = rebuilt(content, lambda name, d: [] if name.endswith(".pdf") else [(name, d)])
        self.refused(bad, "表“附件”第 3 行 第 E 列（包内路径）：数据包中没有文件")

    def test_a_damaged_entry_is_named(self) -> None:
        content = self.exported()
        # The PDF is stored as it is: a byte changed breaks its checksum.
        self.assertEqual(content.count(b"endobj"), 1)
        self.refused(content.replace(b"endobj", b"endobX"), "已损坏，无法读取")

    def test_a_path_climbing_out_is_refused(self) -> None:
        content = self.exported()
        bad = rebuilt(
            content,
            lambda name, d: [("../../etc/x.pdf" if name.endswith(".pdf") else name, d)],
        )
        self.refused(bad, "数据包中的文件名“../../etc/x.pdf”不安全")
        absolute = rebuilt(
            content, lambda name, d: [("/var/x.pdf" if name.endswith(".pdf") else name, d)]
        )
        self.refused(absolute, "不安全")

    @override_settings(UPLOAD_MAX_MB=1)
    def test_an_oversize_entry_is_refused_before_it_is_unpacked(self) -> None:
        content = self.exported()
        # 30 MB of zeros packs into some 30 KB: a zip bomb's entry.
        bomb = b"\x00" * (30 * 1024 * 1024)
        bad = rebuilt(content, lambda name, d: [(name, bomb if name.endswith(".pdf") else d)])
        self.assertLess(len(bad), 200_000)
        self.refused(bad, "太大：单个文件不能超过 1 MB")

    @override_settings(PACKAGE_UNPACKED_MAX_MB=1)
    def test_a_package_unpacking_to_too_much_is_refused(self) -> None:
        content = self.exported()

        def padded(name: str, d: bytes) -> list[tuple[str, bytes]]:
            extra = [(f"files/pad{i}.pdf", PDF + b"\x00" * 600_000) for i in range(2)]
            return [(name, d), *(extra if name == "data.xlsx" else [])]

        self.refused(rebuilt(content, padded), "数据包解压后过大")

    @override_settings(PACKAGE_FILES_MAX=3)
    def test_too_many_entries_are_refused(self) -> None:
        with_files(self.staff_a, Tree.VILLAGE_A, 1)
        with_files(self.staff_a, Tree.VILLAGE_A2, 2)
        content = self.package()
        self.wipe()
        self.refused(content, "数据包中的文件过多（5 个），一个数据包最多 3 个")

    def test_an_archive_inside_is_refused(self) -> None:
        content = self.exported()
        bad = renamed_in_book(
            rebuilt(content, lambda name, d: [(name.replace(".pdf", ".zip"), d)]),
            "files/0000002-2.pdf",
            "files/0000002-2.zip",
        )
        self.refused(bad, "数据包中不能再含压缩包")

    def test_a_zip_that_is_no_package_and_a_broken_one(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("readme.txt", "hello")
        self.refused(out.getvalue(), "数据包中没有 data.xlsx")
        self.refused(b"PK\x03\x04" + b"\x00" * 100, "请上传 Excel 的 .xlsx 文件")

    def test_a_bad_file_found_at_the_save_saves_nothing(self) -> None:
        """The stored package is read again at the confirmation: a file refused then (the
        rules changed, say) undoes the whole import and leaves no file behind."""
        content = self.exported()
        preview = self.upload(content, name="活动数据包.zip")
        self.assertTrue(preview.context.get("token"))
        media_before = sorted(p.name for p in (self.media / "activities").rglob("*"))
        with override_settings(UPLOAD_MAX_MB=0):
            response = self.confirm(preview)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "表“附件”第 2 行")
        self.assertFalse(Activity.objects.exists())
        media_after = sorted(p.name for p in (self.media / "activities").rglob("*"))
        self.assertEqual(media_after, media_before)

    def test_a_plain_workbook_listing_files_is_refused(self) -> None:
        content = self.exported()
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            book = package.read("data.xlsx")
        response = self.upload(book)
        self.assertContains(response, "“附件”表列出的照片和文件不在 Excel 文件中")
        self.assertFalse(Activity.objects.exists())

    def test_its_queries_do_not_grow_with_the_records(self) -> None:
        with_files(self.staff_a, Tree.TOWNSHIP_A, 3)  # one reaching villages (a prefetch more)
        self.client.force_login(self.admin)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.package(self.admin)
            return len(captured)

        few = queries()
        with_files(self.staff_a, Tree.VILLAGE_A, 1)
        with_files(self.staff_a, Tree.VILLAGE_A2, 2)
        self.assertEqual(queries(), few)

    def test_a_township_user_gets_only_their_subtree(self) -> None:
        with_files(self.staff_a, Tree.VILLAGE_A, 1)
        with_files(self.staff_b, Tree.TOWNSHIP_B, 2)
        content = self.package(self.staff_b)
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
            book = load_workbook(io.BytesIO(package.read("data.xlsx")))
        self.assertEqual(len(names), 3)
        self.assertEqual(book["活动"].max_row, 2)
        self.assertEqual(
            {row[3] for row in book["附件"].iter_rows(min_row=2, values_only=True)},
            {"现场2.jpg", "方案2.pdf"},
        )

    @override_settings(IMPORT_TASK_ROWS=10)
    def test_a_package_with_many_files_runs_in_the_background(self) -> None:
        with_files(self.staff_a, Tree.VILLAGE_A, 1)
        before = files_of()
        content = self.package()
        self.wipe()
        response = self.upload(content, name="活动数据包.zip")
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("imports:job", args=[job.pk]))
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertTrue(page.context.get("token"), page.context.get("problems_shown"))
        done = self.client.post(
            reverse("activities:import_confirm"), {"token": page.context["token"]}
        )
        self.assertRedirects(done, reverse("imports:job", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual((job.step, job.state, job.problem_count), ("save", "done", 0))
        self.assertEqual(files_of(), before)


class FacilityPackageTests(RegisterExcelCase):
    app = "facilities"

    def test_photos_travel_and_a_document_is_refused(self) -> None:
        facility = make_facility(self.staff_a, Tree.VILLAGE_A, 1)
        facilities.photo_add(user=self.staff_a, facility=facility, upload=_photo("站舍"))
        before = files_of(FacilityPhoto)
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("facilities:data_package"))
        content = b"".join(response.streaming_content)
        Facility.all_objects.all().delete()
        # A PDF where the photo was: a facility takes photos only.
        bad = rebuilt(content, lambda name, d: [(name, PDF if name.endswith(".jpg") else d)])
        response = self.upload(bad, name="阵地数据包.zip")
        self.assertContains(response, "表“附件”第 2 行 第 E 列（包内路径）")
        self.assertContains(response, "不是照片")
        self.assertFalse(Facility.objects.exists())
        preview = self.upload(content, name="阵地数据包.zip")
        self.assertFalse(preview.context.get("problems"), preview.context.get("problems_shown"))
        self.assertEqual(self.confirm(preview).status_code, 302)
        self.assertEqual(files_of(FacilityPhoto), before)
