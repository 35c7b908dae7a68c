"""The documents' part of the scope walk (see xuanwen/tests/walk.py): a county's templates
belong to their unit; a .zip job is its user's own, like an import job, and names a unit of
their scope."""

import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from xuanwen.accounts.models import User
from xuanwen.assessment.models import UnitResult
from xuanwen.assessment.tests.walk import run_ids
from xuanwen.core import clock, tree
from xuanwen.documents.build_template import TEMPLATE
from xuanwen.documents.files import DOCX_MIME
from xuanwen.documents.models import DocumentJob, DocumentKind, DocumentTemplate
from xuanwen.tests.walk import GHOST_ID, Values, records
from xuanwen.units.models import Unit


def template_fixtures(root: User, admin: User) -> None:
    """A retired summary template in every unit, so that putting one back is walked."""
    data = TEMPLATE.read_bytes()
    now = clock.now()
    DocumentTemplate.objects.bulk_create(
        DocumentTemplate(
            unit=unit, kind=DocumentKind.SUMMARY, content=data, original_name="模板.docx",
            content_type=DOCX_MIME, size=len(data), sha256="0" * 64, uploaded_by=root,
            retired_at=now,
        )
        for unit in Unit.objects.order_by("code")
    )  # fmt: skip


def job_fixtures(root: User, admin: User) -> None:
    """A finished .zip job of every user bound to a unit, for their own unit, its file stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("walk.txt", "walk")
    for user in User.objects.filter(unit__isnull=False).order_by("pk"):
        name = default_storage.save("documents/jobs/walk.zip", ContentFile(out.getvalue()))
        DocumentJob.objects.create(
            user=user, unit_id=user.unit_id, period="2026", language="zh-hans",
            state=DocumentJob.State.DONE, done=1, total=1, file=name,
        )  # fmt: skip


def job_ids(user: User) -> Values:
    """The user's own job inside; another user's (a superuser's included) outside."""
    mine = DocumentJob.objects.filter(user=user).order_by("pk").values_list("pk", flat=True)
    others = DocumentJob.objects.exclude(user=user).order_by("pk").values_list("pk", flat=True)
    return Values(inside=str(mine[0]) if mine else None, outside=[str(others[0]), GHOST_ID])


def document_names(user: User) -> Values:
    """Not records: a known document inside, a name of none outside (404 like a ghost id)."""
    return Values(inside="summary", outside=["no-such-document"])


def notice_runs(user: User) -> Values:
    """Assessment runs along the user's line (assessment's walk makes and publishes one per
    unit with children); inside, one with a result in the user's subtree, so that a notice
    has a line to state."""
    line = run_ids(user)
    root = user.scope.root
    if root is None:
        return line
    scored = UnitResult.objects.filter(
        tree.subtree_q(root, "unit_id"), run__published_at__isnull=False
    )
    inside = scored.order_by("run_id").values_list("run_id", flat=True).first()
    return Values(inside=str(inside) if inside else None, outside=line.outside)


FIXTURES = [template_fixtures, job_fixtures]
PARAMS = {
    "templates:pk": records(DocumentTemplate, "unit_id"),
    "jobs:pk": job_ids,  # the .zip job's pages
    "jobs:job_id": job_ids,  # the API's
    "documents:document": document_names,
    "notices:run_id": notice_runs,
}
