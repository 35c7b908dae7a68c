"""The demo county's data exports, every record type's, imported into the same database after
its records were deleted for good (the unit tree and the users stay): the same records, field
by field, sub-records included.

Records point at each other (a team's performances at activities, an opening log at its
facility), and those come back with new ids, so a link is compared by what the export names
it by: a facility by unit and name, a person by unit, name and birth year, an activity by unit,
title and start date. What cannot travel is left out of the comparison and said so in the
exports' modules: files (photos, attachments, evidence), the plans' workflow (imported as
drafts), who recorded a completion, the duties' named users, and the
completions of duties that need a photo or file (the import refuses those by rule).
"""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from xuanwen.accounts.models import User
from xuanwen.activities.models import Activity
from xuanwen.bookhouses.models import Demand, Loan, StockEntry
from xuanwen.designations.models import Designation
from xuanwen.duties.models import Duty, DutyCompletion
from xuanwen.facilities.models import Facility
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
# (data export URL name, import URL name prefix, model, sub-records), in the order they import.
TYPES: list[tuple[str, str, type[models.Model], tuple[str, ...]]] = [
    ("facilities:data_export", "facilities:", Facility, ("rooms", "equipment")),
    ("activities:data_export", "activities:", Activity, ("awards", "coverage", "reached")),
    ("teams:people_data_export", "teams:people_", Person, ()),
    ("households:data_export", "households:", Household, ()),
    ("designations:export", "designations:", Designation, ()),
    ("duties:data_export", "duties:", Duty, ()),
    ("duties:completions_data_export", "duties:completions_", DutyCompletion, ("businesses",)),
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


def natural(field: Any, record: models.Model) -> Any:
    """A field's value, a link to another record by its natural key."""
    value = getattr(record, field.attname)
    target = field.related_model if field.is_relation else None
    if target in NATURAL and value is not None:
        return NATURAL[target](getattr(record, field.name))
    return value


def snapshot(model: type[models.Model], parts: tuple[str, ...]) -> list[dict[str, Any]]:
    records = model._default_manager.all()
    if model is WorkPlan:  # the export has the latest revision of each plan
        records = records.filter(successors__isnull=True)
    if model is DutyCompletion:  # those needing a photo or file cannot be imported
        records = records.filter(duty__needs_photo=False, duty__needs_file=False)
    return sorted((fields_of(r, parts, SKIPPED, natural) for r in records), key=repr)


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
        wipe()
        for url, prefix, model, parts in TYPES:
            book = load_workbook(io.BytesIO(books[url]))
            if model is DutyCompletion:
                sheet = book.worksheets[0]
                importable = set(Duty.objects.filter(needs_photo=False, needs_file=False)
                                 .values_list("unit_id", "name"))  # fmt: skip
                for row in range(sheet.max_row, 1, -1):
                    key = (sheet.cell(row, 1).value, sheet.cell(row, 2).value)
                    if key not in importable:
                        sheet.delete_rows(row)
            out = io.BytesIO()
            book.save(out)
            if not before[url]:
                continue
            upload = SimpleUploadedFile("x.xlsx", out.getvalue())
            preview = self.client.post(reverse(f"{prefix}import"), {"file": upload})
            self.assertEqual(preview.status_code, 200, url)
            shown = preview.context.get("problems_shown")
            self.assertFalse(preview.context.get("problems"), (url, shown))
            token = preview.context["token"]
            done = self.client.post(reverse(f"{prefix}import_confirm"), {"token": token})
            self.assertEqual(done.status_code, 302, url)
            self.assertEqual(snapshot(model, parts), before[url], url)
        self.assertEqual(evidence(), links)
