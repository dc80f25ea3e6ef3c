"""Content words: the lexical overlap that candidate selection, the judges and the timeline share; and the
few name folds the judges use to see one subject under two names ("Russian" / "Russia", "the Kremlin" / "Moscow")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from crossnews.extract.attribution.marks import find_quotes, find_single_quotes

__all__ = ["content_words", "content_sequence", "STOP", "WORD", "fold_name", "fold_word", "words_of", "quoted_phrases"]

STOP = frozenset("""a an the of to in on at for from by with and or but as is are was were be been being has have
had that this these those it its their his her they he she we you i our us them him me my your said says say told
also after before than then there which who whom whose what when where while into over under about against between
during would will could should may might can not no more most other some such only own same so very just one
because if do does did done how all any each both out up down off again further once here why now anything something
nothing everything anyone someone everyone anybody somebody""".split())
WORD = re.compile(r"[^\W\d_](?:(?:[^\W\d_]|['’-])*[^\W\d_])?|\d+(?:[.,]\d+)*%?")  # letters of any script: "González"


#: the quotation marks :func:`quoted_phrases` takes off a quote's ends
_MARKS = "'\"“”‘’«»„‟"


@lru_cache(maxsize=65536)
def words_of(text: str) -> str:
    """The words of ``text``, lower-cased and joined by single spaces, punctuation left out ("it’s" as "it's")."""
    return " ".join(m.group(0).lower().replace("’", "'") for m in WORD.finditer(text))


@lru_cache(maxsize=65536)
def quoted_phrases(text: str) -> frozenset[str]:
    """The phrases ``text`` puts in quotation marks (paired as the attribution rules pair them: double marks, and
    single ones that are no apostrophes, "Britain’s"), as :func:`words_of` gives them: at least two words and ten
    letters ("circus show", "highly likely"), the speaker's own words however the rest is paraphrased."""
    out = set()
    for start, end in find_quotes(text) + find_single_quotes(text):
        phrase = words_of(text[start:end].strip(_MARKS))  # the spans hold their marks
        if phrase.count(" ") >= 1 and len(phrase) >= 10:
            out.add(phrase)
    return frozenset(out)


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of ``text`` that carry content (no stop words, no one-letter words)."""
    return frozenset(content_sequence(text))


def content_sequence(text: str) -> list[str]:
    """The words of :func:`content_words`, in their order in ``text``, repeats kept."""
    out = []
    for m in WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w not in STOP and len(w) > 1:
            out.append(w)
    return out


# A name and the words that stand for the same party in news copy: demonyms, capitals and seats of government
# used by metonymy, and a few armed forces' and security services' acronyms. Lower-cased; the value is the
# canonical key.
_NAME_FOLDS: dict[str, tuple[str, ...]] = {
    "russia": ("russian", "russians", "moscow", "kremlin", "russian federation", "fsb"),
    "ukraine": ("ukrainian", "ukrainians", "kiev", "kyiv", "sbu"),
    "united states": ("us", "u.s", "u.s.", "usa", "american", "americans", "america", "washington", "white house",
                      "pentagon", "cia", "fbi"),
    "united kingdom": ("uk", "u.k", "u.k.", "britain", "british", "london", "downing street", "whitehall", "mi5",
                       "mi6"),
    "israel": ("israeli", "israelis", "idf", "jerusalem", "zionist", "mossad", "shin bet"),  # "the Zionist enemy"
    "palestine": ("palestinian", "palestinians", "gaza", "gazan", "gazans", "west bank"),
    "china": ("chinese", "beijing"),
    "france": ("french", "paris", "elysee"),
    "germany": ("german", "germans", "berlin"),
    "iran": ("iranian", "iranians", "tehran"),
    "syria": ("syrian", "syrians", "damascus"),
    "turkey": ("turkish", "ankara", "turkiye"),
    # demonyms the regular endings do not make (see _demonym)
    "netherlands": ("dutch", "holland"),
    "switzerland": ("swiss",),
    "greece": ("greek", "greeks"),
    "thailand": ("thai",),
    "denmark": ("danish", "dane", "danes"),
    "sweden": ("swedish", "swede", "swedes"),
    "finland": ("finnish", "finn", "finns"),
    "ireland": ("irish",),
    "spain": ("spanish", "spaniard", "spaniards"),
    "portugal": ("portuguese",),
    "philippines": ("filipino", "filipinos", "philippine"),
    "united arab emirates": ("uae", "emirati", "emiratis"),
    "kazakhstan": ("kazakh",),
    "uzbekistan": ("uzbek",),
    "argentina": ("argentine", "argentinian", "argentinians"),
    "slovakia": ("slovak",),
    "czechia": ("czech", "czech republic"),
    "morocco": ("moroccan", "moroccans"),
    "somalia": ("somali", "somalis"),
    "norway": ("norwegian", "norwegians"),
    "belgium": ("belgian", "belgians"),
    # ISO 3166's names of countries news copy calls otherwise
    "myanmar": ("burma", "burmese"),
    "cote d'ivoire": ("ivory coast", "ivorian"),
    "north macedonia": ("macedonia",),
    "eswatini": ("swaziland",),
    "cabo verde": ("cape verde",),
    "brunei darussalam": ("brunei",),
    "timor-leste": ("east timor",),
    "iraq": ("iraqi", "iraqis", "baghdad"),
    "egypt": ("egyptian", "cairo"),
    "lebanon": ("lebanese", "beirut"),
    "jordan": ("jordanian", "amman"),
    "saudi arabia": ("saudi", "saudis", "riyadh"),
    "qatar": ("qatari", "doha"),
    "india": ("indian", "new delhi"),
    "pakistan": ("pakistani", "islamabad"),
    "japan": ("japanese", "tokyo"),
    "north korea": ("north korean", "pyongyang", "dprk", "d.p.r.k."),
    "south korea": ("south korean", "seoul"),
    "poland": ("polish", "warsaw"),
    "belarus": ("belarusian", "minsk"),
    "georgia": ("georgian", "tbilisi"),
    "european union": ("eu", "e.u.", "european", "brussels"),
    "nato": ("north atlantic treaty organization",),
    "united nations": ("un", "u.n.", "u.n"),
    "crimea": ("crimean", "crimeans"),
    "canada": ("canadian", "ottawa"),
    "mexico": ("mexican",),
    "venezuela": ("venezuelan", "caracas"),
    "afghanistan": ("afghan", "kabul"),
    "malaysia": ("malaysian", "malaysians", "putrajaya", "kuala lumpur", "wisma putra"),
}
_FOLD = {alias: key for key, aliases in _NAME_FOLDS.items() for alias in (key, *aliases)}


def known_name(words: str) -> bool:
    """Whether ``words`` (lower case, space-separated) is a name the fold table knows, as key or alias ("united
    states", "white house", "united arab emirates")."""
    return plain(words) in _FOLD


def fold_name(word: str) -> str:
    """The canonical key of a name or demonym (``"Russian"`` → ``"russia"``, ``"Peruvian"`` → ``"peru"``); other
    words lower-cased, with a possessive dropped."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = plain(w)  # "González" / "Gonzalez", "Nicolás" / "Nicolas": one name
    return _FOLD.get(w) or _demonym(w) or w


def plain(text: str) -> str:
    """``text`` without accents ("nicolás maduro": "nicolas maduro")."""
    return text if text.isascii() else "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


#: a demonym's ending and what the country's name may end with in its place ("peru-vian", "chile-an",
#: "ital-ian" / "italy", "kore-an" / "korea", "ukrain-ian" / "ukraine", "sudan-ese", "kuwait-i")
_DEMONYM_ENDINGS = (("vians", ""), ("vian", ""), ("ians", "ia"), ("ian", "ia"), ("ian", "y"), ("ian", "e"),
                    ("ian", ""), ("ans", "a"), ("an", "a"), ("an", ""), ("ese", ""), ("ese", "a"), ("is", ""),
                    ("i", ""))


@lru_cache(maxsize=8192)
def _demonym(word: str) -> str | None:
    """The country whose demonym ``word`` is, by the regular endings (names in the fold table aside)."""
    if len(word) < 5 or not word.isalpha():
        return None
    known = _country_keys()
    for ending, back in _DEMONYM_ENDINGS:
        if word.endswith(ending) and (base := word[: -len(ending)] + back) in known and len(base) >= 4:
            return base
    return None


# Stems of common nouns that news copy uses for one thing (crude stems, as the judges' ``stem`` gives them).
_WORD_FOLDS: dict[str, tuple[str, ...]] = {
    "vote": ("vote", "votes", "voting", "referendum", "referendums", "referenda", "plebiscite", "ballot", "poll"),
    "blast": ("blast", "explosion", "detonation"),
    "airstrike": ("airstrike", "air-strike", "bombing", "bombardment"),
    "kill": ("kill", "dead", "death", "died", "dies", "die"),
    "wound": ("wound", "injur", "injury"),
    "ship": ("ship", "vessel", "boat", "warship"),
    "sailor": ("sailor", "crew", "crewmen", "seamen"),
    "seize": ("seize", "seiz", "capture", "captur", "detain", "detention"),
}
_WORD_FOLD = {alias: key for key, aliases in _WORD_FOLDS.items() for alias in aliases}


def fold_word(word_stem: str) -> str:
    """The shared key of a common noun's stem that has a near-synonym in news copy (``"referendum"`` → ``"vote"``);
    other stems unchanged."""
    return _WORD_FOLD.get(word_stem, word_stem)


@lru_cache(maxsize=1)
def _country_keys() -> frozenset[str]:
    """The folded keys of every country's names (ISO 3166 via pycountry: "Russian Federation" -> "russia")."""
    import pycountry

    keys = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:  # accents off, as fold_name takes them off: "Türkiye" is "turkey"
                keys.add(_FOLD.get(w := plain(value.split(",")[0].strip().lower()), w))
    return frozenset(keys)


def countries(keys: Iterable[str]) -> frozenset[str]:
    """The keys among ``keys`` (folded names) that name a country."""
    known = _country_keys()
    return frozenset(k for k in keys if k in known)
