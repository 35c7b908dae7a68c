"""我的令牌 in a real browser at phone width: reached from the top bar, a token made (its secret
shown once, and it opens the API), then revoked after the page asks; nothing scrolls sideways,
taps are big enough, and no page breaks the Content-Security-Policy (the `phone` fixture)."""

from pathlib import Path

from playwright.sync_api import Dialog, Page

from xuanwen.accounts.models import Role, User
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, check, log_in
from xuanwen.tests.browser import people as make_people

pytestmark = BROWSER_TEST


def api_status(page: Page, base: str, raw: str) -> tuple[int, dict[str, str]]:
    r = page.request.get(f"{base}/api/v1/units/", headers={"Authorization": f"Bearer {raw}"})
    return r.status, (r.json() if r.status != 200 else {})


def test_a_keeper_makes_and_revokes_a_token_on_a_phone(
    live_server, phone: Page, tmp_path: Path
) -> None:
    people: dict[str, User] = make_people(keeper=(Tree.VILLAGE_A, Role.VILLAGE_ADMIN))
    assert people
    base = live_server.url
    log_in(phone, base, "keeper")
    phone.click("text=我的令牌")
    phone.wait_for_url(f"{base}/tokens/")
    check(phone, tmp_path, "tokens-empty")

    phone.fill("#id_name", "书屋登记脚本")
    phone.select_option("#id_days", "30")
    phone.click("button.primary")
    raw = phone.input_value("#new-token")
    assert raw.startswith("xw_")
    assert "书屋登记脚本" in phone.inner_text(".rows")
    check(phone, tmp_path, "tokens-created")
    assert api_status(phone, base, raw)[0] == 200

    # Shown once: coming back lists the token by its prefix only.
    phone.goto(f"{base}/tokens/")
    assert raw not in phone.content()

    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    phone.on("dialog", answer)
    phone.click("button.danger")
    phone.wait_for_load_state()
    assert "已撤销令牌“书屋登记脚本”" in phone.inner_text(".messages")
    check(phone, tmp_path, "tokens-revoked")
    status, body = api_status(phone, base, raw)
    assert (status, body["detail"]) == (401, "令牌已撤销，请在“我的令牌”页面新建一个。")
