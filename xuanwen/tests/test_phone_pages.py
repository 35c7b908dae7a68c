"""Every list and entry page of every app at phone width, found by walking the URL patterns.

A township's staff member (who may write) opens each page that takes no path parameter: the
lists, the "new" forms, the week grids, the import pages. None may scroll sideways at 375 px,
and every control outside running text must be at least 44 px tall (a fingertip).
The pages are found the way the scope walker finds them, so a new app's pages are checked
without anyone adding them here.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern

from xuanwen.accounts.models import Role, User
from xuanwen.testing import Tree, make_tree
from xuanwen.tests.browser import BROWSER_TEST, PASSWORD, log_in
from xuanwen.tests.test_scope_walk import SKIPPED_ROUTES, resolver_routes

pytestmark = BROWSER_TEST

# Controls outside running text smaller than a fingertip; a checkbox or radio inside its label
# is tapped through the label, which must be tall enough itself.
SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input, select, textarea, label')]
  .filter(el => el.type !== 'hidden' && !el.closest('p'))
  .filter(el => !(['checkbox', 'radio'].includes(el.type) && el.closest('label')))
  .filter(el => el.tagName !== 'LABEL' || el.querySelector('[type=checkbox], [type=radio]'))
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width > 0 && r.height > 0 && r.height < 44)
  .map(([el, r]) => `${el.tagName} "${(el.textContent || el.name || '').trim().slice(0, 20)}" `
                    + `${Math.round(r.width)}x${Math.round(r.height)}`)"""

# How many rows the top bar's visible section links take.
NAV_ROWS = """() => new Set([...document.querySelectorAll('.nav a')]
  .map(a => a.getBoundingClientRect()).filter(r => r.width > 0).map(r => Math.round(r.top))).size"""

# Paths that are not pages a person reads: downloads, htmx fragments, redirects.
NOT_PAGES = (".xlsx", ".zip", ".json", "/units/", "choices/", "/export")


def phone_pages() -> list[str]:
    """Paths of the GET pages that need no record: "/activities/", "/facilities/new/" …"""
    paths = []
    for route, pattern, namespaces in resolver_routes():
        if "<" in route or route in SKIPPED_ROUTES or route.startswith(("api/", "static/")):
            continue
        if not isinstance(pattern, URLPattern) or (not namespaces and route):
            continue  # the project's own unnamespaced helpers (i18n …)
        path = "/" + route
        if path.endswith(NOT_PAGES) or "confirm" in path or "delete" in path:
            continue
        paths.append(path)
    return sorted(set(paths))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_without_a_record_fits_a_phone(
    live_server, phone, tmp_path: Path, language: str
) -> None:
    units = make_tree()
    User.objects.create_user(
        username="station", password=PASSWORD, unit=units[Tree.TOWNSHIP_A], role=Role.STAFF
    )
    base = live_server.url
    log_in(phone, base, "station")
    # The same checks in English, as a user who switched language (the cookie) sees them.
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}
    phone.context.add_cookies([cookie])  # type: ignore[list-item]
    pages = phone_pages()
    assert len(pages) > 20, pages  # the walk found the apps' pages
    too_wide: list[str] = []
    small: list[str] = []
    two_rows: list[str] = []
    for path in pages:
        # Asked first without rendering: Chromium will not show an empty 405.
        status = phone.request.get(base + path, max_redirects=0).status
        if status in (302, 403, 405):
            continue  # a page of another role (types, kinds), a POST-only action, a redirect
        assert status == 200, f"{path} → {status}"
        phone.goto(base + path)
        name = path.strip("/").replace("/", "-") or "home"
        phone.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        scroll = phone.evaluate("document.documentElement.scrollWidth")
        if scroll > 375:
            too_wide.append(f"{path}: {scroll} px")
        small.extend(f"{path}: {target}" for target in phone.evaluate(SMALL_TARGETS))
        # The sections make one row (the rest are behind 更多), not two or three.
        rows = phone.evaluate(NAV_ROWS)
        if rows > 1:  # 0: a fragment without the bar
            two_rows.append(f"{path}: {rows} rows")
    wraps = f"the top bar's sections wrap on a phone ({language}):\n"
    assert not two_rows, wraps + "\n".join(two_rows)
    assert not too_wide, f"pages scroll sideways at 375 px ({language}):\n" + "\n".join(too_wide)
    assert not small, f"tap targets under 44 px ({language}):\n" + "\n".join(small)
