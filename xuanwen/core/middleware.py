"""Request middleware of our own."""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    """Chinese unless the user picked another language with the switch in the top bar.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a county office
    PC with an English-language browser would show English to people who read Chinese. Only the
    explicit choice (the language cookie set by set_language) counts here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.allowed else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # For this request only: what runs after it in the same thread (a test, a command)
        # must not inherit one user's language.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def policy_header(directives: Mapping[str, Sequence[str] | bool]) -> str:
    """`{"img-src": ["'self'", "data:"], "upgrade-insecure-requests": True}` as the header's
    text, `img-src 'self' data:; upgrade-insecure-requests`; a directive set to False or to no
    sources is left out (an empty source list would mean nothing allowed only by accident)."""
    parts = []
    for name, sources in directives.items():
        if sources is True:
            parts.append(name)
        elif sources:
            parts.append(" ".join([name, *sources]))
    return "; ".join(parts)


def permissions_header(features: Mapping[str, Sequence[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` as `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


class SecurityPolicyMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response: pages, the API, static
    files, redirects and error pages alike (it sits first, so it wraps what every later
    middleware and the error handlers answer).

    Django 5.2 has neither header (6.0 brings SECURE_CSP and a middleware of its own). The
    settings SECURE_CSP and SECURE_CSP_REPORT_ONLY have the shape Django 6.0 reads, so moving to
    it means deleting this class. A response that already carries a policy keeps it: a stored
    upload is sent under a stricter one of its own (core.files.serve_stored).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # With DEBUG on, a 404 or 500 is Django's technical page, whose inline script and style
        # the policy would break just when a developer needs them. Off DEBUG (production, the
        # tests) those are our own pages and get the policy like every other response.
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        # Read per request rather than once at start-up: cheap, and override_settings works.
        for header, value in (
            ("Content-Security-Policy", policy_header(settings.SECURE_CSP)),
            ("Content-Security-Policy-Report-Only", policy_header(settings.SECURE_CSP_REPORT_ONLY)),
            ("Permissions-Policy", permissions_header(settings.PERMISSIONS_POLICY)),
        ):
            if value:
                response.headers.setdefault(header, value)
        return response


class NulRefusedMiddleware:
    """Refuse a request carrying a NUL character (U+0000) in its path, its query or a JSON body.

    PostgreSQL cannot store or even compare text holding NUL, so such a value reaching a query
    is a server error there (and silently different on SQLite). Forms already refuse it (Django's
    CharField prohibits it), but an API parameter or JSON string does not pass through one. No
    legitimate input holds NUL, so the request is answered at the door, the same way on both
    databases: a 422 in the API's JSON shape, a 400 for a page.
    """

    JSON_NUL = (b"\\u0000", b"\x00")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            message = translation.gettext("请求中含有空字符（U+0000），无法处理。")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=422)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def _carries_nul(self, request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            return True
        if request.content_type == "application/json":
            body = request.body.lower()
            return any(nul in body for nul in self.JSON_NUL)
        return False
