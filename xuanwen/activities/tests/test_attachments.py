import hashlib
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from xuanwen.activities.models import Attachment, AttachmentKind
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree, temporary_media

from .helpers import image_bytes, make_activity

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def zipped(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def exif_with_gps_and_rotation() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned, rotate 90° clockwise to show
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (28.0, 51.0, 0.0), 3: "E", 4: (121.0, 8.0, 0.0)}  # GPS
    return exif


class AttachmentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.activity = make_activity(Tree.TOWNSHIP_A, title="元宵灯谜会")

    def setUp(self) -> None:
        self.media = temporary_media(self)

    def upload(self, name: str, content: bytes, user: object = None, **extra: object) -> object:
        self.client.force_login(user or self.staff_a)  # type: ignore[arg-type]
        url = reverse("activities:attachment_upload", args=[self.activity.pk])
        return self.client.post(
            url, {"files": SimpleUploadedFile(name, content), **extra}, follow=True
        )

    def messages(self, response: object) -> list[str]:
        return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]

    def test_photo_is_reencoded_without_exif_and_turned_upright(self) -> None:
        raw = image_bytes("JPEG", (80, 40), exif=exif_with_gps_and_rotation())
        response = self.upload("IMG_0001.JPG", raw)
        self.assertIn("已上传 1 个文件。", self.messages(response))
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.kind, AttachmentKind.PHOTO)
        self.assertEqual(attachment.content_type, "image/jpeg")
        self.assertEqual(attachment.original_name, "IMG_0001.JPG")
        self.assertTrue(attachment.file.name.endswith(".jpg"))
        with attachment.file.open("rb") as f:
            stored = f.read()
        self.assertEqual(attachment.sha256, hashlib.sha256(stored).hexdigest())
        self.assertEqual(attachment.size, len(stored))
        image = Image.open(io.BytesIO(stored))
        self.assertEqual(image.size, (40, 80))  # orientation applied
        self.assertEqual(dict(image.getexif()), {})  # GPS and maker gone
        self.assertNotIn(b"PhoneMaker", stored)
        self.assertAudited(Action.CREATE, model="activities.attachment", unit_code=Tree.TOWNSHIP_A)

    def test_thumbnail_is_a_small_jpeg(self) -> None:
        self.upload("big.png", image_bytes("PNG", (1000, 500)))
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.content_type, "image/png")
        response = self.client.get(reverse("activities:attachment_thumb", args=[attachment.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        thumb = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        self.assertEqual((thumb.format, thumb.size), ("JPEG", (320, 160)))

    def test_webp_accepted(self) -> None:
        self.upload("a.webp", image_bytes("WEBP"))
        self.assertEqual(Attachment.objects.get().content_type, "image/webp")

    def test_exe_renamed_jpg_is_refused(self) -> None:
        exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
        response = self.upload("活动照片.jpg", exe)
        messages = self.messages(response)
        self.assertTrue(any("不是允许的文件类型" in m and "活动照片.jpg" in m for m in messages))
        self.assertFalse(Attachment.objects.exists())

    def test_broken_and_unusual_images_are_refused(self) -> None:
        jpeg = image_bytes("JPEG", (200, 200))
        response = self.upload("half.jpg", jpeg[: len(jpeg) // 3])
        self.assertTrue(any("无法作为图片打开" in m for m in self.messages(response)))
        gif = io.BytesIO()
        Image.new("P", (4, 4)).save(gif, "GIF")
        response = self.upload("a.gif", gif.getvalue())
        self.assertTrue(any("不是允许的文件类型" in m for m in self.messages(response)))
        self.assertFalse(Attachment.objects.exists())

    def test_documents_recognised_by_content(self) -> None:
        cases = [
            ("总结.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n", "application/pdf"),
            (
                "方案.docx",
                zipped({"[Content_Types].xml": CONTENT_TYPES.format(main=DOCX_MAIN), "a": "b"}),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("旧表.xls", OLE_HEADER + b"\x00" * 1024, "application/vnd.ms-excel"),
            ("歌.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "audio/mpeg"),
            (
                "片.mp4",
                b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64,
                "video/mp4",
            ),
            (
                "录像.mov",
                b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 64,
                "video/quicktime",
            ),
        ]
        for name, content, mime in cases:
            with self.subTest(name=name):
                self.upload(name, content)
                attachment = Attachment.objects.get(original_name=name)
                self.assertEqual(attachment.kind, AttachmentKind.FILE)
                self.assertEqual(attachment.content_type, mime)
                self.assertEqual(attachment.sha256, hashlib.sha256(content).hexdigest())

    def test_lookalike_containers_are_refused(self) -> None:
        cases = [
            ("方案.docx", zipped({"word/document.xml": "<w/>"})),  # a zip, no content types
            ("宏.docx", zipped({"[Content_Types].xml": CONTENT_TYPES.format(main=DOCM_MAIN)})),
            ("setup.doc", b"PK\x03\x04garbage-not-a-zip" + b"\x00" * 64),
            ("installer.msi", OLE_HEADER + b"\x00" * 1024),  # OLE, but not Word or Excel
            ("readme.pdf", b"just text, named pdf"),
        ]
        for name, content in cases:
            with self.subTest(name=name):
                response = self.upload(name, content)
                self.assertTrue(any("不是允许的文件类型" in m for m in self.messages(response)))
        self.assertFalse(Attachment.objects.exists())

    @override_settings(UPLOAD_MAX_MB=1)
    def test_size_limit_names_the_limit(self) -> None:
        big = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
        response = self.upload("大文件.pdf", big)
        self.assertTrue(any("不能超过 1 MB" in m for m in self.messages(response)))
        self.assertFalse(Attachment.objects.exists())

    def test_one_bad_file_does_not_cost_the_others(self) -> None:
        self.client.force_login(self.staff_a)
        url = reverse("activities:attachment_upload", args=[self.activity.pk])
        response = self.client.post(
            url,
            {
                "files": [
                    SimpleUploadedFile("a.jpg", image_bytes()),
                    SimpleUploadedFile("b.jpg", b"MZ" + b"\x00" * 100),
                ]
            },
        )
        self.assertRedirects(response, self.activity.get_absolute_url() + "#attachments")
        self.assertEqual(Attachment.objects.count(), 1)

    def test_download_is_scoped_and_safe(self) -> None:
        self.upload("报告.pdf", b"%PDF-1.7\n%%EOF\n")
        self.upload("合影.png", image_bytes("PNG"))
        pdf = Attachment.objects.get(original_name="报告.pdf")
        photo = Attachment.objects.get(original_name="合影.png")
        url = reverse("activities:attachment", args=[pdf.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertIn("filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf", response["Content-Disposition"])
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.7\n%%EOF\n")
        photo_url = reverse("activities:attachment", args=[photo.pk])
        self.assertTrue(self.client.get(photo_url)["Content-Disposition"].startswith("inline;"))
        # The viewer of the county may look; staff of another township may not even know.
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("activities:attachment_thumb", args=[photo.pk])).status_code,
            404,
        )
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(photo_url).status_code, 404)

    def test_detail_page_shows_thumbnails_and_files(self) -> None:
        self.upload("合影.png", image_bytes("PNG"))
        self.upload("报告.pdf", b"%PDF-1.7\n%%EOF\n")
        photo = Attachment.objects.get(kind=AttachmentKind.PHOTO)
        page = self.client.get(self.activity.get_absolute_url())
        self.assertContains(page, reverse("activities:attachment_thumb", args=[photo.pk]))
        self.assertContains(page, "报告.pdf")
        self.assertNotContains(page, "/media/")

    def test_delete_attachment(self) -> None:
        self.upload("合影.png", image_bytes("PNG"))
        attachment = Attachment.objects.get()
        url = reverse("activities:attachment_delete", args=[attachment.pk])
        self.client.force_login(self.staff_b)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(
            self.client.post(url), self.activity.get_absolute_url() + "#attachments"
        )
        self.assertFalse(Attachment.objects.exists())
        self.assertAudited(Action.DELETE, model="activities.attachment", unit_code=Tree.TOWNSHIP_A)

    def test_viewer_and_other_staff_cannot_upload(self) -> None:
        self.client.force_login(self.viewer)
        url = reverse("activities:attachment_upload", args=[self.activity.pk])
        response = self.client.post(url, {"files": SimpleUploadedFile("a.png", image_bytes("PNG"))})
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.staff_b)
        response = self.client.post(url, {"files": SimpleUploadedFile("a.png", image_bytes("PNG"))})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Attachment.objects.exists())

    def test_attachments_of_deleted_activity_are_gone(self) -> None:
        self.upload("合影.png", image_bytes("PNG"))
        attachment = Attachment.objects.get()
        self.client.post(reverse("activities:delete", args=[self.activity.pk]))
        url = reverse("activities:attachment", args=[attachment.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    @override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10)
    def test_uploads_spooled_to_disk_work_the_same(self) -> None:
        self.upload("合影.jpg", image_bytes("JPEG", (400, 300)))
        self.upload("报告.pdf", b"%PDF-1.7\n" + b"0" * 5000)
        self.assertEqual(
            set(Attachment.objects.values_list("kind", flat=True)),
            {AttachmentKind.PHOTO, AttachmentKind.FILE},
        )
        pdf = Attachment.objects.get(kind=AttachmentKind.FILE)
        with pdf.file.open("rb") as f:
            self.assertEqual(f.read(), b"%PDF-1.7\n" + b"0" * 5000)

    def test_deleted_attachment_can_be_restored_from_the_audit(self) -> None:
        from xuanwen.audit.services import audit_restore

        self.upload("合影.png", image_bytes("PNG"))
        attachment = Attachment.objects.get()
        self.client.post(reverse("activities:attachment_delete", args=[attachment.pk]))
        entry = AuditEntry.objects.get(action=Action.DELETE, model="activities.attachment")
        audit_restore(user=self.admin, entry=entry)
        # The stored files were kept on delete, so the restored record serves them again.
        response = self.client.get(reverse("activities:attachment_thumb", args=[attachment.pk]))
        self.assertEqual(response.status_code, 200)
