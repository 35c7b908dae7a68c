"""Every asset is served locally: no template or static file points at another site (the
intranet has no internet, and a CDN link would fail there silently)."""

import re
from pathlib import Path

from django.conf import settings

from xuanwen.testing import BaseTestCase

PACKAGE = Path(settings.BASE_DIR) / "xuanwen"
# Where a vendored file's banner names its licence (ECharts: Apache 2.0, zrender's BSD): text in
# a comment that nothing fetches.
LICENCE = re.compile(
    r"https?://(www\.apache\.org/licenses/LICENSE-2\.0|github\.com/ecomfe/zrender/blob/master/LICENSE\.txt)"
)


def asset_files() -> list[Path]:
    roots = [PACKAGE / "templates", PACKAGE / "static", *PACKAGE.glob("*/templates")]
    roots += PACKAGE.glob("*/static")
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file())


class LocalAssetTests(BaseTestCase):
    def test_it_scans_the_templates_and_static_files(self) -> None:
        names = {p.name for p in asset_files()}
        assert {"base.html", "xuanwen.css", "home.html", "detail.html"} <= names

    def test_it_finds_no_external_url(self) -> None:
        offenders = []
        for path in asset_files():
            data = path.read_bytes()
            for scheme in (b"http://", b"https://"):
                for m in re.finditer(re.escape(scheme), data):
                    line = data[: m.start()].count(b"\n") + 1
                    context = data[m.start() : m.start() + 60].decode(errors="replace")
                    if LICENCE.match(context):
                        continue  # a vendored library's licence, named in its comment
                    offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {context}")
        assert not offenders, "\n".join(offenders)

    def test_it_finds_no_protocol_relative_url_in_pages(self) -> None:
        # `src="//cdn.example.com/x.js"` loads from another site too.
        offenders = []
        for path in asset_files():
            if path.suffix not in {".html", ".css"}:
                continue
            for m in re.finditer(rb"""(?:src|href|url\()\s*=?\s*["']?//""", path.read_bytes()):
                offenders.append(f"{path.relative_to(PACKAGE)}: {m.group().decode()}")
        assert not offenders, "\n".join(offenders)
