"""The frame of every page (top bar, stylesheets), built in Python, its fixed parts kept.

The top bar is the same for every signed-in user of a language on the same section but for
the user's name and the CSRF token, yet as template tags (a `url`, `translate` and `if` for
each of its links and forms) it was about half the time of rendering an empty page. Its fixed
parts are built once per (language, script prefix, section) and reused.
"""

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    """One link of the top bar, current on the pages of its namespaces (or only its names)."""

    url_name: str
    label: Promise
    namespaces: tuple[str, ...]
    names: tuple[str, ...] = ()

    def is_current(self, namespace: str, name: str) -> bool:
        return namespace in self.namespaces and (not self.names or name in self.names)


NAV = (
    NavItem("home", _("首页"), ("",), ("home",)),
    NavItem("activities:list", _("活动"), ("activities",)),
    NavItem("plans:list", _("计划"), ("plans",)),
    NavItem("facilities:list", _("阵地"), ("facilities",)),
    NavItem("opening:list", _("开放"), ("opening", "workdays")),
    NavItem("duties:list", _("常规工作"), ("duties",)),
    NavItem("teams:team_list", _("队伍培训"), ("teams",)),
    NavItem("bookhouses:list", _("书屋"), ("bookhouses",)),
    NavItem("indicators:table", _("指标"), ("indicators",)),
    NavItem("units:search", _("找单位"), ("units",), ("search",)),
    NavItem("audit:list", _("操作记录"), ("audit",)),
)


@lru_cache(maxsize=512)
def _nav(language: str | None, prefix: str, namespace: str, name: str) -> SafeString:
    links = format_html_join(
        "\n",
        '<a href="{}"{}>{}</a>',
        (
            (
                reverse(item.url_name),
                SafeString(' aria-current="page"') if item.is_current(namespace, name) else "",
                str(item.label),
            )
            for item in NAV
        ),
    )
    return format_html('<nav class="nav" aria-label="{}">{}</nav>', str(_("栏目")), links)


@dataclass(frozen=True)
class _Bar:
    """The top bar's fixed parts for one language, script prefix and section."""

    brand: str
    nav: str
    language_form: str  # up to the CSRF token
    language_button: str  # after the hidden `next`
    logout_form: str  # up to the CSRF token
    logout_button: str


@lru_cache(maxsize=512)
def _bar(language: str | None, prefix: str, namespace: str, name: str) -> _Bar:
    english = language == "en"
    return _Bar(
        brand=format_html('<a class="brand" href="{}">{}</a>', reverse("home"), _("宣文")),
        nav=_nav(language, prefix, namespace, name),
        language_form=format_html(
            '<form action="{}" method="post" class="inline">', reverse("set_language")
        ),
        language_button=(
            '<button name="language" value="zh-hans" class="link" lang="zh-hans">中文</button>'
            if english
            else '<button name="language" value="en" class="link" lang="en">English</button>'
        ),
        logout_form=format_html(
            '<form action="{}" method="post" class="inline">', reverse("logout")
        ),
        logout_button=format_html('<button class="link">{}</button>', _("退出")),
    )


@register.simple_tag(takes_context=True)
def site_header(context: Any) -> SafeString:
    """The top bar: brand, the sections (the current one marked), language switch, the user
    and sign-out; the same markup the template had."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    bar = _bar(
        get_language(),
        get_script_prefix(),
        (match.namespace or "") if match else "",
        (match.url_name or "") if match else "",
    )
    csrf_token = str(context.get("csrf_token") or "")
    token = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        if csrf_token and csrf_token != "NOTPROVIDED"  # noqa: S105 — as {% csrf_token %} does
        else ""
    )
    path = escape(request.get_full_path()) if request is not None else ""
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    parts = [
        bar.brand,
        bar.nav if signed_in else "",
        '<div class="session">',
        f'{bar.language_form}{token}<input name="next" type="hidden" value="{path}">'
        f"{bar.language_button}</form>",
    ]
    if signed_in:
        who = f"{user.get_full_name() or user.username} · {user.get_role_display()}"
        parts.append(f'<span class="who">{escape(who)}</span>')
        parts.append(f"{bar.logout_form}{token}{bar.logout_button}</form>")
    parts.append("</div>")
    return mark_safe("\n".join(parts))  # noqa: S308 — fixed parts built by format_html, the rest escaped


@lru_cache(maxsize=8)
def _assets(prefix: str) -> SafeString:
    # Hashed names come from the static files' manifest, fixed for the life of the process.
    return format_html(
        '<link rel="stylesheet" href="{}">\n'
        '  <link rel="stylesheet" href="{}">\n'
        '  <script src="{}" defer></script>',
        static("xuanwen/css/xuanwen.css"),
        static("xuanwen/css/records.css"),
        static("xuanwen/js/htmx-2.0.11.min.js"),
    )


@register.simple_tag
def site_assets() -> SafeString:
    """The stylesheets and script every page loads (looked up in the manifest once)."""
    return _assets(get_script_prefix())
