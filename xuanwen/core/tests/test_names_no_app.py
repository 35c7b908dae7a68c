"""core names no app above it (docs/architecture.md): not by import, which `lint-imports`
checks, nor by a dotted path, a template path or a URL name, which it cannot see."""

import re
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
PACKAGE = CORE.parent


def apps_above() -> list[str]:
    return sorted(
        p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name != "core"
    )


def test_core_names_no_app_above_it() -> None:
    names = "|".join(map(re.escape, apps_above()))
    # An app's dotted path, a template path under its name, or one of its URL names (quoted,
    # in Python or in a template tag).
    pattern = re.compile(rf"xuanwen\.({names})\b|[\"']({names})[/:]")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(CORE.rglob("*"))
        if path.suffix in {".py", ".html", ".txt"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_it_knows_the_apps() -> None:
    assert {"units", "accounts", "audit", "activities", "demo", "tests"} <= set(apps_above())
