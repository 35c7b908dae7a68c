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


class TopBarTests(BaseTestCase):
    """The top bar (templates/_topbar.html): what comes from the user and the request is
    escaped, and the switch and sign-out work from any page."""

    def test_names_and_paths_are_escaped(self) -> None:
        self.staff_a.name = '<b>王"'
        self.staff_a.save()
        self.client.force_login(self.staff_a)
        page = self.client.get("/activities/", {"q": '"><script>'}).content.decode()
        assert "&lt;b&gt;王&quot;" in page and "<b>王" not in page
        assert "<script>" not in page
        assert 'aria-current="page">活动</a>' in page
        assert '<span class="who">' in page and 'name="csrfmiddlewaretoken"' in page

    def test_the_switch_returns_to_the_page_and_sign_out_ends_the_session(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get("/activities/", {"type": "1"}).content.decode()
        assert 'name="next" type="hidden" value="/activities/?type=1"' in page
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/activities/?type=1"})
        self.assertRedirects(r, "/activities/?type=1", fetch_redirect_response=False)
        english = self.client.get("/activities/").content.decode()
        assert 'value="zh-hans"' in english and ">Log out<" in english
        self.client.post("/logout/")
        assert self.client.get("/activities/").status_code == 302

    def test_signed_out_pages_show_only_the_brand_and_the_switch(self) -> None:
        page = self.client.get("/login/").content.decode()
        assert 'class="brand"' in page and 'value="en"' in page
        assert 'class="nav"' not in page and 'class="who"' not in page
