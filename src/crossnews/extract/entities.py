"""Stage 3c — entities: people, organisations and places named in one document, with their titles.

Entry function: :func:`extract_entities`. Mentions come from the spaCy named entities of the analysis text, with
the small model's type errors corrected by gazetteers that ship offline and by the document's own evidence: a
name the gazetteers know as a place is a place (the small model tags Crimea as ORG and Kiev or Donetsk as
PERSON) unless the document writes it as a person's full name. Within the document, surnames and titled mentions
("Lavrov", "Secretary Kerry") resolve to the full name met earlier, and titles printed before a name ("US
Secretary of State John Kerry", "former US Secretary of State John Kerry") are kept as the person's role in this
document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crossnews.core.records import Document
from crossnews.extract.names import name_tokens, place_id, slug

__all__ = ["EntityMention", "extract_entities", "entity_key"]

LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "LOC"}
_ROLE_WORDS = (r"(?:Secretary|Minister|President|Premier|Chancellor|Spokesman|Spokeswoman|Spokesperson|Ambassador|"
               r"Senator|Sen\.|Governor|Gov\.|Mayor|Councillor|Councilor|Councilman|Councilwoman|Alderman|"
               r"Chairman|Chairwoman|Chair|Director|General|Gen\.|Commander|Envoy|"
               r"Leader|King|Queen|Prince|Chief|Head|Prosecutor|Judge|Representative|Rep\.|Speaker|Attorney General|"
               r"CEO|Pope|Prime Minister|Foreign Minister|Defense Minister|Defence Minister|Secretary of State|"
               r"Secretary-General|Secretary General)")
#: a title or role a name was printed with ("Councillor Mira Quist", "Dr. Vell"): not part of the name
TITLE_PREFIX = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gen|Gov|Pres)\.?|" + _ROLE_WORDS + r")\s+")
_TITLE_BEFORE = re.compile(
    r"((?:(?:former|then|ex-|acting|incoming|outgoing|late)\s+)?(?:[A-Z][\w.’'-]*\s+){0,4}" + _ROLE_WORDS
    + r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})?)\]?\s*$"
)
#: words that make a name a place or a body, whatever the small model says ("Lugansk People's Republic")
NOT_PERSON_WORDS = {
    "republic", "republics", "region", "regions", "oblast", "province", "federation", "kingdom", "union", "council",
    "ministry", "party", "forces", "army", "peninsula", "people’s", "people's", "states", "city", "county", "district",
    "kremlin", "embassy", "government", "agency", "department", "tribunal", "navy", "movement", "committee",
}


@dataclass(frozen=True, slots=True)
class EntityMention:
    start: int
    end: int
    text: str
    type: str  # PERSON, ORG, GPE, LOC, NORP
    name: str  # the fullest name of this entity in the document
    key: str  # document-independent key: person:john-kerry, place:geonames:703448, org:russian-foreign-ministry
    title: str | None = None  # role printed before a person's name in this document


def entity_key(name: str, type_: str) -> str:
    if type_ in ("GPE", "LOC"):
        pid = place_id(name)
        if pid:
            return f"place:{pid}"
        return f"place:{slug(name)}"
    return f"{type_.lower()}:{slug(' '.join(name_tokens(name)) or name)}"


def _clean_name(text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    # "the International Tribunal for the Law of the Sea (ITLOS": the parser took the acronym's bracket in
    text = re.sub(r"\s*\([A-Z]{2,6}\)?$", "", text)
    return re.sub(r"['’]s$", "", text).strip(" ,.;:")


#: an acronym in brackets right after the name it stands for ("Human Rights Watch (HRW)")
_SPELLED_OUT = re.compile(r"\s*\(([A-Z]{2,6})\)")


def _retype(name: str, label: str, ent: Any) -> str:
    words = name.lower().split()
    if label == "ORG" and name.isupper():
        return "ORG"  # an acronym (UN, OSCE) is an organisation, whatever city shares the letters
    if re.search(r"(?:ian|ean|ese|ish|ic)s?$", words[-1]) and not place_id(name):
        return "NORP" if label in ("GPE", "NORP") else LABELS.get(label, label)
    if label == "PERSON" and any(w in NOT_PERSON_WORDS for w in words):
        return "GPE" if place_id(name) else "ORG"
    if label in ("PERSON", "ORG", "NORP") and place_id(name):
        # a known place, unless written as a person's full name with a title or first name
        if not (label == "PERSON" and len(words) >= 2 and not place_id(" ".join(name.split()[-1:]))):
            return "GPE"
    return LABELS.get(label, label)


def extract_entities(doc: Document, sdoc: Any) -> list[EntityMention]:
    """Named people, organisations and places of one document (``sdoc`` parses ``doc.analysis_text()``)."""
    text = doc.text
    mentions: list[EntityMention] = []
    persons_by_surname: dict[str, str] = {}
    for ent in sdoc.ents:
        if ent.label_ not in LABELS:
            continue
        name = _clean_name(ent.text)
        if not name or not re.search(r"[A-Za-z]", name):
            continue
        type_ = _retype(name, ent.label_, ent)
        start = ent.start_char + ent.text.find(name) if name in ent.text else ent.start_char
        end = start + len(name) if name in ent.text else ent.end_char
        title = None
        full = name
        if type_ == "PERSON":
            tokens = name.split()
            surname = name_tokens(name)[-1] if name_tokens(name) else name.lower()
            if len(tokens) >= 2:
                persons_by_surname.setdefault(surname, name)
                full = persons_by_surname[surname] if len(persons_by_surname[surname]) >= len(name) else name
                persons_by_surname[surname] = full
            else:
                full = persons_by_surname.get(surname, name)
            window = text[max(0, start - 90):start]
            window = re.split(r"\n|[.!?]\s", window)[-1]  # the title stays in the name's sentence and line
            found = _TITLE_BEFORE.search(window)
            if found:
                title = re.sub(r"\s+", " ", found.group(1)).strip(" [")
        mentions.append(EntityMention(start, end, text[start:end], type_, full, entity_key(full, type_), title))
    # an acronym the document spells out ("Human Rights Watch (HRW)") keeps its key and takes the full name: the
    # key then joins the full name's across documents, in those that write only "HRW" too (align/entities.py)
    spelled = {a.group(1): m.name for m in mentions if m.type == "ORG" and len(m.name.split()) > 1
               and (a := _SPELLED_OUT.match(text, m.end))}
    # a bare surname before the full name (a headline "Lavrov says ..." above "Sergey Lavrov said"), or tagged
    # as an organisation ("Lavrov urged"): re-resolve to the person
    out: list[EntityMention] = []
    for m in mentions:
        if m.type == "ORG" and m.name in spelled:
            m = EntityMention(m.start, m.end, m.text, m.type, spelled[m.name], m.key, m.title)
        if m.type in ("ORG", "NORP", "GPE") and len(m.name.split()) == 1 and m.name.lower() in persons_by_surname \
                and not place_id(m.name):
            full = persons_by_surname[m.name.lower()]
            m = EntityMention(m.start, m.end, m.text, "PERSON", full, entity_key(full, "PERSON"), m.title)
        if m.type == "ORG" and m.name.lower() in {"state", "government", "department"}:
            continue
        if m.type == "PERSON" and len(m.name.split()) == 1:
            surname = name_tokens(m.name)[-1] if name_tokens(m.name) else m.name.lower()
            known = persons_by_surname.get(surname)
            if known:
                m = EntityMention(m.start, m.end, m.text, m.type, known, entity_key(known, "PERSON"), m.title)
        out.append(m)
    out += _role_mentions(sdoc, text, out)
    return sorted(out, key=lambda m: (m.start, m.end))


_ROLE_NP = re.compile(r"\b[Tt]he\s+((?:[A-Z]?[a-z]+\s+){0,2}(?i:secretary|minister|president|premier|chancellor|"
                      r"spokesman|spokeswoman|ambassador|senator|governor|mayor|chairman|chairwoman|envoy|"
                      r"prosecutor|general|commander|leader))\b(?!\s+(?:of|for)\b)")


def _role_mentions(sdoc: Any, text: str, named: list[EntityMention]) -> list[EntityMention]:
    """"The secretary", "the Foreign Minister": a role noun refers to the person last named with that title in
    this document."""
    people = [m for m in named if m.type == "PERSON" and m.title]
    out = []
    for match in _ROLE_NP.finditer(text):
        role = match.group(1).lower()
        if any(m.start <= match.start() < m.end for m in named):
            continue
        head = role.split()[-1]
        earlier = [(m, (m.title or "").lower()) for m in people if m.end <= match.start()]
        person = next((m for m, title in reversed(earlier) if role in title), None) or next(
            (m for m, title in reversed(earlier) if head in title.split()), None)
        if person is not None:
            start, end = match.start(), match.end()
            out.append(EntityMention(start, end, text[start:end], "PERSON", person.name, person.key, None))
    return out
