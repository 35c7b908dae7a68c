"""The demo county's data exports, every record type's, imported into the same database after
its records were deleted for good (the unit tree and the users stay): the same records, field
by field, sub-records included, and the same files.

A record type with files (a facility's photos, an activity's photos and files, a completion's
evidence) is exported as its data package (数据包: the workbook with the files) and imported
from it, so every row comes back, the completions of duties that need a photo or a file
included; the files are compared by owner, kind, original name, type, size, recorded sha256
and the sha256 of the stored bytes. (A photo is re-encoded on import as every upload is; the
demo's photos are what the re-encoding gives again, byte for byte.)

Records point at each other (a team's performances at activities, an opening log at its
facility), and those come back with new ids, so a link is compared by what the export names
it by: a facility by unit and name, a person by unit, name and birth year, an activity by unit,
title and start date. What cannot travel is left out of the comparison and said so in the
exports' modules: the plans' workflow (imported as drafts), who recorded a completion or
uploaded a file, and the duties' named users.
"""

import hashlib
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from xuanwen.accounts.models import User
from xuanwen.activities import services as activities
from xuanwen.activities.models import Activity, Attachment
from xuanwen.bookhouses.models import Demand, Loan, StockEntry
from xuanwen.core.files import check_upload
from xuanwen.demo.records import STATION_NAME, _photo
from xuanwen.designations.models import Designation
from xuanwen.duties.models import Duty, DutyCompletion, Evidence
from xuanwen.facilities import services as facilities
from xuanwen.facilities.models import Facility, FacilityPhoto
from xuanwen.households.models import Household
from xuanwen.opening.models import OpeningLog
from xuanwen.plans.models import WorkPlan
from xuanwen.plans.tests.test_data_export import evidence
from xuanwen.records.tests.roundtrip import fields_of
from xuanwen.reporting.models import Submission
from xuanwen.teams.models import Honour, Person, Team, TrainingClass
from xuanwen.testing import frozen

from .test_demo_command import DEMO_DAY, DemoTestCase

NATURAL = {
    Facility: lambda f: (f.unit_id, f.name),
    Person: lambda p: (p.unit_id, p.name, p.birth_year),
    Activity: lambda a: (a.unit_id, a.title, a.start_date),
    Duty: lambda d: (d.unit_id, d.name),
    Team: lambda t: (t.unit_id, t.name),
}
# Not data: bookkeeping, workflow, users, links that do not travel.
SKIPPED = frozenset(
    {"status", "revision", "replaces", "submitted_at", "submitted_by", "approved_at",
     "approved_by", "return_note", "order", "done_by", "trainee", "reader_key",
     "search_pinyin", "assignees"}
)  # fmt: skip
# (data export URL name, import URL name prefix, model, sub-records), in the order they import;
# a type with files exports its data package.
TYPES: list[tuple[str, str, type[models.Model], tuple[str, ...]]] = [
    ("facilities:data_package", "facilities:", Facility, ("rooms", "equipment")),
    ("activities:data_package", "activities:", Activity, ("awards", "coverage", "reached")),
    ("teams:people_data_export", "teams:people_", Person, ()),
    ("households:data_export", "households:", Household, ()),
    ("designations:export", "designations:", Designation, ()),
    ("duties:data_export", "duties:", Duty, ()),
    ("duties:completions_data_package", "duties:completions_", DutyCompletion, ("businesses",)),
    ("plans:data_export", "plans:", WorkPlan, ("sections__items",)),
    ("teams:teams_data_export", "teams:teams_", Team, ("members", "performances")),
    ("teams:training_data_export", "teams:training_", TrainingClass,
     ("sessions", "trainees")),
    ("teams:honours_data_export", "teams:honours_", Honour, ()),
    ("opening:data_export", "opening:", OpeningLog, ()),
    ("bookhouses:stock_data_export", "bookhouses:stock_", StockEntry, ()),
    ("bookhouses:loans_data_export", "bookhouses:loans_", Loan, ()),
    ("bookhouses:demands_data_export", "bookhouses:demands_", Demand, ()),
]  # fmt: skip
# Every record, whatever the list shows by default.
QUERY = {"duties:data_export": {"inactive": "1"}}
# The stored uploads of each type with files, and how one names its owner.
FILES: dict[type[models.Model], tuple[type[models.Model], Any]] = {
    Facility: (FacilityPhoto, lambda x: NATURAL[Facility](x.facility)),
    Activity: (Attachment, lambda x: NATURAL[Activity](x.activity)),
    DutyCompletion: (
        Evidence,
        lambda x: (x.completion.duty.unit_id, x.completion.duty.name, x.completion.done_on),
    ),
}


def natural(field: Any, record: models.Model) -> Any:
    """A field's value, a link to another record by its natural key."""
    value = getattr(record, field.attname)
    target = field.related_model if field.is_relation else None
    if target in NATURAL and value is not None:
        return NATURAL[target](getattr(record, field.name))
    return value


def snapshot(model: type[models.Model], parts: tuple[str, ...]) -> list[Any]:
    records = model._default_manager.all()
    if model is WorkPlan:  # the export has the latest revision of each plan
        records = records.filter(successors__isnull=True)
    rows: list[Any] = sorted((fields_of(r, parts, SKIPPED, natural) for r in records), key=repr)
    if model in FILES:
        rows.append(stored_files(model))
    return rows


def stored_files(model: type[models.Model]) -> list[tuple[Any, ...]]:
    """The files of a type's records: owner, kind, name, type, size, hashes (recorded, read)."""
    stored, owner = FILES[model]
    out = []
    for x in stored._default_manager.all():
        with x.file.open("rb") as f:  # type: ignore[attr-defined]
            read = hashlib.sha256(f.read()).hexdigest()
        kind = getattr(x, "kind", "photo")
        out.append((owner(x), kind, x.original_name, x.content_type, x.size, x.sha256, read))  # type: ignore[attr-defined]
    return sorted(out, key=repr)


def add_files(admin: User) -> None:
    """What the demo has no files of yet: a photo of the station, a photo and a PDF of an
    activity (the demo's completions carry their evidence already)."""
    station = Facility.objects.get(name=STATION_NAME)
    facilities.photo_add(user=admin, facility=station, upload=_photo("站舍"))
    activity = Activity.objects.order_by("start_date", "id").first()
    assert activity is not None
    activities.attachment_add(user=admin, activity=activity, upload=_photo("现场"))
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    activities.attachment_add(user=admin, activity=activity, upload=check_upload(pdf))


def wipe() -> None:
    """Every record deleted for good, in an order the protecting links allow; and the reports
    sent up (the demo's approved months would lock their records against the import)."""
    Submission.objects.all().delete()
    for model in (OpeningLog, StockEntry, Loan, Demand, DutyCompletion, Honour, TrainingClass,
                  Team, Person, Duty, Household, Designation):  # fmt: skip
        model.all_objects.all().delete()  # type: ignore[attr-defined]
    WorkPlan.all_objects.update(replaces=None)
    WorkPlan.all_objects.all().delete()
    Activity.all_objects.all().delete()
    Facility.all_objects.all().delete()


@frozen(DEMO_DAY)
class DemoRoundTripTests(DemoTestCase):
    def test_every_data_export_imports_back_into_the_same_tree(self) -> None:
        self.load_demo()
        admin = User.objects.get(username="admin")
        add_files(admin)
        self.client.force_login(admin)
        before, books = {}, {}
        for url, _prefix, model, parts in TYPES:
            before[url] = snapshot(model, parts)
            response = self.client.get(reverse(url), QUERY.get(url, {}))
            self.assertEqual(response.status_code, 200, url)
            books[url] = b"".join(response.streaming_content)
        # The demo has records of every type but honours (tested on their own).
        links = evidence()  # the plans' evidence activities, by natural key
        empty = [url for url, records in before.items() if not records]
        self.assertEqual(empty, ["teams:honours_data_export"])
        # Every type with files has some, and its package carries them.
        for model, (stored, _owner) in FILES.items():
            self.assertTrue(stored._default_manager.exists(), model)
        self.assertTrue(Evidence.objects.filter(completion__duty__needs_photo=True).exists())
        for url, _prefix, model, _parts in TYPES:
            if model in FILES:
                with zipfile.ZipFile(io.BytesIO(books[url])) as package:
                    names = package.namelist()
                    sheets = load_workbook(io.BytesIO(package.read("data.xlsx"))).sheetnames
                self.assertEqual(len(names), 1 + len(before[url][-1]), url)
                self.assertIn("附件", sheets)
        wipe()
        for url, prefix, model, parts in TYPES:
            if not before[url]:
                continue
            name = "x.zip" if model in FILES else "x.xlsx"
            upload = SimpleUploadedFile(name, books[url])
            preview = self.client.post(reverse(f"{prefix}import"), {"file": upload})
            self.assertEqual(preview.status_code, 200, url)
            shown = preview.context.get("problems_shown")
            self.assertFalse(preview.context.get("problems"), (url, shown))
            token = preview.context["token"]
            done = self.client.post(reverse(f"{prefix}import_confirm"), {"token": token})
            self.assertEqual(done.status_code, 302, url)
            self.assertEqual(snapshot(model, parts), before[url], url)
        self.assertEqual(evidence(), links)
