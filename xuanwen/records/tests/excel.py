"""What a register's Excel tests repeat, written once: rows of its import sheet, uploading them,
confirming the preview, downloading a template or an export. Each app's tests keep their own
assertions; this only spares them the plumbing.

    SHEET = SheetRows(excel.SHEET, {"unit": Tree.VILLAGE_A, ...})  # a valid row, cell by cell

    class ImportTests(RegisterExcelCase):
        app = "households"

        def test_...(self):
            preview = self.upload(SHEET.xlsx([SHEET.row(), SHEET.row(head="李建国")]))
"""

import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from xuanwen.accounts.models import User
from xuanwen.records.excel import RegisterSheet
from xuanwen.testing import BaseTestCase, read_xlsx, sheet_row, temporary_media, xlsx_bytes


class SheetRows:
    """Rows of a register's import sheet: `valid` is a valid row cell by cell (keyed by
    column), so a test names only the cells it is about."""

    def __init__(self, sheet: RegisterSheet[Any], valid: Mapping[str, Any]) -> None:
        self.title = sheet.title
        self.columns = sheet.columns
        self.valid = valid
        self.headers = [c.header for c in sheet.columns]

    def row(self, **values: Any) -> list[Any]:
        return sheet_row(self.columns, self.valid, **values)

    def xlsx(self, rows: list[list[Any]], headers: Sequence[str] | None = None) -> bytes:
        """The rows as a person would fill in the template (under other `headers` if given)."""
        return xlsx_bytes(self.title, self.headers if headers is None else headers, rows)


class RegisterExcelCase(BaseTestCase):
    """A register's Excel tests: `app` names its URLs ("<app>:import" …). Uploads are stored
    in a fresh MEDIA_ROOT and made as staff A unless another user is given."""

    app: str
    prefix = ""  # the URL names' prefix of an app with several imports ("teams_")

    def setUp(self) -> None:
        super().setUp()
        self.media = temporary_media(self)

    def upload(self, content: bytes, user: User | None = None, name: str = "x.xlsx") -> Any:
        """The preview of an upload."""
        self.client.force_login(user or self.staff_a)
        upload = SimpleUploadedFile(name, content)
        return self.client.post(reverse(f"{self.app}:{self.prefix}import"), {"file": upload})

    def upload_book(self, book: Workbook, user: User | None = None) -> Any:
        """The preview of uploading a downloaded workbook (an export) as it is."""
        out = io.BytesIO()
        book.save(out)
        return self.upload(out.getvalue(), user)

    def confirm(self, preview: Any) -> Any:
        """Confirm a preview by its token, as its button does."""
        token = preview.context["token"]
        return self.client.post(
            reverse(f"{self.app}:{self.prefix}import_confirm"), {"token": token}
        )

    def download(self, url: str, user: User, **params: str) -> Workbook:
        """The workbook `url` gives `user` (with the list's filters in `params`)."""
        self.client.force_login(user)
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return read_xlsx(response)
