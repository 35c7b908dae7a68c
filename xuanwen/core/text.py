"""Text helpers shared by the apps."""

from pypinyin import Style, lazy_pinyin


def pinyin_of(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case, phrase-aware: 临海市 → ("linhaishi", "lhs")."""
    full = "".join(lazy_pinyin(name, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return full, initials
