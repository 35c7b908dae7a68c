"""A village keeper lends a book and takes it back on a phone (see tests/test_browser.py)."""

from pathlib import Path

from playwright.sync_api import Page

from xuanwen.accounts.models import Role
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.bookhouses.models import Loan
from xuanwen.testing import Tree, frozen
from xuanwen.tests.browser import BROWSER_TEST, TODAY, check, log_in, people

from .helpers import add_loan, add_stock, make_bookhouse

pytestmark = BROWSER_TEST


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@frozen(TODAY)
def test_a_village_keeper_lends_and_takes_back_a_book_on_a_phone(
    live_server,
    phone: Page,
    tmp_path: Path,
) -> None:
    keeper = people(keeper=(Tree.VILLAGE_A, Role.VILLAGE_ADMIN))["keeper"]
    house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋")
    add_stock(house, 1600)
    # A loan already out, with a long title: its row must wrap, not push the page sideways.
    add_loan(house, reader="张秀英", title="新时代农村实用技术丛书：设施蔬菜栽培与病虫害绿色防控")
    base = live_server.url

    log_in(phone, base, "keeper")
    phone.goto(f"{base}/bookhouses/{house.pk}/")
    no_sideways_scroll(phone)
    check(phone, tmp_path, "bookhouse")

    # The quick form: who and which book; today and 30 days are filled in.
    assert phone.input_value("#id_lent_on") == f"{TODAY:%Y-%m-%d}"
    phone.fill("#id_reader_name", "王大妈")
    phone.fill("#id_reader_phone", "13800000000")
    phone.fill("#id_title", "果树栽培技术")
    no_sideways_scroll(phone)
    phone.click("#quick-loan button.primary")
    phone.wait_for_url(f"{base}/bookhouses/{house.pk}/")
    assert "已登记：王大妈 借《果树栽培技术》" in phone.inner_text(".messages")
    no_sideways_scroll(phone)
    check(phone, tmp_path, "bookhouse-lent")

    loan = Loan.objects.get(facility=house, reader_name="王大妈")
    assert (loan.title, loan.reader_phone, loan.lent_on, loan.returned_on) == (
        "果树栽培技术",
        "13800000000",
        TODAY,
        None,
    )
    assert loan.created_by == keeper

    # 归还 in one tap: the row leaves 在借图书 and the count above drops (htmx), the page is
    # not reloaded.
    row = phone.locator(f"#loan-{loan.pk}")
    open_before = int(phone.inner_text("#loans-open"))
    row.get_by_role("button", name="归还").click()
    row.wait_for(state="detached")
    assert int(phone.inner_text("#loans-open")) == open_before - 1
    no_sideways_scroll(phone)
    check(phone, tmp_path, "bookhouse-returned")

    loan.refresh_from_db()
    assert loan.returned_on == TODAY
    assert Loan.objects.filter(facility=house, returned_on__isnull=True).count() == 1
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, model="bookhouses.loan", object_pk=str(loan.pk), actor=keeper
    ).exists()
