"""The county's townships' summaries as one .zip through a background task (its page, its
progress, its download), the statistics tables, and the documents API: every figure the
indicators', everything scoped (another county's unit, another user's job: 404)."""

import io
import zipfile
from datetime import date
from typing import Any

from docx import Document

from xuanwen.documents.models import DocumentJob
from xuanwen.documents.tests.test_summary import township_year
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx
from xuanwen.units.models import Unit

QUERY = f"unit={Tree.COUNTY}&period=2026"


@frozen(date(2027, 1, 15))
class ZipJobTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with frozen(date(2026, 12, 20)):
            township_year()
            township_year(Tree.TOWNSHIP_B, tag="乙")

    def members(self, content: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def test_the_zip_is_made_in_the_background_with_its_progress(self) -> None:
        self.client.force_login(self.supervisor)
        r = self.client.post(f"/documents/zip/?{QUERY}")
        assert r.status_code == 302
        job = DocumentJob.objects.get()
        assert r["Location"] == f"/documents/jobs/{job.pk}/"
        # The test backend runs the task at once: it is done, every township counted.
        assert (job.state, job.done, job.total) == ("done", 2, 2)
        page = self.client.get(r["Location"]).content.decode()
        assert f"/documents/jobs/{job.pk}/download.zip" in page
        status = self.client.get(f"/documents/jobs/{job.pk}/status/")
        assert status.status_code == 200 and status["HX-Refresh"] == "true"
        r = self.client.get(f"/documents/jobs/{job.pk}/download.zip")
        assert r.status_code == 200 and r["Content-Type"] == "application/zip"
        members = self.members(b"".join(r.streaming_content))  # type: ignore[attr-defined]
        county = Unit.objects.get(code=Tree.COUNTY).name
        docx = ["古城街道2026年工作总结.docx", "大洋街道2026年工作总结.docx"]
        assert set(members) == {*docx, f"{county}2026年统计报表.xlsx"}
        texts = [
            "\n".join(p.text for p in Document(io.BytesIO(members[n])).paragraphs) for n in docx
        ]
        assert all("一、基本情况" in t for t in texts)
        assert any("迎春文艺汇演乙" in t for t in texts)

    def test_a_running_job_shows_its_bar(self) -> None:
        job = DocumentJob.objects.create(
            user=self.supervisor, unit_id=Tree.COUNTY, period="2026", language="zh-hans",
            state=DocumentJob.State.RUNNING, done=1, total=2,
        )  # fmt: skip
        self.client.force_login(self.supervisor)
        page = self.client.get(f"/documents/jobs/{job.pk}/").content.decode()
        assert 'value="1" max="2"' in page and "hx-get" in page
        assert self.client.get(f"/documents/jobs/{job.pk}/download.zip").status_code == 404

    def test_a_village_has_nothing_to_zip(self) -> None:
        self.client.force_login(self.keeper)
        r = self.client.post(f"/documents/zip/?unit={Tree.VILLAGE_A}&period=2026")
        assert r.status_code == 400 and "没有下级单位" in r.content.decode()
        assert not DocumentJob.objects.exists()

    def test_another_countys_unit_or_another_users_job_is_a_404(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.post(f"/documents/zip/?{QUERY}").status_code == 404
        r = self.api("POST", "/api/v1/documents/jobs/", self.outsider,
                     {"unit": Tree.COUNTY, "period": "2026"})  # fmt: skip
        assert r.status_code == 404 and r.json()["detail"]
        assert not DocumentJob.objects.exists()
        self.client.force_login(self.supervisor)
        self.client.post(f"/documents/zip/?{QUERY}")
        job = DocumentJob.objects.get()
        for user in (self.outsider, self.admin):  # the admin's scope, but not their job
            self.client.force_login(user)
            for path in ("", "status/", "download.zip"):
                assert self.client.get(f"/documents/jobs/{job.pk}/{path}").status_code == 404
            r = self.api("GET", f"/api/v1/documents/jobs/{job.pk}/download", user)
            assert r.status_code == 404
            assert self.api("GET", f"/api/v1/documents/jobs/{job.pk}", user).status_code == 404

    def test_the_api_starts_a_job_and_serves_its_zip(self) -> None:
        r = self.api("POST", "/api/v1/documents/jobs/", self.supervisor,
                     {"unit": Tree.COUNTY, "period": "2026"})  # fmt: skip
        assert r.status_code == 202, r.content
        body = r.json()
        assert (body["state"], body["done"], body["total"]) == ("done", 2, 2)
        job = self.api("GET", f"/api/v1/documents/jobs/{body['id']}", self.supervisor).json()
        r = self.api("GET", job["download_url"], self.supervisor)
        assert r.status_code == 200
        assert len(self.members(b"".join(r.streaming_content))) == 3  # type: ignore[attr-defined]

    def test_the_api_gives_any_document_and_bounds_its_parameters(self) -> None:
        auth = self.bearer(self.staff_a)
        for document, mime in (("summary", "wordprocessingml"), ("appendix", "spreadsheetml"),
                               ("statistics", "spreadsheetml")):  # fmt: skip
            r = self.client.get(
                f"/api/v1/documents/{document}?unit={Tree.TOWNSHIP_A}&period=2026", **auth
            )
            assert r.status_code == 200 and mime in r["Content-Type"], document
        r = self.client.get(f"/api/v1/documents/plan?unit={Tree.TOWNSHIP_A}&period=2026", **auth)
        assert r.status_code == 400 and "没有2026年的年度工作计划" in r.json()["detail"]
        for bad in (
            "period=2026-Q1",
            "period=20261",
            "period=" + "9" * 30,
            "period=2026&unit=x" * 3,
        ):
            r = self.client.get(f"/api/v1/documents/summary?{bad}", **auth)
            assert r.status_code in (400, 404, 422), (bad, r.status_code)
        r = self.client.get("/api/v1/documents/nonsense?period=2026", **auth)
        assert r.status_code == 404 and "没有这种文档" in r.json()["detail"]
        outsider = self.bearer(self.outsider)
        r = self.client.get(
            f"/api/v1/documents/summary?unit={Tree.TOWNSHIP_A}&period=2026", **outsider
        )
        assert r.status_code == 404 and r.json()["detail"]


@frozen(date(2027, 1, 15))
class StatisticsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with frozen(date(2026, 12, 20)):
            township_year()

    def sheets(self, unit: str = Tree.COUNTY) -> dict[str, list[tuple[Any, ...]]]:
        self.client.force_login(self.admin)
        r = self.client.get(f"/documents/statistics.xlsx?unit={unit}&period=2026")
        assert r.status_code == 200
        book = read_xlsx(r)
        return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}

    def test_a_sheet_per_domain_a_row_per_child_and_the_indicators_totals(self) -> None:
        sheets = self.sheets()
        assert list(sheets)[:3] == ["群众文化活动", "文化阵地建设", "免费开放"]
        rows = sheets["群众文化活动"]
        assert "群众文化活动统计表" in rows[0][0] and "2026年" in rows[0][0]
        assert rows[1][0] == "下级单位"
        names = [r[0] for r in rows[2:]]
        assert names[:2] == ["古城街道", "大洋街道"] and names[-1] == "合计"
        auth = self.bearer(self.admin)
        headers = rows[1]
        api = self.client.get(
            f"/api/v1/indicators/activities.count/values?unit={Tree.COUNTY}&period=2026&by=child",
            **auth,
        ).json()
        column = headers.index("活动总次数（次）")
        assert rows[-1][column] == api["value"]
        assert [r[column] for r in rows[2:4]] == [c["value"] for c in api["children"]]

    def test_the_queries_do_not_grow_with_the_townships_records(self) -> None:
        self.client.force_login(self.admin)
        url = "/documents/statistics.xlsx"
        params = {"unit": Tree.COUNTY, "period": "2026"}
        with frozen(date(2026, 12, 20)):
            self.assertQueriesDoNotGrow(url, lambda: township_year(Tree.TOWNSHIP_B, "乙"), params)

    def test_another_countys_unit_is_a_404(self) -> None:
        self.client.force_login(self.outsider)
        r = self.client.get(f"/documents/statistics.xlsx?unit={Tree.COUNTY}&period=2026")
        assert r.status_code == 404
