"""A page's header: its title, shown as its heading and in the window's title, and the crumbs
before it. The view says them once (`header(...)` in its context) and base.html prints them,
so a template does not write the same words in its title block and its h1. Record pages get it
from `records.pages` (RecordPages, list_page), import pages from `core.imports.ImportFlow`.
"""

from dataclasses import dataclass
from typing import Any

from django.shortcuts import resolve_url
from django.utils.functional import Promise


@dataclass(frozen=True)
class Header:
    """A page's title, shown as its heading and in the window's title (base.html), and the
    crumbs before it: (URL, label) pairs, the way back up."""

    title: str | Promise
    crumbs: tuple[tuple[str, str | Promise], ...] = ()
    # What the page is of, after the title in the window's title only (a bookhouse's
    # register: the heading says which register, the window also which bookhouse).
    of: str | Promise = ""


def header(
    title: str | Promise, *crumbs: tuple[Any, str | Promise], of: str | Promise = ""
) -> dict[str, Header]:
    """The context entry heading a page: `title`, after the crumbs, each a URL name, a record
    (its own page) or a URL, with its label."""
    return {"header": Header(title, tuple((resolve_url(to), label) for to, label in crumbs), of)}
