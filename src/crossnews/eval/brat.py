"""Read PolNeAR / PARC-style brat standoff attribution annotations.

Each ``.ann`` file annotates ``text/<base>.txt``; ``T`` lines are spans (possibly discontinuous:
``start end;start end``) labelled Source, Cue, Content, Attribution...; ``E`` lines tie one attribution's roles.
Span surfaces are recomputed from the text (annotation files may break a surface over several lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossnews.core.nlp import PIPE_BATCH, load_nlp

__all__ = ["Fragment", "Attribution", "AnnotatedDoc", "load_split"]

Fragment = tuple[int, int]
_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


@dataclass(frozen=True, slots=True)
class Attribution:
    source: tuple[Fragment, ...]
    cue: tuple[Fragment, ...]
    content: tuple[Fragment, ...]


@dataclass(frozen=True, slots=True)
class AnnotatedDoc:
    name: str  # annotation file stem (an article may have several annotators)
    text_name: str
    text: str
    attributions: tuple[Attribution, ...]


def _frags(spec: str) -> tuple[Fragment, ...]:
    out = []
    for part in spec.strip().split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(out)


def load_ann(path: Path, text: str) -> tuple[Attribution, ...]:
    spans: dict[str, tuple[str, tuple[Fragment, ...]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := _T_LINE.match(line):
            spans[m.group(1)] = (m.group(2), _frags(m.group(3)))
        elif m := _E_LINE.match(line):
            roles = {}
            for item in m.group(2).split():
                if ":" in item:
                    role, ref = item.split(":", 1)
                    roles[role] = ref
            events.append(roles)
    out = []
    def get(roles: dict[str, str], role: str) -> tuple[Fragment, ...]:
        ref = roles.get(role)
        return spans[ref][1] if ref in spans else ()

    for roles in events:
        if not roles.get("Content"):
            continue
        out.append(Attribution(source=get(roles, "Source"), cue=get(roles, "Cue"), content=get(roles, "Content")))
    return tuple(out)


def load_split(path: str | Path, *, limit: int | None = None) -> list[AnnotatedDoc]:
    """All annotated documents of a split folder (``text/`` and ``attributions/``)."""
    root = Path(path)
    ann_dir, text_dir = root / "attributions", root / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise FileNotFoundError(f"{root}: expected a PolNeAR split with attributions/ and text/ folders")
    docs = []
    for ann in sorted(ann_dir.glob("*.ann")):
        base = re.sub(r"_[^_]+$", "", ann.stem)
        txt_path = text_dir / f"{base}.txt"
        if not txt_path.exists():
            continue
        text = txt_path.read_text(encoding="utf-8")
        docs.append(AnnotatedDoc(ann.stem, base, text, load_ann(ann, text)))
        if limit and len(docs) >= limit:
            break
    return docs


def load_parsed_split(path: str | Path, cache: str | Path | None = None, *,
                      limit: int | None = None) -> tuple[list[AnnotatedDoc], list[tuple[str, list[AnnotatedDoc], Any]]]:
    """A split with each article parsed once: (annotation files, [(text name, its annotation files, parse)]).

    ``cache`` is a spaCy DocBin of the split's texts in this order (the training scripts' ``--*-cache``); without
    it the texts are parsed with crossnews' model."""
    docs = load_split(path, limit=limit)
    by_text: dict[str, list[AnnotatedDoc]] = {}
    for d in docs:
        by_text.setdefault(d.text_name, []).append(d)
    names = list(by_text)
    nlp = load_nlp()
    if cache and Path(cache).exists():
        from spacy.tokens import DocBin

        parsed = list(DocBin().from_disk(cache).get_docs(nlp.vocab))[:len(names)]
    else:
        parsed = list(nlp.pipe((by_text[n][0].text for n in names), batch_size=PIPE_BATCH))
    return docs, [(n, by_text[n], p) for n, p in zip(names, parsed, strict=True)]
