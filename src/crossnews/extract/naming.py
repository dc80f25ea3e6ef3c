"""How one document names things: the words around each entity mention and each noun of a contested kind.

Entry function: :func:`naming_terms`, over a parsed document and its entity mentions. It gives one *term* per
naming: the referent (the mention's document-level entity key, or ``concept:<name>`` for a noun of one of the
:data:`CONCEPTS`), the naming phrase's ``[start, end)`` and its words (``form``), and the *markers* found in them.
The stories' side-by-side table of these terms is built across documents by :mod:`crossnews.align.framing`.

The naming phrase is read off the dependency parse:

* the noun phrase of the mention up to its last word, without determiners and possessives: titles, epithets and
  qualifiers printed before the name are kept ("Velorian Foreign Minister Irena Vostal", "the so-called referendum");
* a name that is the object of "of" after a qualified noun ("the occupied province of X", "the regime of X") takes
  that noun and its modifiers;
* participles that qualify it from the right when the qualifier lexicon holds them ("the referendum staged in...");
* quote marks right around the phrase or the name make it a *scare quote*;
* "describe/call/label/brand X as 'Y'": a short quoted or qualified ``Y`` is a naming of ``X`` too;
* an appositive ("X, the self-proclaimed leader of Y,") is a naming of its own, marked ``appositive``.

Markers come from lexicons written for crossnews (:data:`QUALIFIERS`, affixes such as ``-backed``), grouped by what
they do: ``distancing`` (so-called, self-proclaimed, alleged), ``delegitimising`` (illegal, sham, puppet),
``legitimising`` (legitimate, historic, genuine), ``labelling`` (terrorist, regime, extremist), ``affiliation``
(X-backed, pro-X), and ``scare-quotes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["CONCEPTS", "QUALIFIERS", "naming_terms", "normalise_form", "markers_of"]

#: nouns of one kind that outlets choose between to name the same thing; the key names the concept
CONCEPTS: dict[str, frozenset[str]] = {
    "vote": frozenset({"referendum", "plebiscite", "vote", "ballot", "poll", "election", "elections"}),
    "takeover": frozenset({"annexation", "reunification", "accession", "incorporation", "occupation", "takeover",
                           "liberation", "homecoming", "reintegration", "seizure", "unification"}),
    "military action": frozenset({"invasion", "operation", "offensive", "incursion", "aggression", "intervention",
                                  "assault", "attack", "war", "conflict", "deployment", "bombardment", "shelling"}),
    "armed group": frozenset({"rebels", "rebel", "separatists", "separatist", "militants", "militant", "terrorists",
                              "insurgents", "insurgent", "fighters", "militia", "militias", "guerrillas",
                              "partisans", "gunmen", "paramilitaries", "volunteers"}),
    "government": frozenset({"government", "regime", "authorities", "administration", "junta", "leadership",
                             "cabinet"}),
    "protest": frozenset({"protest", "protests", "demonstration", "demonstrations", "riot", "riots", "unrest",
                          "uprising", "rally", "revolt", "coup", "insurrection", "revolution"}),
    "migrants": frozenset({"migrants", "refugees", "immigrants", "asylum-seekers", "aliens", "illegals",
                           "invaders"}),
    "killing": frozenset({"killing", "killings", "murder", "execution", "massacre", "slaughter", "genocide",
                          "deaths", "liquidation"}),
    "detention": frozenset({"arrest", "detention", "abduction", "kidnapping", "imprisonment", "capture"}),
}
_CONCEPT_OF = {noun: name for name, nouns in CONCEPTS.items() for noun in nouns}

#: qualifiers and epithets by what they do (lower case; multi-word ones are matched on the phrase's words)
QUALIFIERS: dict[str, frozenset[str]] = {
    "distancing": frozenset({"so-called", "self-proclaimed", "self-styled", "self-declared", "self-appointed",
                             "alleged", "purported", "supposed", "would-be", "claimed", "reported", "presumed",
                             "unrecognised", "unrecognized", "de facto"}),
    "delegitimising": frozenset({"illegal", "illegitimate", "unlawful", "sham", "fake", "bogus", "farcical",
                                 "rigged", "staged", "fraudulent", "phony", "phoney", "pseudo", "mock", "puppet",
                                 "occupied", "occupying", "annexed", "illegally", "void", "invalid", "unconstitutional",
                                 "orchestrated", "stage-managed", "hastily", "hasty"}),
    "legitimising": frozenset({"legitimate", "lawful", "legal", "historic", "genuine", "free", "fair", "democratic",
                               "popular", "overwhelming", "peaceful", "liberated", "rightful", "sovereign",
                               "constitutional", "landmark", "heroic", "brave", "courageous"}),
    "labelling": frozenset({"terrorist", "terrorists", "extremist", "extremists", "radical", "radicals", "hardline",
                            "hard-line", "regime", "junta", "criminal", "brutal", "notorious", "infamous",
                            "authoritarian", "dictatorial", "dictator", "fascist", "neo-nazi", "nazi", "thug", "thugs",
                            "bandit", "bandits", "militant", "separatist", "rebel", "breakaway", "renegade",
                            "disgraced", "embattled", "controversial", "aggressor", "hostile", "rogue", "illegals"}),
}
_QUALIFIER_OF = {w: kind for kind, words in QUALIFIERS.items() for w in words}
#: affixes of affiliation: "Moscow-backed", "state-run", "pro-Western"
_AFFIX = re.compile(r"^(?:pro|anti)-\w|-(?:backed|controlled|installed|led|sponsored|funded|allied|linked|run|"
                    r"appointed|held|supported|aligned|imposed|friendly)$", re.IGNORECASE)
#: verbs that name what they take ("call X 'Y'", "describe X as Y")
_NAMING_VERBS = frozenset({"call", "describe", "label", "brand", "term", "dub", "characterise", "characterize",
                           "denounce", "hail", "condemn", "portray", "present", "style", "refer"})
QUOTES_OPEN = "\"“«‘'„"
QUOTES_CLOSE = "\"”»’'“"
_SKIP_DEPS = frozenset({"det", "poss", "case", "predet", "punct", "cc", "preconj"})
_PHRASE_MAX = 10  # the most words of a naming phrase
_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})


_PLAIN = str.maketrans("“”«»„‘’–—", "\"\"\"\"\"''--")


def normalise_form(text: str) -> str:
    """The words of a naming as a table shows them: whitespace collapsed, curly quotes and dashes made plain."""
    text = text.translate(_PLAIN)
    return re.sub(r"\s+", " ", text).strip()


def markers_of(words: Iterable[str]) -> list[str]:
    """``kind:word`` for each qualifier or affiliation affix among ``words`` (in order, once each)."""
    out: list[str] = []
    ws = [w.lower().strip("\"'“”‘’«»") for w in words]
    joined = " ".join(ws)
    for phrase, kind in _QUALIFIER_OF.items():
        if " " in phrase and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", joined):
            out.append(f"{kind}:{phrase}")
    for w in ws:
        found = _QUALIFIER_OF.get(w)
        if found is not None:
            m = f"{found}:{w}"
        elif _AFFIX.search(w):
            m = f"affiliation:{w}"
        else:
            continue
        if m not in out:
            out.append(m)
    return out


def _hyphen_words(tokens: Sequence[Any]) -> list[str]:
    """Words of a token run with hyphenated compounds joined ("so - called" as spaCy splits it → "so-called")."""
    words: list[str] = []
    glue = False
    for k, t in enumerate(tokens):
        if t.text == "-" and words and k > 0 and not tokens[k - 1].whitespace_ and not t.whitespace_:
            words[-1] += "-"
            glue = True
        elif glue:
            words[-1] += t.text
            glue = False
        else:
            words.append(t.text)
    return words


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` is wrapped in quote marks (a short quotation: a scare quote)."""
    return start > 0 and end < len(text) and text[start - 1] in QUOTES_OPEN and text[end] in QUOTES_CLOSE


_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "advmod", "quantmod", "punct", "nummod"})


def _modifier(t: Any) -> bool:
    """Whether a left dependent (with its subtree) qualifies the noun: an adjective, a noun or name, a title, a quote
    mark; not a clause, a preposition or a number ("more than 93 percent backed ...")."""
    if t.dep_ not in _MODIFIER_DEPS or (t.dep_ == "punct" and t.text not in QUOTES_OPEN + QUOTES_CLOSE + "-"):
        return False
    for x in t.subtree:
        if x.pos_ in ("ADP", "NUM", "PRON", "SCONJ", "CCONJ") or x.dep_ in ("nsubj", "dobj", "relcl", "acl"):
            return False
        if x.pos_ in ("VERB", "AUX") and x.lower_ not in _QUALIFIER_OF:
            doc = x.doc
            hyphened = (x.i > 0 and doc[x.i - 1].text == "-") or (x.i + 1 < len(doc) and doc[x.i + 1].text == "-")
            if not hyphened:
                return False
    return True


def _left_edge(head: Any, stop: int) -> int:
    """The first token of the head's noun phrase that is a modifier (not a determiner or possessive), and not
    before ``stop``: the run of modifiers right before the head."""
    first = int(head.i)
    for t in sorted(head.lefts, key=lambda x: -x.i):
        if t.i < stop or t.right_edge.i != first - 1 or not _modifier(t):
            break
        first = int(t.left_edge.i)
    return first


def _term(sdoc: Any, referent: str, kind: str, a: int, b: int, extra: Sequence[str] = ()) -> dict[str, Any] | None:
    """A term over the tokens ``[a, b)`` (inclusive of quote marks right around them)."""
    from crossnews.core.nlp import doc_text

    text = doc_text(sdoc)
    if b <= a:
        return None
    tokens = sdoc[a:b]
    start, end = tokens.start_char, tokens.end_char
    if b - a > _PHRASE_MAX:
        return None
    words = _hyphen_words(list(tokens))
    markers = markers_of(words)
    inner = sum(text[start:end].count(q) for q in set(QUOTES_OPEN + QUOTES_CLOSE) - {"'", "’"})
    if inner % 2 and end < len(text) and text[end] in QUOTES_CLOSE:  # a quote closed right after the phrase
        end += 1
    elif inner % 2 and start > 0 and text[start - 1] in QUOTES_OPEN:
        start -= 1
    if _quoted(text, start, end):
        start, end = start - 1, end + 1
        markers.append("scare-quotes")
    elif any(t.text in QUOTES_OPEN + QUOTES_CLOSE for t in tokens):
        markers.append("scare-quotes")
    for m in extra:
        if m not in markers:
            markers.append(m)
    form = normalise_form(text[start:end])
    if not form or "\n" in text[start:end]:
        return None
    return {"referent": referent, "kind": kind, "start": start, "end": end, "form": form, "markers": markers}


def _phrase(sdoc: Any, head: Any, first: int, last: int) -> tuple[int, int]:
    """Token range ``[a, b)`` of the naming phrase of a name or noun spanning tokens ``first..last`` with ``head``
    its syntactic head: its noun phrase's modifiers to the left, "N of [name]", and qualifying participles."""
    a = min(first, _left_edge(head, 0))
    b = last + 1
    # "the occupied province of Kharvik": the name is the object of "of" after a noun
    prep = head.head
    if head.dep_ == "pobj" and prep.lower_ == "of" and prep.head.pos_ in ("NOUN", "PROPN") and prep.head.i < a:
        noun = prep.head
        lead = min(_left_edge(noun, 0), noun.i)
        if markers_of(_hyphen_words(list(sdoc[lead:noun.i + 1]))):  # only a qualified noun: not "the people of X"
            a = min(a, lead)
    # "the referendum staged in ...": a qualifying participle right after the phrase
    for t in head.rights:
        if t.dep_ in ("acl", "amod") and t.i == b and t.lower_ in _QUALIFIER_OF:
            b = t.i + 1
    return a, b


def _names_another(tok: Any) -> bool:
    """Whether ``tok`` is what a naming verb calls its object ("call X [Y]", "describe X as [Y]")."""
    verb = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "as" else tok.head
    if tok.dep_ not in ("pobj", "oprd", "xcomp", "attr") or verb.lemma_.lower() not in _NAMING_VERBS:
        return False
    return any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children)


def naming_terms(sdoc: Any, mentions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The naming terms of one parsed document (``sdoc`` parses its analysis text): one per entity mention (of
    ``mentions``: dicts with ``entity``, ``start``, ``end``, ``type``) and per noun of a :data:`CONCEPTS` kind, plus
    appositives and "call X 'Y'" namings; sorted by offset."""
    from crossnews.core.nlp import doc_text

    text = doc_text(sdoc)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()

    def add(term: dict[str, Any] | None) -> None:
        if term is None:
            return
        key = (term["referent"], term["start"], term["end"])
        if key not in seen:
            seen.add(key)
            out.append(term)

    def naming_of(head: Any, referent: str, kind: str) -> None:
        """Appositives and "call X 'Y'" namings of the thing ``head`` heads."""
        for t in head.rights:
            if t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN"):
                a = _left_edge(t, head.i + 1)
                while a < t.i and sdoc[a].dep_ in _SKIP_DEPS:
                    a += 1
                b = t.i + 1
                of = next((c for c in t.rights if c.dep_ == "prep" and c.lower_ == "of" and c.i == b), None)
                if of is not None and not any(x.pos_ in ("VERB", "AUX") for x in of.subtree):
                    b = of.right_edge.i + 1
                if b - a >= 2:  # a bare noun ("the chair") says little, and is often a misparse
                    add(_term(sdoc, referent, kind, a, b, ("appositive",)))
        verb = head.head
        if head.dep_ in ("dobj", "nsubjpass") and verb.lemma_.lower() in _NAMING_VERBS:
            for t in verb.children:
                target = None
                if t.dep_ in ("oprd", "xcomp", "attr") and t.pos_ in ("NOUN", "PROPN", "ADJ"):
                    target = t
                elif t.dep_ == "prep" and t.lower_ == "as":
                    target = next((c for c in t.children if c.dep_ == "pobj"), None)
                if target is None:
                    continue
                a, b = _left_edge(target, 0), target.i + 1
                sub = sdoc[a:b]
                if _quoted(text, sub.start_char, sub.end_char) or markers_of(x.text for x in sub):
                    add(_term(sdoc, referent, kind, a, b, ("named-as",)))

    for m in mentions:
        if m.get("type") not in _TYPES:
            continue
        span = sdoc.char_span(m["start"], m["end"], alignment_mode="expand")
        if span is None or not len(span):
            continue
        head = span.root
        a, b = _phrase(sdoc, head, span.start, span.end - 1)
        add(_term(sdoc, m["entity"], "entity", a, b))
        naming_of(head, m["entity"], "entity")
    for tok in sdoc:
        if tok.pos_ != "NOUN":
            continue
        concept = _CONCEPT_OF.get(tok.lower_) or _CONCEPT_OF.get(tok.lemma_.lower())
        if concept is None:
            continue
        if tok.dep_ == "compound":  # "referendum commission": the commission, not the vote
            continue
        if _names_another(tok):  # "described the vote as a 'historic homecoming'": a naming of the vote
            continue
        a, b = _phrase(sdoc, tok, tok.i, tok.i)
        add(_term(sdoc, f"concept:{concept}", "concept", a, b))
        naming_of(tok, f"concept:{concept}", "concept")
    return sorted(out, key=lambda t: (t["start"], t["end"], t["referent"]))
