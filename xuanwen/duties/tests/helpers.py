"""Making duties and completions for the duty tests (through the services, as pages do)."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xuanwen.activities.tests.helpers import image_bytes
from xuanwen.core.files import check_upload
from xuanwen.duties import services
from xuanwen.duties.models import Cycle, Duty, DutyCompletion
from xuanwen.units.models import Unit


def photo(name: str = "黑板报.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


# The quarterly clean-up of the culture market: proved by the businesses inspected, no photo.
MARKET_INSPECTION: dict[str, Any] = {
    "name": "文化市场清理整顿",
    "cycle": Cycle.QUARTERLY,
    "needs_photo": False,
    "needs_inspections": True,
}


def make_duty(user: Any, unit_code: str, **fields: Any) -> Duty:
    values: dict[str, Any] = {
        "unit": Unit.objects.get(code=unit_code),
        "name": "黑板报",
        "cycle": Cycle.HALF_MONTHLY,
        "start_date": date(2026, 1, 1),
        "needs_photo": True,
    }
    values.update(fields)
    return services.duty_create(user=user, data=services.DutyData(**values))


def complete(user: Any, duty: Duty, done_on: date, **fields: Any) -> DutyCompletion:
    uploads = fields.pop("uploads", None)
    if uploads is None:
        uploads = [check_upload(photo())] if duty.needs_photo else []
    if duty.needs_note:
        fields.setdefault("note", "学习了文件精神。")
    if duty.needs_inspections:
        fields.setdefault(
            "businesses", [services.BusinessData(name="星空网吧", kind="internet_cafe")]
        )
    data = services.CompletionData(duty=duty, done_on=done_on, **fields)
    return services.completion_create(user=user, data=data, uploads=uploads)
