"""Text helpers shared by the apps."""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.seg import mmseg


def pinyin_of(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case, phrase-aware: 临海市 → ("linhaishi", "lhs")."""
    full = "".join(lazy_pinyin(name, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return full, initials


# RE_HANS is "^(?:[…])+$", one run of characters that have a pinyin; without its anchors it
# finds each such run in a text.
_HANS_RUN = re.compile(RE_HANS.pattern.removeprefix("^").removesuffix("$"), RE_HANS.flags)


@lru_cache(maxsize=50_000)
def _word_pinyin(word: str) -> tuple[str, str]:
    return pinyin_of(word)


@lru_cache(maxsize=100_000)
def _run_pinyin(run: str) -> tuple[str, str]:
    parts = [_word_pinyin(word) for word in mmseg.seg.cut(run)]
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)


def pinyin_of_many(name: str) -> tuple[str, str]:
    """The same as pinyin_of, some hundred times faster over many names that share words.

    pinyin_of spends about 0.5 ms per title, nearly all of it redoing work done for earlier
    titles; an import of 100,000 would take over a minute. pypinyin first splits a text into
    runs of Chinese characters and the rest (which has no pinyin: errors="ignore"), cuts each
    run into words (mmseg) and converts each word on its own. The same steps here, each run and
    each word converted once and remembered, give the same result: "文化社区元宵晚会第12期"
    costs two look-ups once "文化社区元宵晚会第" and "期" have been seen.
    """
    parts = [_run_pinyin(run) for run in _HANS_RUN.findall(name)]
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)
