"""Quote marks: double and single quote marks paired into ``[start, end)`` spans that include the marks."""

from __future__ import annotations

import re

from crossnews.extract.attribution.base import CLOSE_QUOTES, OPEN_QUOTES, STRAIGHT, Frag

_MARK = re.compile(r"''|[“”«»„‟\"]")


def find_quotes(text: str) -> list[Frag]:
    """Pair double quote marks into ``[start, end)`` spans that include the marks.

    Curly and guillemet marks pair by direction; straight marks (and the doubled apostrophe ``''`` some papers
    print) alternate within a paragraph. A quote left open at the end of a paragraph continues when the next
    paragraph opens with a quote mark (the news convention for quotes over several paragraphs), or runs to the end
    of a text cut off in a quote paragraph; otherwise the stray mark is ignored. Never raises.
    """
    spans: list[Frag] = []
    pending: int | None = None  # start of a quote carried over from an earlier paragraph
    for para in re.finditer(r"[^\n]+", text):
        marks = [(m.start(), m.end(), m.group(0)) for m in _MARK.finditer(text, para.start(), para.end())]
        open_at: int | None = None
        carried = pending
        pending = None
        starts_with_mark = bool(marks) and not text[para.start():marks[0][0]].strip()
        if carried is not None and not starts_with_mark:
            carried = None  # the earlier open quote was a stray mark
        for n, (m_start, m_end, mark) in enumerate(marks):
            opening = mark in OPEN_QUOTES or (mark in (STRAIGHT, "''") and open_at is None)
            if mark in CLOSE_QUOTES and open_at is None and n == 0 and starts_with_mark and carried is None:
                opening = True  # a closing mark typed where a paragraph opens a quote
            if opening and open_at is not None and mark in OPEN_QUOTES and _typed_backwards(text, m_start, m_end):
                opening = False  # "... against naval ships, “ the Ukrainian Navy command stated": it closes
            if opening:
                if open_at is not None:
                    open_at = m_start  # a second opening mark: the first one was stray
                    continue
                open_at = carried if (n == 0 and carried is not None and starts_with_mark) else m_start
                carried = None
            elif open_at is not None:
                spans.append((open_at, m_end))
                open_at = None
        if open_at is not None:
            pending = open_at
    line_start = text.rfind("\n", 0, pending) + 1 if pending is not None else 0
    if pending is not None and not text[line_start:pending].strip():
        # a quote paragraph still open where the text ends: a page the scraper cut off mid-quote
        spans.append((pending, len(text.rstrip())))
    return spans


def _typed_backwards(text: str, start: int, end: int) -> bool:
    """Whether an opening mark at ``[start, end)`` closes the open quote: after the quote's closing punctuation
    and before a lower-case word (the reporting clause), as a mark typed the wrong way round is."""
    return bool(re.search(r"[,.!?]\s*$", text[max(0, start - 3):start])) \
        and bool(re.match(r"\s+[a-z]", text[end:end + 3]))


_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[“\"—–-]))[‘'](?=\S)")


def find_single_quotes(text: str) -> list[Frag]:
    """Pair single quote marks (‘...’ and '...'), which also serve as apostrophes: a mark opens after a space
    or an opening bracket, and the first mark not followed by a letter closes it (so "Russia’s" never does).
    A quote is kept only within one paragraph and up to 600 characters. Never raises."""
    spans: list[Frag] = []
    for m in _SINGLE_OPEN.finditer(text):
        start = m.start()
        if text[start:start + 2] == "''" or (start > 0 and text[start - 1] == "'"):
            continue
        if spans and start < spans[-1][1]:
            continue
        limit = min(len(text), start + 600)
        for i in range(start + 1, limit):
            ch = text[i]
            if ch == "\n":
                break
            if ch in "’'" and (i + 1 >= len(text) or not text[i + 1].isalpha()) and text[i - 1] not in " \t":
                if not (ch == "'" and text[i - 1] in "sS" and i + 1 < len(text) and text[i + 1] == " "
                        and text[start] == "’"):
                    spans.append((start, i + 1))
                    break
    return spans
