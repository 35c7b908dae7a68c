"""`xuanwen backup` and `xuanwen restore`: backup → wipe → restore gives back every table column
by column and every uploaded file byte for byte; a tampered archive and a non-empty target are
refused. Runs on the database the suite runs on (SQLite, or PostgreSQL through DATABASE_URL)."""

import hashlib
import io
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TransactionTestCase

from xuanwen.accounts.models import Role, User
from xuanwen.core.backup import CHECKSUMS, MANIFEST
from xuanwen.testing import make_tree, temporary_media

FILES = {
    "photos/2026/01/a.jpg": b"\xff\xd8\xff\xe0 not really a photo",
    "documents/plan.pdf": b"%PDF-1.7 " + bytes(range(256)) * 40,
}


def tables() -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, all columns, in one order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found[table] = sorted(cursor.fetchall(), key=repr)
    return found


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def wipe_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
        cursor.execute("PRAGMA foreign_keys = ON")


def wipe_media(root: Path) -> None:
    for child in root.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


class BackupRestoreTests(TransactionTestCase):
    # As on every transactional test here (see tests/browser.py): the flush after each test
    # would otherwise recreate content types under new ids, which the next serialized
    # restore (the browser tests') collides with.
    serialized_rollback = True

    def setUp(self) -> None:
        if connection.vendor == "postgresql" and not (
            shutil.which("pg_dump") and shutil.which("pg_restore")
        ):
            self.skipTest("pg_dump and pg_restore are not on PATH")
        self.media = temporary_media(self)
        work = Path(tempfile.mkdtemp(prefix="xuanwen-backup-test-"))
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        self.archive = work / "backup.tar"
        units = make_tree()
        User.objects.create_user(
            "county", password="pw-123456789", unit=units["331082"], role=Role.ADMIN
        )
        for name, data in FILES.items():
            path = self.media / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def backup(self) -> None:
        call_command("backup", "--output", str(self.archive), stdout=io.StringIO())

    def restore(self) -> str:
        out = io.StringIO()
        call_command("restore", str(self.archive), stdout=out)
        return out.getvalue()

    def test_round_trip_gives_back_every_row_and_file(self) -> None:
        before_tables, before_files = tables(), files(self.media)
        self.assertTrue(before_tables["accounts_user"])
        self.assertEqual(len(before_files), len(FILES))
        self.backup()
        with tarfile.open(self.archive) as archive:
            names = set(archive.getnames())
        self.assertLessEqual({MANIFEST, CHECKSUMS, *(f"media/{n}" for n in FILES)}, names)

        wipe_database()
        wipe_media(self.media)
        self.assertEqual(connection.introspection.table_names(), [])
        self.assertIn("已恢复", self.restore())

        self.assertEqual(tables(), before_tables)
        self.assertEqual(files(self.media), before_files)
        self.assertTrue(User.objects.get(username="county").check_password("pw-123456789"))

    def test_a_non_empty_database_is_refused(self) -> None:
        self.backup()
        wipe_media(self.media)
        with self.assertRaisesMessage(CommandError, "目标数据库不是空的"):
            self.restore()
        self.assertEqual(files(self.media), {})

    def test_a_non_empty_media_root_is_refused(self) -> None:
        self.backup()
        wipe_database()
        try:
            with self.assertRaisesMessage(CommandError, "上传文件目录不是空的"):
                self.restore()
            self.assertEqual(connection.introspection.table_names(), [])
        finally:
            wipe_media(self.media)
            self.restore()  # the schema back, for the flush after the test

    def test_a_tampered_archive_is_refused(self) -> None:
        self.backup()
        tampered = self.archive.with_name("tampered.tar")
        with tarfile.open(self.archive) as source, tarfile.open(tampered, "w") as target:
            for entry in source.getmembers():
                data = source.extractfile(entry).read()  # type: ignore[union-attr]
                if entry.name == "media/documents/plan.pdf":
                    data = data[:-1] + b"!"
                target.addfile(entry, io.BytesIO(data))
        with self.assertRaisesMessage(CommandError, "校验不符：media/documents/plan.pdf"):
            call_command("restore", str(tampered), stdout=io.StringIO())

    def test_a_truncated_archive_is_refused(self) -> None:
        self.backup()
        data = self.archive.read_bytes()
        self.archive.write_bytes(data[: len(data) // 2])
        with self.assertRaisesMessage(CommandError, "备份文件"):
            self.restore()

    def test_a_member_outside_media_root_is_refused(self) -> None:
        """Even with checksums that match, a file may not land outside MEDIA_ROOT."""
        self.backup()
        evil = self.archive.with_name("evil.tar")
        payload = b"overwrite"
        with tarfile.open(self.archive) as source, tarfile.open(evil, "w") as target:
            sums = source.extractfile(CHECKSUMS).read()  # type: ignore[union-attr]
            for entry in source.getmembers():
                if entry.name != CHECKSUMS:
                    target.addfile(entry, source.extractfile(entry))
            entry = tarfile.TarInfo("media/../evil.txt")
            entry.size = len(payload)
            target.addfile(entry, io.BytesIO(payload))
            sums += f"{hashlib.sha256(payload).hexdigest()}  media/../evil.txt\n".encode()
            entry = tarfile.TarInfo(CHECKSUMS)
            entry.size = len(sums)
            target.addfile(entry, io.BytesIO(sums))
        wipe_database()
        wipe_media(self.media)
        try:
            with self.assertRaisesMessage(CommandError, "不安全的路径"):
                call_command("restore", str(evil), stdout=io.StringIO())
            self.assertFalse((self.media.parent / "evil.txt").exists())
        finally:
            self.restore()  # the schema back, for the flush after the test
