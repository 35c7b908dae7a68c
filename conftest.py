"""pytest set-up shared by the whole suite."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The browser and phone fixtures of the phone-width tests, for every test module that uses them.
pytest_plugins = ["xuanwen.tests.browser"]

# The run's own temporary directory, and what the process's one was before it.
RUN_TMP = pytest.StashKey[Path]()
OLD_TMPDIR = pytest.StashKey[str | None]()
LEFT = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # PBKDF2 at full strength makes every test that logs in slow; tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No worker runs beside the tests: a task (a big import, core.jobs) runs inside the request
    # that enqueues it. A test of the worker itself runs `xuanwen db_worker` on the database one.
    from django.core.signals import setting_changed

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Django is set up already and the tasks' handler has read the setting: it re-reads it on
    # this signal, as under override_settings.
    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)

    # Whatever the suite or the code under test puts in "the temporary directory" (tempfile,
    # Chromium's profile, pytest's tmp_path) goes to a folder of this run's own: other programs
    # using the same temporary directory cannot blur the check at the end, and removing the
    # folder leaves nothing behind even after a crash of a test.
    run_tmp = Path(tempfile.mkdtemp(prefix="xuanwen-tests-"))
    config.stash[RUN_TMP] = run_tmp
    config.stash[OLD_TMPDIR] = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(run_tmp)  # for subprocesses, such as the browser
    tempfile.tempdir = str(run_tmp)
    # A test outside BaseTestCase (which gives each class its own) that stores a file must not
    # write into the real media folder.
    settings.MEDIA_ROOT = run_tmp / "media"


@pytest.hookimpl(trylast=True)  # after the session's fixtures (browser, live server) are gone
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the run when a test left something in the temporary directory: each test removes
    what it creates outside the database. pytest's own tmp_path folders are exempt."""
    run_tmp = session.config.stash.get(RUN_TMP, None)
    if run_tmp is None or not run_tmp.is_dir():
        return
    left = sorted(p.name for p in run_tmp.iterdir() if not p.name.startswith("pytest-of-"))
    session.config.stash[LEFT] = left
    if left and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    left = config.stash.get(LEFT, [])
    if left:
        message = f"left in the temporary directory by the tests: {', '.join(left)}"
        terminalreporter.write_sep("=", message, red=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    run_tmp = config.stash.get(RUN_TMP, None)
    if run_tmp is None:
        return
    shutil.rmtree(run_tmp, ignore_errors=True)
    tempfile.tempdir = None
    old = config.stash[OLD_TMPDIR]
    if old is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = old
