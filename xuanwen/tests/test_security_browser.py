"""The Content-Security-Policy in a real browser: the behaviour moved out of inline handlers
still works (a deletion asks first), and the walks' watch (tests/browser.py) does see a page
that breaks the policy, so its silence in every other walk means something."""

from playwright.sync_api import Browser, Dialog, Page

from xuanwen.accounts.models import Role
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, PHONE, log_in, people, watch_policies
from xuanwen.units.models import Unit

pytestmark = BROWSER_TEST


def test_a_deletion_asks_first_and_no_answers_keep_the_record(live_server, phone: Page) -> None:
    people(admin=(Tree.COUNTY, Role.ADMIN))
    base = live_server.url
    log_in(phone, base, "admin")
    phone.goto(f"{base}/units/{Tree.VILLAGE_A2}/")
    asked: list[str] = []

    def answer(yes: bool) -> None:
        def handle(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if yes else dialog.dismiss()

        phone.once("dialog", handle)

    answer(yes=False)
    phone.click("form[data-confirm] button.danger")
    assert asked == ["确定删除？删除后可在操作记录中恢复。"]
    assert phone.url == f"{base}/units/{Tree.VILLAGE_A2}/"
    assert Unit.objects.filter(code=Tree.VILLAGE_A2).exists()

    answer(yes=True)
    phone.click("form[data-confirm] button.danger")
    phone.wait_for_url(f"{base}/units/{Tree.TOWNSHIP_A}/")
    assert len(asked) == 2
    assert "已删除“井头社区”" in phone.inner_text(".messages")
    assert not Unit.objects.filter(code=Tree.VILLAGE_A2).exists()


def test_the_watch_sees_a_page_breaking_the_policy(live_server, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    found = watch_policies(page)
    page.goto(f"{live_server.url}/login/")
    assert found == []
    # What an inline handler left in a template would do: the browser refuses to run it.
    page.evaluate(
        """() => {
        const heading = document.querySelector("h1");
        heading.setAttribute("onclick", "document.title = 'ran'");
        heading.dispatchEvent(new MouseEvent("click"));
    }"""
    )
    page.wait_for_timeout(200)
    assert page.title() != "ran"
    assert any("script-src-attr" in line for line in found), found
    assert any("Content Security Policy" in line for line in found), found
    context.close()
