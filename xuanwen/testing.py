"""The shared base for tests: a small real tree and the personas who work in it.

    浙江省 33 › 台州市 3310 › 临海市 331082 (the county)
        古城街道 331082001 (township A) › 文化社区 331082001001, 井头社区 331082001002
        大洋街道 331082002 (township B) › 府东社区 331082002001
    温岭市 331081 (another county) › 太平街道 331081001

Personas: `admin` and `supervisor` and `viewer` of the county, `staff_a` of township A,
`staff_b` of township B, `keeper` of a village in A, `projectionist` of township A, and
`outsider`, staff of the other county. `unbound` is staff bound to no unit (not among
`personas()`: the scope walk walks it on its own).

Time: the code reads the date and time only through `xuanwen.core.clock`. A test whose outcome
depends on the date sets it with `frozen(date(2026, 11, 27))`, as a class decorator (on a
TestCase it covers setUpTestData too), on a test function or method, or as a `with` block;
dates inside the test are then written relative to that day, never to the real one. It moves
the system clock (time-machine), so the clock module, Django's timestamps (auto_now, sessions)
and the working-day calendar all agree; there is no per-module "today" to patch. Tests that do
not set the date must pass on any day: `.ci/run` runs the suite again on 2028-02-29, a leap day
in a year the built-in working-day calendar does not know.
"""

import io
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, ClassVar, Final
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xuanwen.accounts.models import Role, User
from xuanwen.accounts.services import token_create
from xuanwen.audit.models import AuditEntry
from xuanwen.core.sheets import Column
from xuanwen.core.text import pinyin_of
from xuanwen.units.models import Unit

TREE = [
    ("33", "浙江省"),
    ("3310", "台州市"),
    ("331081", "温岭市"),
    ("331081001", "太平街道"),
    ("331082", "临海市"),
    ("331082001", "古城街道"),
    ("331082001001", "文化社区"),
    ("331082001002", "井头社区"),
    ("331082002", "大洋街道"),
    ("331082002001", "府东社区"),
]


class Tree:
    """The codes of the test tree's units, by their part in the tests. Every test module imports
    this one name and writes `Tree.TOWNSHIP_A`, rather than a list of constants that each
    module would repeat."""

    COUNTY: Final = "331082"
    TOWNSHIP_A: Final = "331082001"
    TOWNSHIP_B: Final = "331082002"
    VILLAGE_A: Final = "331082001001"
    VILLAGE_A2: Final = "331082001002"
    VILLAGE_B: Final = "331082002001"
    OTHER_COUNTY: Final = "331081"
    OTHER_TOWNSHIP: Final = "331081001"


# Who the tests sign in as: login name → (unit, role), and each persona's 姓名, which is what
# pages and the audit log show for them.
PERSONAS: Final = {
    "admin": (Tree.COUNTY, Role.ADMIN),
    "supervisor": (Tree.COUNTY, Role.SUPERVISOR),
    "viewer": (Tree.COUNTY, Role.VIEWER),
    "staff_a": (Tree.TOWNSHIP_A, Role.STAFF),
    "staff_b": (Tree.TOWNSHIP_B, Role.STAFF),
    "keeper": (Tree.VILLAGE_A, Role.VILLAGE_ADMIN),
    "projectionist": (Tree.TOWNSHIP_A, Role.PROJECTIONIST),
    "outsider": (Tree.OTHER_COUNTY, Role.STAFF),
}
PERSONA_NAMES: Final = {
    "admin": "赵管理",
    "supervisor": "钱主管",
    "viewer": "孙晓",
    "staff_a": "李文",
    "staff_b": "周宁",
    "keeper": "吴村管",
    "projectionist": "郑放映",
    "outsider": "王远",
    "unbound": "冯一",
}

# The hour a frozen day starts at: mid-morning in the deployment's time zone, so the local
# date is the same in UTC and a test's few seconds cannot cross midnight.
FROZEN_HOUR = time(10)


def frozen(when: date | datetime) -> time_machine.travel:
    """Set the clock to `when` for a test class, a test or a `with` block.

    A date means FROZEN_HOUR that day in settings.TIME_ZONE; a naive datetime is read in that
    zone too. The day is fixed; the clock runs on from there (tick), so timestamps written one
    after the other still differ and order as they would in life.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    if not isinstance(when, datetime):
        when = datetime.combine(when, FROZEN_HOUR)
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    # Given as UTC, time-machine leaves the process's time zone alone (Django set it already).
    return time_machine.travel(when.astimezone(ZoneInfo("UTC")), tick=True)


def temporary_media(test: SimpleTestCase) -> Path:
    """A fresh, empty MEDIA_ROOT for one test, removed (with what the test stored) after it."""
    media = Path(tempfile.mkdtemp(prefix="xuanwen-media-"))
    test.addCleanup(shutil.rmtree, media, ignore_errors=True)
    override = override_settings(MEDIA_ROOT=media)
    override.enable()
    test.addCleanup(override.disable)
    return media


def xlsx_bytes(title: str, headers: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A one-sheet workbook as a person would fill in a template: its sheet, a header row, rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for values in [headers, *rows]:
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_upload(
    name: str, title: str, headers: Sequence[object], rows: Iterable[Sequence[object]]
) -> SimpleUploadedFile:
    """The same workbook as the file field of an upload form receives it."""
    return SimpleUploadedFile(name, xlsx_bytes(title, headers, rows))


def sheet_row(columns: Iterable[Column], cells: Mapping[str, Any], **values: Any) -> list[Any]:
    """A data row in the columns' order: a module's valid `cells`, with `values` over them, so a
    test names only the cells it is about."""
    row = {**cells, **values}
    return [row[column.key] for column in columns]


def read_xlsx(response: Any) -> Workbook:
    """The workbook a download (a streaming response) carries."""
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def make_tree(rows: list[tuple[str, str]] = TREE) -> dict[str, Unit]:
    from xuanwen.core import tree

    units: dict[str, Unit] = {}
    for code, name in rows:
        full, initials = pinyin_of(name)
        units[code] = Unit.objects.create(
            code=code, name=name, parent_id=tree.parent_code(code), pinyin=full, initials=initials
        )
    return units


class BaseTestCase(TestCase):
    """Every test starts from the same tree and the same people."""

    units: ClassVar[dict[str, Unit]]
    admin: ClassVar[User]
    supervisor: ClassVar[User]
    viewer: ClassVar[User]
    staff_a: ClassVar[User]
    staff_b: ClassVar[User]
    keeper: ClassVar[User]
    projectionist: ClassVar[User]
    outsider: ClassVar[User]
    unbound: ClassVar[User]
    password = "correct horse battery"

    @classmethod
    def setUpClass(cls) -> None:
        # Uploads, thumbnails and stashed imports of the class (setUpTestData's too) land in a
        # folder of its own, never in the real MEDIA_ROOT, and it is removed when the class is
        # done, so a run leaves nothing in the temporary directory.
        media = tempfile.mkdtemp(prefix="xuanwen-media-")
        cls.addClassCleanup(shutil.rmtree, media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=Path(media))
        override.enable()
        cls.addClassCleanup(override.disable)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.units = make_tree()
        for username, (code, role) in PERSONAS.items():
            user = User.objects.create_user(
                username=username,
                password=cls.password,
                unit=cls.units[code],
                role=role,
                name=PERSONA_NAMES[username],
            )
            setattr(cls, username, user)
        # Bound to no unit (the model allows it: an account made before its unit was known, or
        # whose unit was merged away): sees nothing and may change nothing.
        cls.unbound = User.objects.create_user(
            username="unbound",
            password=cls.password,
            unit=None,
            role=Role.STAFF,
            name=PERSONA_NAMES["unbound"],
        )

    @classmethod
    def personas(cls) -> list[User]:
        return [
            cls.admin,
            cls.supervisor,
            cls.viewer,
            cls.staff_a,
            cls.staff_b,
            cls.keeper,
            cls.projectionist,
            cls.outsider,
        ]

    def assertAudited(self, action: str, obj: Model | None = None, **fields: Any) -> None:
        """The audit log holds an entry of `action` for `obj` (its model and key) or, without an
        object, one whose fields match `fields` (model="app.model", unit_code=..., actor=...)."""
        if obj is not None:
            fields |= {"model": obj._meta.label_lower, "object_pk": str(obj.pk)}
        entries = AuditEntry.objects.filter(action=action, **fields)
        self.assertTrue(entries.exists(), f"no {action} entry in the audit log for {fields}")

    def assertHiddenRecord(self, record: Model, posts: Sequence[str] = (), **parts: Model) -> None:
        """Every page that reaches `record` answers 404 to the logged-in user and changes nothing:
        its detail, its edit form read and sent, its deletion, the record's other pages named in
        `posts` (sent to) and its parts' pages (page name=the part, sent to), all in the URL
        namespace of the record's app. Out of a user's scope a record is as if it did not exist.
        """
        app = record._meta.app_label
        pages = [("detail", "get", record), ("edit", "get", record), ("edit", "post", record)]
        pages += [(name, "post", record) for name in ("delete", *posts)]
        pages += [(name, "post", part) for name, part in parts.items()]
        for name, method, target in pages:
            response = getattr(self.client, method)(reverse(f"{app}:{name}", args=[target.pk]))
            self.assertEqual(response.status_code, 404, name)
        for kept in [record, *parts.values()]:
            self.assertTrue(type(kept)._default_manager.filter(pk=kept.pk).exists(), kept)

    def assertImportTemplate(self, url: str, sheet: str, headers: Sequence[str]) -> Workbook:
        """The import template at `url` downloads for the logged-in user: its first sheet is
        `sheet` with `headers` in its first row, the instructions follow. Gives the workbook."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        book = read_xlsx(response)
        self.assertEqual(book.sheetnames[:2], [sheet, "填写说明"])
        self.assertEqual([c.value for c in book[sheet][1]], list(headers))
        return book

    def assertProblems(self, response: Any, *problems: str) -> None:
        """An import's preview names exactly these problems, cell by cell, and nothing else."""
        self.assertEqual(response.context["problems_shown"], list(problems))

    def count_queries(self, url: str, params: Mapping[str, str] | None = None) -> int:
        """The queries a GET of the page at `url` (with `params`) takes; it must answer 200."""
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def assertQueriesDoNotGrow(
        self, url: str, more: Callable[[], object], params: Mapping[str, str] | None = None
    ) -> int:
        """The page at `url` takes as many queries after `more()` has made more records as
        before: nothing is read record by record. Gives the count."""
        few = self.count_queries(url, params)
        more()
        many = self.count_queries(url, params)
        self.assertEqual(few, many)
        return many

    def bearer(self, user: User) -> dict[str, Any]:
        """Client kwargs carrying a fresh API token for `user`."""
        _, raw = token_create(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def api(self, method: str, path: str, user: User, body: Any = None) -> Any:
        """An API request (`POST /api/v1/...`) by `user` with a fresh token, `body` sent as
        JSON (dates as their ISO text); without a body, an empty one."""
        data = json.dumps(body, ensure_ascii=False, default=str) if body is not None else ""
        return self.client.generic(
            method, path, data.encode(), content_type="application/json", **self.bearer(user)
        )
