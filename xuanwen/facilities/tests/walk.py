"""The facilities' part of the scope walk (see xuanwen/tests/walk.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuanwen.accounts.models import MANAGE_ROLES, User
from xuanwen.activities.tests.helpers import image_bytes
from xuanwen.core.files import check_upload
from xuanwen.facilities import services
from xuanwen.facilities.models import Equipment, Facility, FacilityKind, FacilityPhoto, Room
from xuanwen.testing import Tree
from xuanwen.tests.walk import owned_kinds, records, register_forms, register_params
from xuanwen.units.models import Unit


def facility_fixtures(root: User, admin: User) -> None:
    """A facility with a room, equipment and a photo in every unit, and a soft-deleted one in
    township A (outside for everyone)."""
    station = FacilityKind.objects.get(code="station")
    for unit in Unit.objects.order_by("code"):
        facility = Facility.objects.create(unit=unit, kind=station, name=f"{unit.name}文化站")
        Room.objects.create(facility=facility, name="多功能厅")
        Equipment.objects.create(facility=facility, name="音响")
        upload = check_upload(SimpleUploadedFile("photo.jpg", image_bytes()))
        services.photo_add(user=root, facility=facility, upload=upload)
    Facility.objects.create(
        unit_id=Tree.TOWNSHIP_A, kind=station, name="已删除的阵地", deleted_at=timezone.now()
    )


# Kinds are national or a unit's own (records.models; each unit owns one, see the walk's
# owned_kind_fixtures): another county's is outside.
kind_ids = owned_kinds(FacilityKind)


FIXTURES = [facility_fixtures]
PARAMS = {
    **register_params("facilities", "facility", Facility),
    "photo:photo_id": records(FacilityPhoto, "facility__unit_id"),
    "room:room_id": records(Room, "facility__unit_id"),
    "rooms:room_id": records(Room, "facility__unit_id"),  # the API
    "equipment:equipment_id": records(Equipment, "facility__unit_id"),
    "kinds:kind_id": kind_ids,
}
FORM_PAGES = {
    **register_forms("facilities"),
    "/facilities/kinds/": MANAGE_ROLES,
    "/facilities/kinds/{kind_id}/": MANAGE_ROLES,
}
