"""Every response carries the Content-Security-Policy and the Permissions-Policy next to
Django's own security headers (core.middleware.SecurityPolicyMiddleware), and no template
holds what that policy refuses: inline scripts, event handlers, styles or eval'd attributes.
The browser walks (xuanwen/tests/browser.py) check the same from the other side: a page that
breaks the policy fails them."""

import re
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from xuanwen.activities.tests.helpers import make_activity
from xuanwen.core.middleware import SecurityPolicyMiddleware, permissions_header, policy_header
from xuanwen.testing import BaseTestCase, Tree

PACKAGE = Path(settings.BASE_DIR) / "xuanwen"


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


# A URL map with one failing view, for the policy on Django's 500 answer.
urlpatterns = [path("broken/", broken)]


class SecurityHeaderTests(BaseTestCase):
    def assertPolicies(self, response: HttpResponse, label: str) -> None:
        csp = response.headers.get("Content-Security-Policy", "")
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ):
            self.assertIn(directive, csp.split("; "), label)
        self.assertNotIn("unsafe-", csp, label)
        policy = response.headers.get("Permissions-Policy", "")
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            self.assertIn(f"{feature}=()", policy.split(", "), label)
        # Django's own headers stay.
        self.assertEqual(response.headers.get("X-Frame-Options"), "DENY", label)
        self.assertEqual(response.headers.get("X-Content-Type-Options"), "nosniff", label)
        self.assertEqual(response.headers.get("Referrer-Policy"), "same-origin", label)

    def test_every_kind_of_response_carries_the_policies(self) -> None:
        activity = make_activity(Tree.TOWNSHIP_A)
        self.client.force_login(self.staff_a)
        pages = {
            "home": ("/", 200),
            "a list": ("/activities/", 200),
            "a detail": (f"/activities/{activity.pk}/", 200),
            "a unit's page": (f"/units/{Tree.TOWNSHIP_A}/", 200),
            "an htmx fragment": (f"/units/search/?q={Tree.TOWNSHIP_A}", 200),
            "a page outside the scope": (f"/units/{Tree.TOWNSHIP_B}/", 404),
            "no such page": ("/no-such-page/", 404),
            "a form the role may not use": (f"/units/{Tree.TOWNSHIP_A}/edit/", 403),
        }
        for label, (url, status) in pages.items():
            headers = {"HX-Request": "true"} if "htmx" in label else {}
            response = self.client.get(url, headers=headers)
            self.assertEqual(response.status_code, status, label)
            self.assertPolicies(response, label)

    def test_the_api_carries_the_policies(self) -> None:
        bearer = self.bearer(self.staff_a)
        for label, url, status in [
            ("an API list", "/api/v1/activities/", 200),
            ("the API description", "/api/v1/openapi.json", 200),
            ("an unknown API address", "/api/v1/no-such-thing/", 404),
        ]:
            response = self.client.get(url, **bearer)
            self.assertEqual(response.status_code, status, label)
            self.assertPolicies(response, label)
        response = self.client.get("/api/v1/activities/")
        self.assertEqual(response.status_code, 401)
        self.assertPolicies(response, "the API without a token")

    def test_signed_out_pages_and_redirects_carry_the_policies(self) -> None:
        for label, url, status in [
            ("the sign-in page", "/login/", 200),
            ("a page asking for a sign-in", "/activities/", 302),
        ]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, status, label)
            self.assertPolicies(response, label)

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_server_error_carries_the_policies(self) -> None:
        response = Client(raise_request_exception=False).get("/broken/")
        self.assertEqual(response.status_code, 500)
        self.assertPolicies(response, "a server error")

    def test_a_stored_upload_keeps_its_own_stricter_policy(self) -> None:
        # core.files.serve_stored sends uploads with `default-src 'none'; sandbox`; the
        # site-wide policy must not replace it.
        own = "default-src 'none'; img-src 'self'; sandbox"

        def upload(request: HttpRequest) -> HttpResponse:
            response = HttpResponse(b"...", content_type="image/jpeg")
            response["Content-Security-Policy"] = own
            return response

        response = SecurityPolicyMiddleware(upload)(HttpRequest())
        self.assertEqual(response["Content-Security-Policy"], own)
        self.assertIn("camera=()", response["Permissions-Policy"])

    @override_settings(DEBUG=True)
    def test_with_debug_on_django_s_technical_error_pages_are_left_alone(self) -> None:
        # Their inline script and style are what a developer needs to read the error.
        self.client.force_login(self.staff_a)
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Content-Security-Policy", response.headers)
        self.assertIn("Content-Security-Policy", self.client.get("/").headers)

    def test_the_headers_are_built_from_the_settings(self) -> None:
        self.assertEqual(
            policy_header(
                {
                    "img-src": ["'self'", "data:"],
                    "upgrade-insecure-requests": True,
                    "report-uri": [],
                    "sandbox": False,
                }
            ),
            "img-src 'self' data:; upgrade-insecure-requests",
        )
        self.assertEqual(
            permissions_header({"camera": [], "fullscreen": ["self"]}),
            "camera=(), fullscreen=(self)",
        )
        with override_settings(SECURE_CSP_REPORT_ONLY={"script-src": ["'none'"]}):
            response = self.client.get("/login/")
        self.assertEqual(response["Content-Security-Policy-Report-Only"], "script-src 'none'")
        self.assertNotIn("Content-Security-Policy-Report-Only", self.client.get("/login/"))


# What the policy refuses, as it would appear in a template. Data for a script goes through
# `{{ value|json_script:"id" }}`, rendered as <script type="application/json">: data, allowed.
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    # An attribute follows a space, or a template tag: `{% else %}onsubmit=...`.
    "an event handler attribute": re.compile(r"<[^>]*[\s}]on[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"<[^>]*[\s}]style\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "htmx's hx-on (evaluated)": re.compile(r"[\s}](?:data-)?hx-on"),
    "a javascript: address or js: value": re.compile(r"""["'](?:javascript|js):""", re.I),
}


COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def templates() -> list[Path]:
    roots = [PACKAGE / "templates", *PACKAGE.glob("*/templates")]
    return sorted(p for root in roots for p in root.rglob("*.html"))


def without_comments(text: str) -> str:
    """The template with its comments blanked out, lines kept where they were: a comment may
    name what it avoids."""
    return COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)


class NoInlineCodeTests(BaseTestCase):
    def test_it_scans_every_template(self) -> None:
        names = {p.relative_to(PACKAGE).as_posix() for p in templates()}
        assert {"templates/base.html", "records/templates/records/_actions.html"} <= names

    def test_no_template_holds_what_the_policy_refuses(self) -> None:
        offenders = []
        for template in templates():
            text = without_comments(template.read_text())
            for what, pattern in INLINE.items():
                for m in pattern.finditer(text):
                    line = text[: m.start()].count("\n") + 1
                    offenders.append(f"{template.relative_to(PACKAGE)}:{line}: {what}")
        assert not offenders, "\n".join(offenders)

    def test_the_scan_sees_each_kind(self) -> None:
        samples = {
            "an inline <script>": '<script>alert(1)</script><script src="/s.js"></script>',
            "an event handler attribute": '<form method=post\n  {% if x %}{% else %}onsubmit="">',
            "a style attribute": '<p class="x" style="color: red">',
            "a <style> element": "<style>p {}</style>",
            "htmx's hx-on (evaluated)": '<button hx-on:click="go()">',
            "a javascript: address or js: value": """<a href="javascript:go()">""",
        }
        for what, sample in samples.items():
            self.assertEqual(len(INLINE[what].findall(sample)), 1, what)
        harmless = (
            '<script src="/static/x.js" defer></script><script type="application/json" id="d">'
            '<form data-confirm="删除？" hx-confirm="删除？" class="inline">'
        )
        for what, pattern in INLINE.items():
            self.assertEqual(pattern.findall(harmless), [], what)
        commented = "{# no <style> here #}\n{% comment %}\nnor onclick=\n{% endcomment %}<p>"
        self.assertEqual(without_comments(commented), "\n\n\n<p>")
