"""Pinyin search keys for Chinese names: ``张秀英`` → ``zhangxiuying zxy``.

Each character's readings are looked up once and cached, so a key costs a few dict
lookups (a whole-name lookup in pypinyin costs ~80 µs, too slow for 100,000-row
imports). A surname read differently from the common word (曾 zeng/ceng, 单
shan/dan) gets a key per reading; the other characters take their most common
reading. Non-Chinese characters are kept, lower-cased.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, pinyin

MAX_LENGTH = 128
SURNAME_READINGS = 3


@lru_cache(maxsize=50_000)
def _readings(char: str) -> tuple[str, ...]:
    if char.isascii():
        return (char.lower(),) if char.isalnum() else ()
    found = pinyin(char, heteronym=True, style=Style.NORMAL)[0]
    return tuple(dict.fromkeys(r.lower() for r in found if r.isascii() and r.isalpha()))


def search_key(name: str) -> str:
    """Full pinyin and initials of each reading, separated by spaces (search with ``contains``)."""
    chars = [r for r in map(_readings, name) if r]
    if not chars:
        return ""
    rest = [r[0] for r in chars[1:]]
    keys = []
    for first in chars[0][:SURNAME_READINGS]:
        readings = [first, *rest]
        keys += ["".join(readings), "".join(r[0] for r in readings)]
    return " ".join(dict.fromkeys(keys))[:MAX_LENGTH]
