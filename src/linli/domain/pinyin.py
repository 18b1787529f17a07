"""Pinyin search keys for Chinese names: ``张秀英`` → ``zhangxiuying zxy``.

Each character's reading is looked up once and cached, so a key costs a few dict
lookups (a whole-name lookup in pypinyin costs ~80 µs, too slow for 100,000-row
imports). Polyphonic characters take their most common reading; non-Chinese
characters are kept, lower-cased.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin


@lru_cache(maxsize=50_000)
def _reading(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    return "".join(lazy_pinyin(char)).lower()


def search_key(name: str) -> str:
    """Full pinyin and initials, separated by a space (searchable with ``contains``)."""
    readings = [r for r in map(_reading, name) if r]
    return f"{''.join(readings)} {''.join(r[0] for r in readings)}"[:128]
