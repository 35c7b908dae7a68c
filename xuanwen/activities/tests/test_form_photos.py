"""The everyday action first: an activity is recorded with its photos in one form, today already
filled in; a photo that is not one is refused by name and nothing is saved."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from xuanwen.activities.models import Activity, ActivityType, AttachmentKind
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree, frozen, temporary_media

from .helpers import image_bytes

TODAY = date(2026, 6, 6)


@frozen(TODAY)
class PhotosInTheFormTests(BaseTestCase):
    def setUp(self) -> None:
        self.media = temporary_media(self)
        self.client.force_login(self.staff_a)

    def post(self, *photos: SimpleUploadedFile, title: str = "广场舞展演"):  # type: ignore[no-untyped-def]
        kind = ActivityType.objects.order_by("pk").first()
        assert kind is not None
        values = {
            "unit": Tree.TOWNSHIP_A, "type": kind.pk, "title": title,
            "start_date": TODAY.isoformat(), "participants": "30", "audience": "200",
        }  # fmt: skip
        return self.client.post("/activities/new/", {**values, "photos": list(photos)})

    def test_the_form_opens_on_today_with_a_camera_field(self) -> None:
        page = self.client.get("/activities/new/")
        assert page.context["form"]["start_date"].value() == TODAY
        html = page.content.decode()
        assert 'enctype="multipart/form-data"' in html
        assert 'type="file" name="photos"' in html and 'accept="image/*"' in html
        assert "multiple" in html

    def test_an_activity_and_its_photos_are_saved_in_one_post(self) -> None:
        answer = self.post(
            SimpleUploadedFile("现场1.jpg", image_bytes(), "image/jpeg"),
            SimpleUploadedFile("现场2.png", image_bytes("PNG"), "image/png"),
        )
        activity = Activity.objects.get(title="广场舞展演")
        assert answer.status_code == 302 and answer["Location"] == activity.get_absolute_url()
        photos = list(activity.attachments.order_by("pk"))
        assert [p.kind for p in photos] == [AttachmentKind.PHOTO] * 2
        assert [p.original_name for p in photos] == ["现场1.jpg", "现场2.png"]
        assert AuditEntry.objects.filter(action=Action.CREATE).count() == 3  # the record, 2 photos
        # An edit form has no camera field: photos of a saved activity are added on its page.
        edit = self.client.get(f"/activities/{activity.pk}/edit/").content.decode()
        assert 'name="photos"' not in edit

    def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(self) -> None:
        fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not an image", "image/jpeg")
        answer = self.post(fake)
        assert answer.status_code == 200
        assert "照片.jpg" in answer.content.decode()
        assert not Activity.objects.filter(title="广场舞展演").exists()
        pdf = SimpleUploadedFile("总结.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf")
        answer = self.post(pdf)
        assert "这里只能上传照片" in answer.content.decode()
        assert not Activity.objects.filter(title="广场舞展演").exists()
