"""Which of two claims came first: by publication date, then by the date said; unknown is said, not invented."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["direction", "moment"]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def moment(published: str | None) -> str | None:
    """A publication date as a sortable string: the day (``2024-03-17``), or the UTC minute when the page gives a
    time with its zone (``2024-03-17T15:40``); None for no date or a partial one."""
    if not published or not _ISO.match(published):
        return None
    if len(published) <= 10:
        return published[:10]
    try:
        when = dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return published[:10]
    if when.tzinfo is None:
        return published[:10]
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")


def _before(x: str, y: str) -> bool | None:
    """Whether ``x`` is earlier than ``y`` (days, or UTC minutes when both have one); None when they do not tell."""
    if x[:10] != y[:10]:
        return x[:10] < y[:10]
    if len(x) > 10 and len(y) > 10 and x != y:
        return x < y
    return None


def direction(first: tuple[str | None, str | None], second: tuple[str | None, str | None]
              ) -> tuple[bool | None, dict[str, Any]]:
    """Which of two claims came first, each given as (publication :func:`moment`, day said): by publication date
    (and time, when both pages give one), then by the date said. Returns True when ``first`` is the earlier, False
    when ``second`` is, None when the dates do not tell, and the evidence, which then says the order is unknown
    rather than inventing one."""
    (pa, ea), (pb, eb) = first, second
    if pa and pb and (order := _before(pa, pb)) is not None:
        return order, {"known": True, "basis": "publication dates", "a": pa, "b": pb}
    if ea and eb and (order := _before(ea, eb)) is not None:
        return order, {"known": True, "basis": "dates said", "a": ea, "b": eb}
    if pa and pb:
        why = f"both published on {pa[:10]}"
    else:
        missing = [x for x, d in (("a", pa), ("b", pb)) if not d]
        why = f"no publication date for {' and '.join(missing)}"
    return None, {"known": False, "basis": None, "a": pa or ea, "b": pb or eb,
                  "note": f"which came first is unknown ({why}); the order shown is not a direction"}
