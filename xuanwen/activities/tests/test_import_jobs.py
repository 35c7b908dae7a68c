"""Big activity imports run as background tasks (core.jobs): progress, the outcome on the page,
nothing half-written when the task dies, and each job its user's own.

The suite runs tasks with Django's immediate backend (conftest.py): the task runs inside the
request that enqueues it, so a test sees the finished job on the next page.
"""

import re
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from xuanwen.activities import services
from xuanwen.activities.excel import COLUMNS, SHEET_TITLE, XLSX_MIME
from xuanwen.activities.models import Activity
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.core import clock, jobs
from xuanwen.core.models import ImportJob
from xuanwen.testing import BaseTestCase, Tree, sheet_row, temporary_media, xlsx_bytes

from .test_excel import ROW

UNITS = [Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_A]
HEADERS = [c.header for c in COLUMNS]


def big_xlsx(rows: int, folder: Path) -> bytes:
    """A workbook of `rows` distinct activities, written row by row (write-only) and then given
    the <dimension> Excel and WPS always write, so its size is read without reading it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.append(HEADERS)
    first = date(2025, 1, 1)
    for i in range(rows):
        start = first + timedelta(days=i % 365)
        cells = {"unit": UNITS[i % 3], "title": f"送戏下乡第{i + 1}场", "start_date": start}
        sheet.append(sheet_row(COLUMNS, ROW, **cells))
    path = folder / "big.xlsx"
    book.save(path)
    return with_dimension(path, f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{rows + 1}")


def with_dimension(path: Path, ref: str) -> bytes:
    member = "xl/worksheets/sheet1.xml"
    out = path.with_suffix(".dimension.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = re.sub(
                    rb"(<sheetViews|<sheetFormatPr|<sheetData)",
                    f'<dimension ref="{ref}" />'.encode() + rb"\1",
                    data,
                    count=1,
                )
            dest.writestr(info, data)
    return out.read_bytes()


class JobTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.media = temporary_media(self)
        self.client.force_login(self.staff_a)

    def upload(self, content: bytes, name: str = "全年活动.xlsx") -> Any:
        file = SimpleUploadedFile(name, content, content_type=XLSX_MIME)
        return self.client.post(reverse("activities:import"), {"file": file})

    def only_job(self) -> ImportJob:
        return ImportJob.objects.get()

    def stashed(self) -> list[str]:
        folder = self.media / "imports"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


class BigImportTests(JobTestCase):
    def test_100000_rows_run_as_tasks_with_progress_and_are_imported(self) -> None:
        content = big_xlsx(100_000, self.media)
        reports: list[tuple[str, int, int]] = []
        write_live = jobs.write_live

        def spy(job: ImportJob, done: int) -> None:
            reports.append((job.phase, done, job.total))
            write_live(job, done)

        with mock.patch.object(jobs, "write_live", spy):
            r = self.upload(content)
            job = self.only_job()
            self.assertRedirects(r, reverse("imports:job", args=[job.pk]))
            assert (job.step, job.state, job.total) == ("preview", "done", 100_000)
            assert not Activity.objects.exists()

            # The finished preview is the import page itself, with the confirmation.
            page = self.client.get(reverse("imports:job", args=[job.pk]))
            assert page.context["total"] == 100_000
            assert len(page.context["preview"]) == 20
            assert page.context["first"] == date(2025, 1, 1)
            self.assertContains(page, "确认导入 100000 项活动")
            self.assertContains(page, "送戏下乡第1场")

            r = self.client.post(
                reverse("activities:import_confirm"), {"token": page.context["token"]}
            )
        self.assertRedirects(r, reverse("imports:job", args=[job.pk]))
        job.refresh_from_db()
        assert (job.step, job.state, job.done, job.total) == ("save", "done", 100_000, 100_000)
        assert Activity.objects.count() == 100_000
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "已从“全年活动.xlsx”导入 100000 项活动。")
        assert self.stashed() == []  # the upload and its progress file are gone

        # Progress came every thousand rows while reading (twice: the preview, then the
        # save), and from the insert while saving.
        read = [done for phase, done, _total in reports if phase == "read"]
        saved = [done for phase, done, total in reports if phase == "save" and total == 100_000]
        assert read.count(50_000) == 2 and len(read) >= 200
        assert saved == [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000,
                         90_000, 100_000]  # fmt: skip

    @override_settings(IMPORT_TASK_ROWS=100)
    def test_a_big_file_with_problems_lists_them_like_a_small_one(self) -> None:
        rows = [sheet_row(COLUMNS, ROW, title=f"第{i}场") for i in range(300)]
        rows += [sheet_row(COLUMNS, ROW, title=f"第{i}场", audience="很多") for i in range(150)]
        self.upload(xlsx_bytes(SHEET_TITLE, HEADERS, rows))
        job = self.only_job()
        assert (job.state, job.problem_count) == ("done", 150)
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "有 150 处问题，没有导入任何活动")
        self.assertContains(page, "第 302 行 第 K 列（观众人数）：“很多”不是整数。")
        self.assertContains(page, "还有 50 处问题未列出")
        assert self.stashed() == []  # a refused upload is removed at once
        self.assertContains(self.client.get(reverse("imports:list")), "有问题，未导入")

    @override_settings(IMPORT_TASK_ROWS=100)
    def test_a_small_file_is_still_imported_in_its_two_requests(self) -> None:
        rows = [sheet_row(COLUMNS, ROW, title=f"第{i}场") for i in range(100)]
        r = self.upload(xlsx_bytes(SHEET_TITLE, HEADERS, rows))
        assert r.status_code == 200 and r.context["total"] == 100
        assert not ImportJob.objects.exists()


class ProgressPageTests(JobTestCase):
    def running_job(self, **fields: Any) -> ImportJob:
        stored = default_storage.save("imports/running.xlsx", ContentFile(b"PK"))
        values = {"user": self.staff_a, "flow": "activities", "file": stored, "total": 100_000}
        return ImportJob.objects.create(filename="全年活动.xlsx", **{**values, **fields})

    def test_the_status_shows_the_progress_and_polls_every_second(self) -> None:
        job = self.running_job(state="running", phase="read")
        jobs.write_live(job, 35_000)
        r = self.client.get(reverse("imports:status", args=[job.pk]))
        self.assertContains(r, '<progress value="35000" max="100000"')
        self.assertContains(r, "读取：35000 / 100000 行")
        self.assertContains(r, 'hx-trigger="every 1s"')
        assert "HX-Refresh" not in r
        # The job's page shows the same bar and says one may leave.
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, '<progress value="35000" max="100000"')
        self.assertContains(page, "可以离开本页")
        jobs.clear_live(job)

    def test_a_save_not_yet_reporting_shows_a_moving_bar(self) -> None:
        job = self.running_job(state="running", phase="save", step="save")
        r = self.client.get(reverse("imports:status", args=[job.pk]))
        self.assertContains(r, "写入……")
        self.assertContains(r, "<progress aria-label")

    def test_a_finished_job_makes_the_page_reload(self) -> None:
        job = self.running_job(state="done", step="save", result={"message": "已导入。"})
        r = self.client.get(reverse("imports:status", args=[job.pk]))
        assert r["HX-Refresh"] == "true"
        self.assertNotContains(r, "hx-get")
        self.assertContains(self.client.get(reverse("imports:job", args=[job.pk])), "已导入。")

    def test_a_job_that_stopped_moving_lost_its_worker(self) -> None:
        job = self.running_job(state="running", phase="save", step="save")
        ImportJob.objects.filter(pk=job.pk).update(updated_at=clock.now() - timedelta(minutes=11))
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "后台处理中断")
        job.refresh_from_db()
        assert job.state == "failed"
        assert not default_storage.exists(job.file)

    def test_another_users_job_does_not_exist_for_them(self) -> None:
        job = self.running_job(state="running", phase="read")
        for user in (self.staff_b, self.admin, self.keeper):
            self.client.force_login(user)
            for name in ("imports:job", "imports:status"):
                assert self.client.get(reverse(name, args=[job.pk])).status_code == 404
            self.assertNotContains(self.client.get(reverse("imports:list")), "全年活动.xlsx")
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(reverse("imports:list")), "全年活动.xlsx")

    def test_another_users_preview_cannot_be_confirmed(self) -> None:
        job = self.running_job(state="done", phase="read", result={})
        token = self.client.get(reverse("imports:job", args=[job.pk])).context["token"]
        self.client.force_login(self.staff_b)
        r = self.client.post(reverse("activities:import_confirm"), {"token": token})
        self.assertContains(r, "预览已过期或该文件已经导入")
        job.refresh_from_db()
        assert (job.step, job.state) == ("preview", "done")


@override_settings(IMPORT_TASK_ROWS=100)
class KilledHalfwayTests(JobTestCase):
    def previewed(self, rows: int = 2_500) -> tuple[ImportJob, str]:
        self.upload(big_xlsx(rows, self.media))
        job = self.only_job()
        token = self.client.get(reverse("imports:job", args=[job.pk])).context["token"]
        return job, token

    def test_a_task_dying_after_rows_were_inserted_leaves_none(self) -> None:
        job, token = self.previewed()
        inserted: list[int] = []

        step = services.progress.step

        def die(done: int) -> None:
            if ImportJob.objects.get().phase != "save":
                return step(done)
            # The first 1,000 rows are in the table, inside the save's transaction.
            inserted.append(Activity.objects.count())
            raise MemoryError("the worker ran out of memory")

        with (
            mock.patch.object(services, "_INSERT_CHUNK", 1_000),
            mock.patch.object(services.progress, "step", die),
        ):
            self.client.post(reverse("activities:import_confirm"), {"token": token})
        assert inserted == [1_000]
        assert not Activity.objects.exists()
        assert not AuditEntry.objects.filter(action=Action.IMPORT).exists()
        job.refresh_from_db()
        assert job.state == "failed"
        assert "MemoryError" in job.error and "没有导入任何记录" in job.error
        assert self.stashed() == []  # the upload is gone
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "处理时出错（MemoryError），没有导入任何记录。")
        self.assertContains(self.client.get(reverse("imports:list")), "失败")

    def test_a_preview_is_confirmed_once(self) -> None:
        _job, token = self.previewed(rows=200)
        self.client.post(reverse("activities:import_confirm"), {"token": token})
        r = self.client.post(reverse("activities:import_confirm"), {"token": token})
        self.assertContains(r, "预览已过期或该文件已经导入")
        assert Activity.objects.count() == 200

    def test_a_file_gone_before_the_task_ran_is_named(self) -> None:
        job, _token = self.previewed(rows=200)
        default_storage.delete(job.file)
        job.step = ImportJob.Step.SAVE
        jobs.start(job)
        job.refresh_from_db()
        assert job.state == "failed" and "上传的文件已不存在" in job.error
