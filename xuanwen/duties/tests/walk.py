"""The duties' part of the scope walk (see xuanwen/tests/walk.py)."""

from datetime import date

from django.utils import timezone

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.duties.models import Cycle, Duty, DutyCompletion, Evidence, InspectedBusiness
from xuanwen.testing import Tree
from xuanwen.tests.walk import records, register_forms
from xuanwen.units.models import Unit

from .helpers import complete, make_duty


def duty_fixtures(root: User, admin: User) -> None:
    """In every unit a market inspection with a photo and a business; a deleted duty and a
    deleted completion in township A (outside for everyone)."""
    for unit in Unit.objects.order_by("code"):
        if Duty.all_objects.filter(unit=unit).exists():
            continue
        duty = make_duty(
            root, unit.code, name="文化市场清理整顿", cycle=Cycle.QUARTERLY,
            start_date=date(2025, 1, 1), needs_inspections=True,
        )  # fmt: skip
        complete(root, duty, date(2025, 3, 5))
    deleted = make_duty(root, Tree.TOWNSHIP_A, name="已删除的工作", start_date=date(2025, 1, 1))
    complete(root, deleted, date(2025, 3, 6))
    Duty.all_objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    gone = complete(root, Duty.objects.get(unit_id=Tree.TOWNSHIP_A), date(2025, 4, 2))
    DutyCompletion.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())


duty_ids = records(Duty, "unit_id")
completion_ids = records(DutyCompletion, "duty__unit_id")

FIXTURES = [duty_fixtures]
PARAMS = {
    "duties:pk": duty_ids,  # pages
    "duties:duty_id": duty_ids,  # API
    "completions:pk": completion_ids,
    "completions:completion_id": completion_ids,
    "completions:duty": duty_ids,  # completion list filter and body field
    "completions:start": None,
    "completions:end": None,
    "evidence:pk": records(Evidence, "completion__duty__unit_id"),
    "businesses:pk": records(InspectedBusiness, "completion__duty__unit_id"),
    "duties:cycle": None,
}
FORM_PAGES = {
    **register_forms("duties"),
    "/duties/{pk}/complete/": WRITE_ROLES,
    "/duties/completions/{pk}/edit/": WRITE_ROLES,
    "/duties/completions/import/": WRITE_ROLES,
    "/duties/completions/import/template.xlsx": WRITE_ROLES,
}
