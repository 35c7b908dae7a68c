"""A phone's top bar shows a few sections and 更多; the menu page behind it has them all. A unit's
page leads to its records and figures, each filtered to the unit."""

import re

from xuanwen.testing import BaseTestCase, Tree


class MenuAndUnitLinksTests(BaseTestCase):
    def test_the_menu_page_has_every_section_of_the_bar(self) -> None:
        self.client.force_login(self.keeper)
        home = self.client.get("/").content.decode()
        bar = re.search(r'<nav class="nav".*?</nav>', home, re.S)[0]  # type: ignore[index]
        sections = set(re.findall(r'href="(/[^"]*)"', bar)) - {"/menu/"}
        assert 'class="nav-more" href="/menu/"' in bar and len(sections) > 10
        menu = self.client.get("/menu/").content.decode()
        listed = re.search(r'<nav class="menu-page".*?</nav>', menu, re.S)[0]  # type: ignore[index]
        assert set(re.findall(r'href="(/[^"]*)"', listed)) == sections
        self.client.logout()
        assert self.client.get("/menu/").status_code == 302  # sign in first

    def test_a_units_page_leads_to_its_records_and_figures(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(f"/units/{Tree.VILLAGE_A}/").content.decode()
        for path in ("/indicators/", "/activities/", "/facilities/", "/duties/compliance/"):
            assert f'href="{path}?unit={Tree.VILLAGE_A}"' in page, path
        listed = self.client.get(f"/indicators/?unit={Tree.VILLAGE_A}").content.decode()
        assert "文化社区" in listed
