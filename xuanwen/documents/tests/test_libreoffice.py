"""The 年度工作总结 .docx of a township with a year of records, converted to PDF by LibreOffice
headless (what a user's Word or WPS would print), read back with pdftotext: every figure of
its appendix is in the PDF's text as the document states it, and each equals the value the
indicator API gives in the same test.

CI installs LibreOffice and poppler (.ci/run) and sets CI, so there the test always runs; on a
machine without soffice it is skipped. With DOCS_IMG set to a folder, the PDF's pages are
also written there as PNGs (pdftoppm -png -r 60): the pictures in docs/img are made so.
"""

import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest

from xuanwen.core import clock
from xuanwen.documents.facts import summary_facts
from xuanwen.documents.tests.test_summary import YEAR, year_of_records
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx
from xuanwen.units.models import Unit

TOOLS = ("soffice", "pdftotext", "pdftoppm")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
CONVERT_SECONDS = 180  # a cold LibreOffice start on a busy CI machine


def flat(text: str) -> str:
    """Text without its white space: a PDF breaks lines (and may space out) anywhere."""
    return re.sub(r"\s+", "", text)


def to_pdf(docx: bytes, folder: Path) -> Path:
    source = folder / "summary.docx"
    source.write_bytes(docx)
    profile = folder / "profile"  # its own profile: runs side by side never share a lock
    subprocess.run(
        [
            "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(folder), str(source),
        ],
        check=True, capture_output=True, timeout=CONVERT_SECONDS,
    )  # fmt: skip
    return folder / "summary.pdf"


@pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),
    reason=f"LibreOffice or poppler not installed ({', '.join(MISSING)}); CI installs them",
)
class LibreOfficeTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        year_of_records()

    @frozen(date(2027, 1, 15))
    def test_the_pdf_states_every_figure_of_the_appendix_as_the_api_gives_it(self) -> None:
        self.client.force_login(self.staff_a)
        query = f"unit={Tree.TOWNSHIP_A}&period=2026"
        r = self.client.get(f"/documents/summary.docx?{query}")
        assert r.status_code == 200
        folder = Path(tempfile.mkdtemp(prefix="xuanwen-pdf-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        pdf = to_pdf(r.content, folder)
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True
        )
        text = flat(out.stdout.decode())
        assert flat("古城街道2026年工作总结") in text and "一、基本情况" in text
        appendix = read_xlsx(self.client.get(f"/documents/summary-appendix.xlsx?{query}"))
        rows = list(appendix.active.iter_rows(values_only=True))[2:]
        assert len(rows) >= 10
        township = Unit.objects.get(code=Tree.TOWNSHIP_A)
        codes = {f.label: f.code for f in summary_facts(township, YEAR, clock.today()).figures()}
        auth = self.bearer(self.staff_a)
        for _n, label, stated, value, *_rest in rows:
            code = codes[label]
            api = self.client.get(f"/api/v1/indicators/{code}/values?{query}", **auth).json()
            assert value == api["value"], label
            assert flat(str(stated)) in text, (label, stated)
        if target := os.environ.get("DOCS_IMG"):
            Path(target).mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(pdf), str(Path(target) / "summary-page")],
                check=True,
            )
