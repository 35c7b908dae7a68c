from django.conf import settings

from xuanwen.testing import BaseTestCase


class LanguageTests(BaseTestCase):
    def test_it_shows_chinese_to_an_english_browser(self) -> None:
        r = self.client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert "登录" in r.content.decode()
        assert r["Content-Language"] == "zh-hans"

    def test_it_shows_english_once_chosen(self) -> None:
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
        assert r.status_code == 302
        assert self.client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        r = self.client.get("/login/")
        assert r["Content-Language"] == "en"
        assert "登录宣文" not in r.content.decode()
