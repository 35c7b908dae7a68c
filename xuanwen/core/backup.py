"""Backup and restore: one archive a county's operator can write, check and restore.

The archive is a plain tar (the dump is already compressed, photos are too) with:

- `database.sqlite3` or `database.dump`: the database through its own tool. SQLite's online
  backup API copies a consistent snapshot while the app keeps writing; PostgreSQL's
  `pg_dump -Fc` does the same and is read back by `pg_restore`. Copying the file or rows
  ourselves would miss either consistency or what the tools know (sequences, indexes).
- `media/…`: every uploaded file under MEDIA_ROOT.
- `manifest.json`: the format, the program version, when, the database vendor and the
  migrations applied, so a reader knows what the archive holds without restoring it.
- `checksums.sha256`: the SHA-256 of every other member, in `sha256sum` format, so an
  operator can check it by hand too. Restore refuses an archive whose members do not match.

Restore only writes into an empty database and an empty MEDIA_ROOT: merging a backup into live
data, or overwriting it, is a decision an operator should make by wiping first, not a side
effect of a typo in a path.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import clock

FORMAT = 1
MANIFEST = "manifest.json"
CHECKSUMS = "checksums.sha256"
MEDIA = "media"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal with a message for the operator, in Chinese."""


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _database_member(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE:
        raise BackupError(f"不支持备份这种数据库：{connection.vendor}")
    return DATABASE[connection.vendor]


def _pg_command(tool: str, connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """A PostgreSQL tool's arguments and environment from the settings' connection parameters
    (the password through the environment, so it never shows in a process list)."""
    if shutil.which(tool) is None:
        raise BackupError(f"找不到 {tool}：请安装 PostgreSQL 客户端工具")
    params = connection.settings_dict
    args = [tool, "--dbname", params["NAME"], "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    # The tool is a fixed name found on PATH and its arguments come from settings, no shell.
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{args[0]} 失败：{done.stderr.strip()}")


def _dump_database(connection: BaseDatabaseWrapper, target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        args, env = _pg_command("pg_dump", connection)
        _run([*args, "--format=custom", "--file", str(target)], env)


def _load_database(connection: BaseDatabaseWrapper, source: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()
    else:
        # No owner and no grants: the archive may come from a server whose roles differ;
        # the restored tables belong to the user the settings connect as.
        args, env = _pg_command("pg_restore", connection)
        # One transaction: a failure halfway leaves the database empty, not half restored.
        _run([*args, "--no-owner", "--no-acl", "--single-transaction", str(source)], env)


def manifest(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {
        "format": FORMAT,
        "version": metadata.version("xuanwen"),
        "created": timezone.localtime(clock.now()).isoformat(),
        "vendor": connection.vendor,
        "migrations": sorted(f"{app}.{name}" for app, name in applied),
    }


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup(connection: BaseDatabaseWrapper, output: Path) -> dict[str, Any]:
    """Write the archive to `output` and return its manifest. The archive is written beside
    `output` under another name and renamed at the end, so a failed run leaves no half archive
    where a good one is expected."""
    member = _database_member(connection)
    media_root = Path(settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    info = manifest(connection)
    sums: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="xuanwen-backup-") as work:
        dump = Path(work) / member
        _dump_database(connection, dump)
        partial = output.with_name(output.name + ".partial")
        try:
            with tarfile.open(partial, "w") as archive:

                def add(path: Path, name: str) -> None:
                    with path.open("rb") as stream:
                        sums.append((_sha256(stream), name))
                    archive.add(path, arcname=name, recursive=False)

                def add_bytes(data: bytes, name: str) -> None:
                    entry = tarfile.TarInfo(name)
                    entry.size = len(data)
                    entry.mtime = int(clock.now().timestamp())
                    archive.addfile(entry, io.BytesIO(data))

                manifest_bytes = json.dumps(info, ensure_ascii=False, indent=2).encode()
                sums.append((hashlib.sha256(manifest_bytes).hexdigest(), MANIFEST))
                add_bytes(manifest_bytes, MANIFEST)
                add(dump, member)
                for path in _media_files(media_root):
                    add(path, f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
                add_bytes("".join(f"{h}  {n}\n" for h, n in sums).encode(), CHECKSUMS)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return info


def _safe_media_path(name: str) -> PurePosixPath:
    """A media member's path below MEDIA_ROOT; anything that could land outside it is refused."""
    path = PurePosixPath(name).relative_to(MEDIA)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份文件中有不安全的路径：{name}")
    return path


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    """A regular file of the archive; a link or a folder under a name we read is refused."""
    entry = archive.getmember(name)
    stream = archive.extractfile(entry) if entry.isfile() else None
    if stream is None:
        raise BackupError(f"备份文件中有不是普通文件的成员：{name}")
    return stream


def verify(archive_path: Path) -> dict[str, Any]:
    """Check every member against the checksums and return the manifest; refuse otherwise."""
    try:
        with tarfile.open(archive_path, "r") as archive:
            members = archive.getmembers()
            names = [m.name for m in members]
            if CHECKSUMS not in names or MANIFEST not in names:
                raise BackupError("备份文件不完整：缺少清单或校验和")
            listed: dict[str, str] = {}
            text = _member(archive, CHECKSUMS).read().decode()
            for line in text.splitlines():
                digest, _, name = line.partition("  ")
                listed[name] = digest
            found: dict[str, str] = {}
            for entry in members:
                if entry.name == CHECKSUMS:
                    continue
                if entry.name.startswith(f"{MEDIA}/"):
                    _safe_media_path(entry.name)
                found[entry.name] = _sha256(_member(archive, entry.name))
            if found != listed:
                bad = sorted(n for n in set(found) | set(listed) if found.get(n) != listed.get(n))
                raise BackupError(f"备份文件已损坏或被改动，校验不符：{'、'.join(bad)}")
            info = json.loads(_member(archive, MANIFEST).read())
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    if (
        not isinstance(info, dict)
        or info.get("format") != FORMAT
        or DATABASE.get(str(info.get("vendor"))) not in found
    ):
        raise BackupError("备份文件的格式无法识别")
    return info


def restore(connection: BaseDatabaseWrapper, archive_path: Path) -> dict[str, Any]:
    """Verify the archive, then restore the database and the files into empty targets."""
    info = verify(archive_path)
    member = _database_member(connection)
    if info["vendor"] != connection.vendor:
        raise BackupError(
            f"备份来自 {info['vendor']} 数据库，不能恢复到 {connection.vendor} 数据库"
        )
    if connection.introspection.table_names():
        raise BackupError("目标数据库不是空的：只能恢复到空数据库，请先新建或清空数据库")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"上传文件目录不是空的：{media_root}；只能恢复到空目录")
    with (
        tempfile.TemporaryDirectory(prefix="xuanwen-restore-") as work,
        tarfile.open(archive_path, "r") as archive,
    ):
        dump = Path(work) / member
        with _member(archive, member) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        _load_database(connection, dump)
        for entry in archive.getmembers():
            if not entry.name.startswith(f"{MEDIA}/"):
                continue
            path = media_root.joinpath(*_safe_media_path(entry.name).parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            with _member(archive, entry.name) as source, path.open("wb") as target:
                shutil.copyfileobj(source, target, CHUNK)
    return info
