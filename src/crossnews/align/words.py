"""Content words: the lexical overlap that candidate selection, the judges and the timeline share."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["content_words", "STOP", "WORD"]

STOP = frozenset("""a an the of to in on at for from by with and or but as is are was were be been being has have
had that this these those it its their his her they he she we you i our us them him me my your said says say told
also after before than then there which who whom whose what when where while into over under about against between
during would will could should may might can not no more most other some such only own same so very just one
because if do does did done how all any each both out up down off again further once here why now""".split())
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*%?")


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of ``text`` that carry content (no stop words, no one-letter words)."""
    out = set()
    for m in WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w not in STOP and len(w) > 1:
            out.add(w)
    return frozenset(out)
