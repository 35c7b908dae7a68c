"""The English catalogue is complete: a fuzzy or empty entry shows Chinese to English readers
(gettext skips both). After `make messages`, fill what this names."""

import ast
import gettext
import re
from pathlib import Path

import xuanwen

PO = Path(xuanwen.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries() -> list[str]:
    text = PO.read_text(encoding="utf-8")
    return [
        e for e in text.split("\n\n") if "msgid" in e and 'msgid ""\nmsgstr ""\n"Project' not in e
    ]


def test_no_entry_is_fuzzy() -> None:
    fuzzy = [e for e in entries() if re.search(r"^#,.*\bfuzzy\b", e, re.M)]
    assert not fuzzy, "\n\n".join(fuzzy)


def test_every_entry_is_translated() -> None:
    def translated(entry: str) -> bool:
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry + "\n", re.M)
        return bool(strings) and all(re.sub(r'"\s*"|"', "", s).strip() for s in strings)

    missing = [e for e in entries() if not translated(e)]
    assert not missing, "\n\n".join(missing)


def test_the_compiled_catalogue_has_every_entry() -> None:
    """The .mo gettext reads was compiled from this .po (`make messages` does both)."""
    with PO.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in entries():
        found = re.search(r'^msgid ((?:".*"\n?)+)', entry + "\n", re.M)
        assert found is not None, entry
        msgid = "".join(ast.literal_eval(piece) for piece in re.findall(r'".*"', found[1]))
        context = re.search(r'^msgctxt (".*")', entry, re.M)
        if context:
            msgid = f"{ast.literal_eval(context[1])}\x04{msgid}"
        key = (msgid, 0) if "msgid_plural" in entry else msgid
        if key not in catalogue:
            stale.append(msgid)
    assert not stale, stale
