"""A real worker (`xuanwen db_worker` in a process of its own) killed with SIGKILL in the middle
of a big import's save leaves no row behind: the save is one transaction, which the database
rolls back when the connection dies. The job then shows as failed, saying why.

PostgreSQL only: the worker must reach the test database from another process, and the
SQLite test database lives in the test process's memory. test_import_jobs.py simulates the
same death on both databases.
"""

import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from xuanwen.accounts.models import Role, User
from xuanwen.activities.models import Activity
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.core import jobs
from xuanwen.core.models import ImportJob
from xuanwen.testing import Tree, make_tree, temporary_media

from .test_import_jobs import big_xlsx

ROOT = Path(settings.BASE_DIR)

# The worker, stopped for good in the middle of the save: the first rows are inserted inside
# the save's transaction when it says so and waits to be killed.
WORKER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.core.management import call_command
    from xuanwen.activities import services
    from xuanwen.core import jobs

    services._INSERT_CHUNK = 1_000
    write_live = jobs.write_live

    def write(job, done):
        write_live(job, done)
        if job.phase == "save" and done:
            print("halfway", flush=True)
            time.sleep(600)

    jobs.write_live = write
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    """
)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class KilledWorkerTests(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the worker process cannot reach an in-memory SQLite test database")
        self.media = temporary_media(self)
        units = make_tree()
        self.user = User.objects.create_user(
            username="worker-test", password="x", unit=units[Tree.TOWNSHIP_A], role=Role.STAFF
        )

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_a_worker_killed_in_the_middle_of_the_save_leaves_no_row(self) -> None:
        stored = default_storage.save("imports/big.xlsx", ContentFile(big_xlsx(3_000, self.media)))
        job = ImportJob(
            user=self.user,
            flow="activities",
            file=stored,
            filename="全年活动.xlsx",
            language="zh-hans",
            step=ImportJob.Step.SAVE,
            total=3_000,
        )
        jobs.start(job)  # waits in the database for the worker

        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(self.media),
            "DJANGO_SETTINGS_MODULE": "xuanwen.settings",
        }
        env.pop("TASKS_BACKEND", None)
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert worker.stdout is not None
            said = worker.stdout.readline()  # blocks until the save is halfway (or it died)
            assert said == "halfway\n", worker.stderr.read() if worker.stderr else said
            job.refresh_from_db()
            assert (job.state, job.phase) == ("running", "save")
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=60)
            for stream in (worker.stdout, worker.stderr):
                if stream is not None:
                    stream.close()

        assert not Activity.objects.exists()
        assert not AuditEntry.objects.filter(action=Action.IMPORT).exists()

        # Nothing moves any more; once that has lasted, the page says what happened.
        self.client.force_login(self.user)
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "进行中")
        with mock.patch.object(jobs, "STALE_AFTER", timedelta(0)):
            page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "后台处理中断")
        job.refresh_from_db()
        assert job.state == "failed"
        assert not default_storage.exists(stored)
