from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from xuanwen.activities.tests.helpers import image_bytes
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.facilities.models import FacilityPhoto
from xuanwen.testing import BaseTestCase, Tree, temporary_media

from .helpers import make_facility


class PhotoTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(Tree.TOWNSHIP_A, name="古城街道文化站")

    def setUp(self) -> None:
        self.media = temporary_media(self)

    def upload(self, *files: SimpleUploadedFile, user: object = None) -> object:
        self.client.force_login(user or self.staff_a)  # type: ignore[arg-type]
        url = reverse("facilities:photo_upload", args=[self.facility.pk])
        return self.client.post(url, {"photos": list(files)})

    def test_a_photo_is_stored_stripped_and_served_only_in_scope(self) -> None:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (28.0, 51.0, 0.0)}  # GPS
        response = self.upload(
            SimpleUploadedFile("门口.jpg", image_bytes(size=(800, 600), exif=exif))
        )
        self.assertRedirects(response, self.facility.get_absolute_url() + "#photos")
        photo = FacilityPhoto.objects.get()
        self.assertEqual((photo.original_name, photo.content_type), ("门口.jpg", "image/jpeg"))
        self.assertTrue(photo.thumbnail)
        with photo.file.open("rb") as f:
            self.assertNotIn(0x8825, Image.open(f).getexif())
        self.assertTrue(
            AuditEntry.objects.filter(action=Action.CREATE, model="facilities.facilityphoto")
        )
        detail = self.client.get(self.facility.get_absolute_url())
        self.assertContains(detail, reverse("facilities:photo_thumb", args=[photo.pk]))
        for name in ("photo", "photo_thumb"):
            url = reverse(f"facilities:{name}", args=[photo.pk])
            for user in (self.staff_a, self.admin, self.supervisor):
                self.client.force_login(user)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, (name, user))
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            for user in (self.staff_b, self.keeper, self.outsider):
                self.client.force_login(user)
                self.assertEqual(self.client.get(url).status_code, 404, (name, user))

    def test_only_photos_are_accepted(self) -> None:
        self.upload(
            SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"),
            SimpleUploadedFile("evil.jpg", b"MZ\x90\x00 this is not a picture"),
            SimpleUploadedFile("ok.png", image_bytes("PNG")),
        )
        self.assertEqual(
            list(FacilityPhoto.objects.values_list("original_name", flat=True)), ["ok.png"]
        )
        page = self.client.get(self.facility.get_absolute_url())
        messages = [str(m) for m in page.context["messages"]]
        self.assertTrue(any("不是照片" in m for m in messages), messages)
        self.assertTrue(any("evil.jpg" in m for m in messages), messages)

    def test_delete_and_scope(self) -> None:
        self.upload(SimpleUploadedFile("a.jpg", image_bytes()))
        photo = FacilityPhoto.objects.get()
        url = reverse("facilities:photo_delete", args=[photo.pk])
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertEqual(
            self.upload(SimpleUploadedFile("b.jpg", image_bytes()), user=self.viewer).status_code,
            403,
        )  # type: ignore[attr-defined]
        self.client.force_login(self.staff_a)
        self.client.post(url)
        self.assertFalse(FacilityPhoto.objects.exists())
        self.assertTrue(
            AuditEntry.objects.filter(action=Action.DELETE, model="facilities.facilityphoto")
        )

    def test_a_deleted_facilitys_photos_are_gone_too(self) -> None:
        self.upload(SimpleUploadedFile("a.jpg", image_bytes()))
        photo = FacilityPhoto.objects.get()
        self.client.post(reverse("facilities:delete", args=[self.facility.pk]))
        response = self.client.get(reverse("facilities:photo", args=[photo.pk]))
        self.assertEqual(response.status_code, 404)
