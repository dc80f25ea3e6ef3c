"""Train ``judge.learned.v1`` on CPU; writes ``src/crossnews/data/judge_model.json``.

Data (read from ``--evaldata``, default ``../shared/evaldata``; no text of it is written to the weights):

* ClaimDiff train (``claimdiff-train``): weaken → contradicts, strengthen → agrees, neither → unrelated. Split by
  topic (each topic is one pair of articles, both ways round) into a training part and a held-out part
  (``--heldout-share``, seeded); the held-out ``pair_id``s are recorded in the weights, and
  ``crossnews eval claimpairs --judge judge.learned.v1`` scores only them.
* nli-small: SNLI (entailment → agrees, contradiction → contradicts, neutral → unrelated) and RTE (entailment →
  agrees, not_entailment → unrelated).
* stories-dev: the gold relations of every story but ``--heldout-story`` (contradicts → contradicts, quotes and
  retells → agrees), with each claim's cue and speaker; and all the pairs of statements of one story in different
  documents that no relation links, as close in meaning as the aligner's candidates (cosine >= 0.35) → unrelated
  (the judge meets many more unrelated pairs than related ones in a story: so does its training).
* constructed pairs, from training sentences: negated ("is" → "is not", and back) → contradicts; a stance word
  swapped for its opposite (legal / illegal, responsible / not responsible) → contradicts; "X" against "<they>
  denied that X" or against X with the cue "denied" → contradicts; a number changed → contradicts; "X" against
  "<they> are unlikely to admit that X" → unrelated; "X" against "<they> said that X", "According to <them>, X", "X,
  <they> said" or X trimmed at its last comma → agrees; and short templated pairs written here (responsibility:
  "<A> was responsible for <E>" / "<A> had nothing to do with <E>"; rival causes: "an <A> airstrike" / "a rocket
  fired by <B>"; denial; doubt) with their labels.

Features: :func:`crossnews.align.judges.learned.pair_features`, with the cosine of ``embed.minilm.v2`` sentence
embeddings (all-MiniLM-L6-v2 as int8 ONNX, no torch), cached in ``--cache`` (default /tmp/crossnews-judge-cache,
never in the repository). Model: a multinomial logistic regression (scikit-learn, a development dependency), one
with the cosine and one without it (``embedder="none"``). Its inverse regularisation C, the least probabilities of
"agrees" and "contradicts", the soft conflicts the contradiction gate accepts and the cosine from which a hard
conflict may stand for a shared subject are chosen by grouped 5-fold cross-validation (repeated 3 times; the
thresholds at the best 3 x 3 neighbourhood of the grid) on the training part only (objective: the mean of ClaimDiff
weaken F1, strengthen F1, and the mean F1 of "contradicts" and agreement on the training stories' pairs). The
held-out ClaimDiff part and the held-out story are scored once, at the end, and the figures kept in ``meta``.

Deterministic for a seed; resumable (embeddings are cached as they are computed). About 5 minutes on 2 cores with
an empty cache, under a minute with a warm one.

    .venv/bin/python scripts/train_judge.py
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from crossnews.align.judges import Claim  # noqa: E402
from crossnews.align.judges.evidence import Comparison, numbers_of  # noqa: E402
from crossnews.align.judges.learned import (  # noqa: E402
    CLASSES,
    FORMAT,
    NAME,
    SOFT_CONFLICTS_ALL,
    GateFacts,
    LinearModel,
    compare_claims,
    decide,
    gate_facts,
    pair_features,
)
from crossnews.align.judges.rules import RulesJudge  # noqa: E402
from crossnews.eval.claimpairs import jaccard, lexical_predictions, load_claimdiff, score_binary  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src/crossnews/data/judge_model.json"
EVALDATA = (REPO / ".." / "shared" / "evaldata").resolve()
EMBEDDER = "embed.minilm.v2"  # all-MiniLM-L6-v2, int8 ONNX: no torch at run time
COMPATIBLE = {"embed.minilm.v2": ["embed.minilm.v1"], "embed.minilm.v1": ["embed.minilm.v2"]}  # one model
STRENGTHEN = ("same", "agrees", "adds")


@dataclass
class Example:
    a: Claim
    b: Claim
    label: str  # one of CLASSES
    source: str  # claimdiff, snli, rte, story:<name>, constructed
    group: str  # cross-validation group (no group is split across folds)
    weight: float = 1.0
    info: dict[str, Any] = field(default_factory=dict)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------ data


def claimdiff(folder: Path, share: float, seed: int) -> tuple[list[Example], list[Example], list[str]]:
    """(training examples, held-out examples, held-out topics)."""
    _, data = load_claimdiff(folder, "train")
    strength = {str(i["pair_id"]): int(i["relation"]) for i in data["strength"]}
    topics = sorted({str(i["topic"]) for i in data["weak"]})
    rng = random.Random(seed)
    rng.shuffle(topics)
    held = set(topics[:round(share * len(topics))])
    train, heldout = [], []
    for item in data["weak"]:
        pid = str(item["pair_id"])
        label = "contradicts" if int(item["relation"]) == 1 else "agrees" if strength[pid] == 1 else "unrelated"
        ex = Example(Claim(str(item["claim_a"])), Claim(str(item["claim_b"])), label, "claimdiff",
                     f"claimdiff:{item['topic']}", info={"pair_id": pid})
        (heldout if item["topic"] in held else train).append(ex)
    return train, heldout, sorted(held)


def nli(folder: Path) -> list[Example]:
    out = []
    snli = {"entailment": "agrees", "contradiction": "contradicts", "neutral": "unrelated"}
    for name in ("snli_1.0_dev_part.jsonl", "snli_1.0_test_part.jsonl"):
        path = folder / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if d.get("gold_label") in snli:
                out.append(Example(Claim(d["sentence1"]), Claim(d["sentence2"]), snli[d["gold_label"]], "snli",
                                   f"snli:{d.get('captionID', d.get('pairID'))}"))
    rte = {"entailment": "agrees", "not_entailment": "unrelated"}
    for name in ("rte_train_part.tsv", "rte_dev.tsv"):
        path = folder / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row.get("label") in rte and row.get("sentence1") and row.get("sentence2"):
                    out.append(Example(Claim(row["sentence1"]), Claim(row["sentence2"]), rte[row["label"]], "rte",
                                       f"rte:{name}:{row.get('index')}"))
    return out


def story(folder: Path, vectors: Any, seed: int, negatives: float | None = None) -> list[Example]:
    """The gold relation pairs of one story, and the unlinked pairs of its statements (in different documents) as
    close as the aligner's candidates (``vectors``: text → vector, computed for every statement first): all of
    them, as the aligner would meet them, or ``negatives`` times as many as the relation pairs."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    name = folder.name
    stmts = {(s["doc"], s["content"]): s for s in gold["statements"]}

    def claim(doc: str, text: str) -> Claim:
        st = stmts.get((doc, text), {})
        return Claim(text, doc=doc, speaker_entity=st.get("speaker"), speaker=st.get("speaker"),
                     cue=st.get("cue"))

    out = []
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for r in gold["relations"]:
        a, b = (r["a"]["doc"], r["a"]["text"]), (r["b"]["doc"], r["b"]["text"])
        label = "contradicts" if r["type"] == "contradicts" else "agrees"
        out.append(Example(claim(*a), claim(*b), label, f"story:{name}", f"story:{name}", info={"type": r["type"]}))
        if r["type"] != "contradicts":
            parent[find(a)] = find(b)
    opposed = {frozenset((find((r["a"]["doc"], r["a"]["text"])), find((r["b"]["doc"], r["b"]["text"]))))
               for r in gold["relations"] if r["type"] == "contradicts"}
    keys = sorted(stmts)
    candidates = []
    for i, x in enumerate(keys):
        for y in keys[i + 1:]:
            if x[0] == y[0] or find(x) == find(y) or frozenset((find(x), find(y))) in opposed:
                continue
            if len(x[1].split()) < 3 or len(y[1].split()) < 3:
                continue
            cos = float(vectors[x[1]] @ vectors[y[1]])
            if cos >= 0.35:
                candidates.append((x, y))
    rng = random.Random(f"{seed}:{name}")
    rng.shuffle(candidates)
    for x, y in candidates[:None if negatives is None else int(negatives * len(out))]:
        out.append(Example(claim(*x), claim(*y), "unrelated", f"story:{name}", f"story:{name}",
                           info={"type": "none"}))
    return out


# ------------------------------------------------------------------------------------------------ constructed

_AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|does|did|must)\b(?!\s+(?:not|n't)\b)",
                  re.I)
_NEG = re.compile(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|does|did|must)\s+not\b", re.I)
_ANTONYMS = [("legal", "illegal"), ("legitimate", "illegitimate"), ("valid", "invalid"), ("sincere", "rigged"),
             ("lawful", "unlawful"), ("fair", "rigged"), ("responsible", "not responsible"), ("guilty", "innocent"),
             ("true", "false"), ("support", "oppose"), ("supports", "opposes"), ("supported", "opposed"),
             ("rose", "fell"), ("increased", "decreased"), ("increase", "decrease"), ("won", "lost"),
             ("accepted", "rejected"), ("approved", "rejected"), ("safe", "dangerous"), ("success", "failure"),
             ("higher", "lower"), ("more", "fewer"), ("confirmed", "denied"), ("agreed", "refused")]
_SUBJECTS = ("The ministry", "Officials", "The government", "The company", "Its spokesman", "The campaign")


def _swap(text: str, rng: random.Random) -> str | None:
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    options = [(x, y) for x, y in _ANTONYMS if x in words] + [(y, x) for x, y in _ANTONYMS if y in words
                                                               and " " not in y]
    if not options:
        return None
    x, y = rng.choice(options)
    return re.sub(rf"\b{re.escape(x)}\b", y, text, count=1, flags=re.I)


def _negate(text: str) -> str | None:
    if _NEG.search(text):
        return _NEG.sub(lambda m: m.group(1), text, count=1)
    if _AUX.search(text):
        return _AUX.sub(lambda m: f"{m.group(1)} not", text, count=1)
    return None


def _renumber(text: str, rng: random.Random) -> str | None:
    found = numbers_of(text)
    if not found:
        return None
    value, start, _ = found[sorted(found)[0]]
    number = float(value.rstrip("%"))
    new = number * rng.choice((0.5, 2.0, 3.0)) + rng.choice((1, 7, 13))
    shown = f"{new:.0f}" if "." not in value else f"{new:.1f}"
    return text[:start] + text[start:].replace(value.rstrip("%"), shown, 1)


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text and not text[:2].isupper() else text


# parties: (name, adjective)
_PARTIES = [("Israel", "Israeli"), ("Hamas", "Palestinian"), ("Russia", "Russian"), ("Ukraine", "Ukrainian"),
            ("Britain", "British"), ("the United States", "American"), ("China", "Chinese"), ("Iran", "Iranian"),
            ("Syria", "Syrian"), ("Turkey", "Turkish"), ("Serbia", "Serbian"), ("Ethiopia", "Ethiopian")]
_EVENTS = ["the explosion at the hospital", "the attack on the convoy", "the poisoning of the defector",
           "the shelling of the market", "the sinking of the ferry", "the fire at the fuel depot",
           "the cyberattack on the ministry", "the downing of the airliner", "the blast at the embassy",
           "the strike on the power plant"]
_WEAPONS = ["rocket", "missile", "drone", "shell", "bomb"]
_TEMPLATES: list[tuple[str, str, str]] = [  # (a, b, label)
    ("{A} was responsible for {E}.", "{A} had nothing to do with {E}.", "contradicts"),
    ("{A} was behind {E}.", "{A} is not to blame for {E}.", "contradicts"),
    ("It is highly likely that {A} carried out {E}.", "{A} denied any involvement in {E}.", "contradicts"),
    ("{A} is guilty of {E}.", "{A} is innocent of {E}.", "contradicts"),
    ("{E} was caused by an {a} {w}.", "{E} was caused by a {w2} fired by {B}.", "contradicts"),
    ("An {a} airstrike caused {E}.", "A {w2} launched by {B} caused {E}.", "contradicts"),
    ("{A} was responsible for {E}.", "{A} was to blame for {E}, officials said.", "agrees"),
    ("{A} had nothing to do with {E}.", "{A} was not involved in {E}.", "agrees"),
    ("An {a} {w} caused {E}.", "{E} was caused by a {w} fired by {A}.", "agrees"),
    ("{A} condemned {E}.", "{A} sent doctors after {E}.", "unrelated"),
    ("{A} was responsible for {E}.", "{B} held talks on trade on Monday.", "unrelated"),
    ("{A} is unlikely to admit that it was behind {E}.", "{A} was behind {E}.", "unrelated"),
]


def templated(seed: int, per_template: int) -> list[Example]:
    """Short pairs from the templates above (text written here): responsibility, denial and rival causes."""
    rng = random.Random(f"{seed}:templated")
    out = []
    for t, (ta, tb, label) in enumerate(_TEMPLATES):
        for _ in range(per_template):
            (pa, aa), (pb, _) = rng.sample(_PARTIES, 2)
            w, w2 = rng.sample(_WEAPONS, 2)
            fill = {"A": pa, "B": pb, "a": aa, "E": rng.choice(_EVENTS), "w": w, "w2": w2}
            a = ta.format(**fill)
            b = tb.format(**fill)
            a, b = a[0].upper() + a[1:], b[0].upper() + b[1:]
            pair = (a, b) if rng.random() < 0.5 else (b, a)
            out.append(Example(Claim(pair[0]), Claim(pair[1]), label, "constructed", f"template:{t}", 0.5,
                               info={"kind": f"template{t}"}))
    return out


def constructed(sentences: Sequence[tuple[str, str]], seed: int, per_kind: int) -> list[Example]:
    """Pairs built from ``sentences`` ((group, text)); see the module docstring."""
    rng = random.Random(f"{seed}:constructed")
    pool = [(g, s.strip()) for g, s in sentences if 6 <= len(s.split()) <= 40]
    rng.shuffle(pool)
    out: list[Example] = []
    counts: Counter[str] = Counter()

    def add(kind: str, group: str, a: Claim, b: Claim, label: str) -> None:
        if counts[kind] < per_kind:
            counts[kind] += 1
            pair = (a, b) if rng.random() < 0.5 else (b, a)
            out.append(Example(pair[0], pair[1], label, "constructed", f"constructed:{group}", 0.5,
                               info={"kind": kind}))

    for group, s in pool:
        who = rng.choice(_SUBJECTS)
        body = _lower_first(s.rstrip("."))
        neg = _negate(s)
        if neg and neg != s:
            add("negation", group, Claim(s), Claim(neg), "contradicts")
        swapped = _swap(s, rng)
        if swapped and swapped != s:
            add("antonym", group, Claim(s), Claim(swapped), "contradicts")
        num = _renumber(s, rng)
        if num and num != s:
            add("number", group, Claim(s), Claim(num), "contradicts")
        if rng.random() < 0.5:
            add("denial", group, Claim(s), Claim(f"{who} denied that {body}"), "contradicts")
        else:
            add("denial_cue", group, Claim(s), Claim(s, cue=rng.choice(("denied", "rejected claims", "dismissed"))),
                "contradicts")
        add("doubt", group, Claim(s), Claim(f"{who} {'is' if who.startswith(('The', 'Its')) else 'are'} unlikely to "
                                            f"admit that {body}"), "unrelated")
        add("said", group, Claim(s), Claim(f"{who} said that {body}"), "agrees")
        low_who = who[0].lower() + who[1:]
        add("said_after", group, Claim(f"{who} said that {body}."), Claim(f"{s.rstrip('.')}, {low_who} said."),
            "agrees")
        add("according", group, Claim(s), Claim(f"According to {low_who}, {body}."), "agrees")
        cut = s.rstrip(".").rsplit(",", 1)[0]
        if cut != s.rstrip(".") and len(cut.split()) >= 5:
            add("trimmed", group, Claim(s), Claim(cut), "agrees")
    log(f"constructed: {dict(counts)}")
    return out


# ------------------------------------------------------------------------------------------------ embeddings


class VectorCache:
    """sha1(text) → vector, kept in ``folder/<embedder>.npz`` and saved after every chunk (resumable)."""

    def __init__(self, folder: Path, embedder: str) -> None:
        self.path = folder / f"{embedder}.npz"
        self.embedder_name = embedder
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path) as z:
                for k, v in zip(z["keys"], z["vectors"], strict=True):
                    self.vectors[str(k)] = v
        folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def ensure(self, texts: Sequence[str], chunk: int = 512) -> None:
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.vectors))
        if not missing:
            return
        from crossnews.align.embed import get_embedder

        embedder = get_embedder(self.embedder_name)
        started = time.perf_counter()
        for i in range(0, len(missing), chunk):
            part = missing[i:i + chunk]
            for t, v in zip(part, embedder.encode(part), strict=True):
                self.vectors[self.key(t)] = np.asarray(v, dtype=np.float32)
            self.save()
            log(f"embedded {min(i + chunk, len(missing))}/{len(missing)} texts "
                f"({time.perf_counter() - started:.0f} s)")

    def save(self) -> None:
        keys = sorted(self.vectors)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))
        tmp.replace(self.path)

    def __getitem__(self, text: str) -> np.ndarray:
        return self.vectors[self.key(text)]


# ------------------------------------------------------------------------------------------------ features


@dataclass
class Table:
    rows: list[dict[str, float]]
    facts: list[GateFacts]
    examples: list[Example]
    comparisons: list[Comparison] = field(default_factory=list)

    def variant(self, name: str) -> Table:
        """The table as the ``plain`` model sees it (no cosine in its rows, hence in its gates), or itself."""
        if name != "plain":
            return self
        rows = [{k: v for k, v in r.items() if not k.startswith("cosine")} for r in self.rows]
        return Table(rows, [gate_facts(r, c) for r, c in zip(rows, self.comparisons, strict=True)], self.examples,
                     self.comparisons)

    def labels(self) -> np.ndarray:
        return np.array([CLASSES.index(e.label) for e in self.examples])

    def weights(self, source_weights: dict[str, float]) -> np.ndarray:
        return np.array([e.weight * source_weights.get(e.source.split(":")[0], 1.0) for e in self.examples])


def featurise(examples: list[Example], cache: VectorCache) -> Table:
    rules = RulesJudge().judge([(e.a, e.b) for e in examples])
    rows, facts, comparisons = [], [], []
    for e, r in zip(examples, rules, strict=True):
        cos = float(np.clip(cache[e.a.text] @ cache[e.b.text], -1.0, 1.0))
        c = compare_claims(e.a, e.b)
        row = pair_features(e.a, e.b, cos, c, r.label)
        rows.append(row)
        facts.append(gate_facts(row, c))
        comparisons.append(c)
    return Table(rows, facts, examples, comparisons)


def feature_names(rows: list[dict[str, float]], embedding: bool) -> list[str]:
    names = sorted({k for r in rows for k in r})
    return [n for n in names if embedding or not n.startswith("cosine")]


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float, names: list[str], seed: int) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    from threadpoolctl import threadpool_limits

    model = LogisticRegression(C=c, max_iter=5000, random_state=seed)
    with threadpool_limits(1):  # one BLAS thread: 60x faster than contended threads on a shared 2-core machine
        model.fit((x - mean) / scale, y, sample_weight=w)
    coef = np.zeros((len(CLASSES), x.shape[1]))
    intercept = np.zeros(len(CLASSES))
    for row, cls in enumerate(model.classes_):
        coef[int(cls)] = model.coef_[row]
        intercept[int(cls)] = model.intercept_[row]
    return LinearModel(tuple(names), mean, scale, coef, intercept, np.array([0.5, 0.5]))


def rounded(model: LinearModel, thresholds: Sequence[float]) -> dict[str, Any]:
    """The model as JSON numbers (6 decimals), which is what the judge will use."""
    def r(a: np.ndarray) -> list[Any]:
        return np.round(a, 6).tolist()  # type: ignore[no-any-return]

    return {"features": list(model.features), "mean": r(model.mean), "scale": r(model.scale), "coef": r(model.coef),
            "intercept": r(model.intercept), "thresholds": [round(float(t), 4) for t in thresholds]}


# ------------------------------------------------------------------------------------------------ scoring


def labels_of(probs: np.ndarray, facts: Sequence[GateFacts], thresholds: Sequence[float], soft: Sequence[str],
              gate_cosine: float) -> list[str]:
    """The judge's labels (:func:`decide`, as the judge runs it)."""
    return [decide(f, p, thresholds=thresholds, gate_cosine=gate_cosine, soft_conflicts=soft)[0]
            for f, p in zip(facts, probs, strict=True)]


class FastLabels:
    """:func:`labels_of` with numpy, for the offset search (checked against it on the chosen setting)."""

    def __init__(self, facts: Sequence[GateFacts], gate_cosine: float) -> None:
        def arr(get: Any) -> np.ndarray:
            return np.array([bool(get(f)) for f in facts])

        self.conflict = arr(lambda f: f.conflict)
        self.subject = arr(lambda f: f.subject) | (self.conflict & arr(lambda f: f.cosine >= gate_cosine))
        self.same = ~self.conflict & ~arr(lambda f: f.modality) & arr(lambda f: f.same_words)
        self.prop_ok = arr(lambda f: f.same_proposition) & ~self.conflict & ~arr(lambda f: f.modality)
        self.adds = arr(lambda f: f.adds)
        self.soft = {k: arr(lambda f, k=k: k in f.soft) for k in SOFT_CONFLICTS_ALL}

    def __call__(self, probs: np.ndarray, thresholds: Sequence[float], soft: Sequence[str]) -> list[str]:
        soft_any = np.zeros(len(probs), dtype=bool)
        for k in soft:
            soft_any |= self.soft[k]
        out = np.full(len(probs), "unrelated", dtype=object)
        contra = self.subject & (self.conflict | soft_any) & (probs[:, 1] >= thresholds[1])
        agree = ~contra & self.prop_ok & (probs[:, 0] >= thresholds[0])
        out[agree] = "agrees"
        out[agree & self.adds] = "adds"
        out[contra] = "contradicts"
        out[self.same] = "same"
        return [str(x) for x in out]


def claimdiff_scores(examples: Sequence[Example], labels: Sequence[str]) -> dict[str, Any]:
    gold_w = [e.label == "contradicts" for e in examples]
    gold_s = [e.label == "agrees" for e in examples]
    return {"weaken": score_binary(gold_w, [x == "contradicts" for x in labels]),
            "strengthen": score_binary(gold_s, [x in STRENGTHEN for x in labels])}


def story_scores(examples: Sequence[Example], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy on the gold relation pairs (contradicts → contradicts; quotes/retells → same/agrees/adds) and on
    the unlinked pairs (→ unrelated), and their mean (balanced); precision, recall and F1 of "contradicts" and of
    agreement (same/agrees/adds) over all the pairs, and the mean of the two F1."""
    by: dict[str, list[bool]] = defaultdict(list)
    for e, lab in zip(examples, labels, strict=True):  # per kind of gold pair: the share judged right
        kind = e.info.get("type", "none")
        ok = (lab == "contradicts") if kind == "contradicts" else (lab in STRENGTHEN) if kind in (
            "quotes", "retells") else (lab == "unrelated")
        by[kind].append(ok)
    rel = [ok for k, v in by.items() if k != "none" for ok in v]
    out: dict[str, Any] = {k: {"pairs": len(v), "accuracy": round(sum(v) / len(v), 4)} for k, v in sorted(by.items())}
    out["relation_pairs"] = {"pairs": len(rel), "accuracy": round(sum(rel) / len(rel), 4) if rel else 0.0}
    none = by.get("none", [])
    out["balanced"] = round((out["relation_pairs"]["accuracy"] + (sum(none) / len(none) if none else 0.0)) / 2, 4)
    kinds = [e.info.get("type", "none") for e in examples]
    out["detect_contradicts"] = score_binary([k == "contradicts" for k in kinds], [x == "contradicts" for x in labels])
    out["detect_agreement"] = score_binary([k in ("quotes", "retells") for k in kinds],
                                           [x in STRENGTHEN for x in labels])
    out["mean_f1"] = round((out["detect_contradicts"]["f1"] + out["detect_agreement"]["f1"]) / 2, 4)
    return out


def objective(table: Table, labels: list[str]) -> float:
    cd = [i for i, e in enumerate(table.examples) if e.source == "claimdiff"]
    st = [i for i, e in enumerate(table.examples) if e.source.startswith("story:")]
    s = claimdiff_scores([table.examples[i] for i in cd], [labels[i] for i in cd])
    value = (s["weaken"]["f1"] + s["strengthen"]["f1"]) / 2
    if st:
        value = (2 * value + story_scores([table.examples[i] for i in st], [labels[i] for i in st])["mean_f1"]) / 3
    return value


def _f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = int(np.sum(gold & pred))
    if not tp:
        return 0.0
    p, r = tp / int(pred.sum()), tp / int(gold.sum())
    return round(2 * p * r / (p + r), 4)


class FastObjective:
    """:func:`objective` on label arrays, with numpy (checked against it on the chosen setting)."""

    def __init__(self, table: Table) -> None:
        ex = table.examples
        self.cd = np.array([e.source == "claimdiff" for e in ex])
        self.st = np.array([e.source.startswith("story:") for e in ex])
        self.weak = np.array([e.label == "contradicts" for e in ex]) & self.cd
        self.strong = np.array([e.label == "agrees" for e in ex]) & self.cd
        kinds = [e.info.get("type", "none") for e in ex]
        self.st_contra = np.array([k == "contradicts" for k in kinds]) & self.st
        self.st_agree = np.array([k in ("quotes", "retells") for k in kinds]) & self.st

    def __call__(self, labels: list[str]) -> float:
        lab = np.array(labels, dtype=object)
        contra = lab == "contradicts"
        agree = (lab == "agrees") | (lab == "adds") | (lab == "same")
        value = (_f1(self.weak, contra & self.cd) + _f1(self.strong, agree & self.cd)) / 2
        if self.st.any():
            story = (_f1(self.st_contra, contra & self.st) + _f1(self.st_agree, agree & self.st)) / 2
            value = (2 * value + round(story, 4)) / 3
        return value


def folds(examples: Sequence[Example], k: int, seed: int) -> list[np.ndarray]:
    groups = sorted({e.group for e in examples})
    rng = random.Random(f"{seed}:folds")
    rng.shuffle(groups)
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [np.array([i for i, e in enumerate(examples) if fold_of[e.group] == f]) for f in range(k)]


def tune(table: Table, probs: np.ndarray, gate_cosines: Sequence[float]
         ) -> tuple[tuple[float, float], tuple[str, ...], float, float]:
    """The thresholds (least P(agrees), P(contradicts)), soft conflicts and gate cosine with the best objective on
    ``probs``: (thresholds, soft conflicts, gate cosine, objective)."""
    keep = [i for i, e in enumerate(table.examples) if e.source == "claimdiff" or e.source.startswith("story:")]
    table = Table([table.rows[i] for i in keep], [table.facts[i] for i in keep], [table.examples[i] for i in keep],
                  [table.comparisons[i] for i in keep])
    probs = probs[keep]
    best: tuple[float, tuple[float, float], tuple[str, ...], float] = (-1.0, (0.5, 0.5), (), 0.5)
    # "contradicts" needs a hard conflict about a shared predicate: a denial or a negation somewhere in one claim
    # (the soft differences) says nothing of which proposition it is about, so the search does not offer them
    softs: list[tuple[str, ...]] = [()]
    grid = [round(float(x), 2) for x in np.arange(0.0, 0.951, 0.05)]
    score = FastObjective(table)
    for gate in gate_cosines:
        fast = FastLabels(table.facts, gate)
        for soft in softs:
            surface = np.array([[score(fast(probs, (ta, tc), soft)) for tc in grid] for ta in grid])
            # the thresholds whose neighbourhood (3 x 3) is best on average: a plateau, not a lucky spike
            padded = np.pad(surface, 1, mode="edge")
            smooth = sum(padded[i:i + len(grid), j:j + len(grid)] for i in range(3) for j in range(3)) / 9
            ia, ic = np.unravel_index(int(np.argmax(smooth)), smooth.shape)
            if smooth[ia, ic] > best[0] + 1e-9:
                best = (float(smooth[ia, ic]), (grid[ia], grid[ic]), soft, gate)
    value, thresholds, soft, gate = best
    labels = labels_of(probs, table.facts, thresholds, soft, gate)
    assert FastLabels(table.facts, gate)(probs, thresholds, soft) == labels
    assert abs(score(labels) - objective(table, labels)) < 1e-3
    return thresholds, soft, gate, value


# ------------------------------------------------------------------------------------------------ probes

# Short pairs written for these tests (no third-party text): the judge must give the labels training gave.
PROBES = [
    ("The commission declared the referendum invalid.", "The vote was undoubtedly sincere."),
    ("The referendum was legal.", "The referendum was illegal and illegitimate."),
    ("Kerry is unlikely to admit he ever recognized the referendum.", "Kerry recognized the referendum."),
    ("An Israeli airstrike hit the hospital.", "The hospital was hit by a rocket misfired by Islamic Jihad."),
    ("It is highly likely that Russia is responsible for the poisoning.", "Russia is not responsible for the "
                                                                          "poisoning."),
    ("Israel denied that it bombed the hospital.", "Israel bombed the hospital."),
    ("The ships did not enter Russian waters.", "The ships entered Russian waters."),
    ("The minister said the bridge will reopen next spring.", "The bridge will reopen next spring, the minister "
                                                              "said."),
    ("The harbour strike ended on Friday.", "Wheat prices in the north fell sharply."),
    ("At least 300 people were killed in the blast.", "The blast killed 471 people."),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--evaldata", default=str(EVALDATA))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--cache", default="/tmp/crossnews-judge-cache", help="embedding cache (not in the repo)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--heldout-share", type=float, default=0.3, help="share of ClaimDiff topics held out")
    ap.add_argument("--heldout-story", default="skripal", help="the dev story kept out of training")
    ap.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0, 3.0], help="C values to try")
    ap.add_argument("--per-kind", type=int, default=250, help="constructed pairs of each kind")
    ap.add_argument("--repeats", type=int, default=3, help="repetitions of the 5-fold cross-validation")
    ap.add_argument("--limit", type=int, help="only the first N pairs of each source (smoke tests)")
    ap.add_argument("--embedder", default=EMBEDDER, help="the sentence embedder of the cosine feature")
    ap.add_argument("--story-negatives", type=float, help="unlinked story pairs per relation pair (default: all "
                    "the pairs as close as the aligner's candidates, as the judge meets them)")
    ap.add_argument("--gate-cosine", type=float, nargs="+", default=[0.35, 0.5],
                    help="cosines from which a hard conflict may stand for a shared subject (one is chosen)")
    ap.add_argument("--source-weight", action="append", default=[], metavar="SOURCE=W",
                    help="weight of a source (claimdiff, story, snli, rte, constructed); default claimdiff=1, "
                         "story=1, snli=0.3, rte=0.3, constructed=1 (each constructed pair counts 0.5)")
    args = ap.parse_args()
    started = time.perf_counter()
    evaldata = Path(args.evaldata)
    source_weights = {"claimdiff": 1.0, "story": 1.0, "snli": 0.3, "rte": 0.3, "constructed": 1.0}
    for item in args.source_weight:
        k, _, v = item.partition("=")
        source_weights[k] = float(v)

    cd_train, cd_held, held_topics = claimdiff(evaldata / "claimdiff-train", args.heldout_share, args.seed)
    cut = slice(None, args.limit)
    cd_train, cd_held = cd_train[cut], cd_held[cut]
    log(f"claimdiff: {len(cd_train)} training pairs, {len(cd_held)} held out ({len(held_topics)} topics)")
    nli_examples = nli(evaldata / "nli-small")
    if args.limit:
        nli_examples = [e for e in nli_examples if e.source == "snli"][cut] + [e for e in nli_examples
                                                                               if e.source == "rte"][cut]
    log(f"nli-small: {len(nli_examples)} pairs")
    story_dirs = sorted(p for p in (evaldata / "stories-dev").iterdir() if (p / "gold.json").is_file())
    if args.heldout_story not in {p.name for p in story_dirs}:
        raise SystemExit(f"no story {args.heldout_story!r} in {evaldata / 'stories-dev'}")
    cache = VectorCache(Path(args.cache), args.embedder)
    statements = [s["content"] for p in story_dirs
                  for s in json.loads((p / "gold.json").read_text(encoding="utf-8"))["statements"]]
    cache.ensure(statements)
    vectors = {t: cache[t] for t in statements}
    story_train: list[Example] = []
    story_held: list[Example] = []
    for p in story_dirs:
        got = story(p, vectors, args.seed, args.story_negatives)
        if args.limit:
            got = [e for e in got if e.label != "unrelated"][:args.limit] + [e for e in got
                                                                             if e.label == "unrelated"][:args.limit]
        (story_held if p.name == args.heldout_story else story_train).extend(got)
        log(f"story {p.name}: {Counter(e.info['type'] for e in got)}")
    sentences = [(e.group, t) for e in cd_train for t in (e.a.text, e.b.text)]
    sentences += [(e.group, e.a.text) for e in story_train if e.info.get("type") != "none"]
    sentences += [(e.group, e.b.text) for e in nli_examples if e.source == "rte"]
    built = constructed(sorted(set(sentences)), args.seed, args.per_kind) + templated(
        args.seed, 30 if not args.limit else 3)
    train_examples = cd_train + nli_examples + story_train + built
    everything = train_examples + cd_held + story_held + [Example(Claim(a), Claim(b), "unrelated", "probe", "probe")
                                                          for a, b in PROBES]
    cache.ensure([t for e in everything for t in (e.a.text, e.b.text)])
    log(f"features for {len(everything)} pairs ...")
    base_table = featurise(train_examples, cache)
    base_held_cd = featurise(cd_held, cache)
    base_held_story = featurise(story_held, cache)
    base_probes = featurise(everything[-len(PROBES):], cache)
    y = base_table.labels()
    w = base_table.weights(source_weights)

    models_json: dict[str, Any] = {}
    meta_models: dict[str, Any] = {}
    for variant in ("embedding", "plain"):
        table, held_cd, held_story = (t.variant(variant) for t in (base_table, base_held_cd, base_held_story))
        names = feature_names(table.rows, variant == "embedding")
        x = LinearModel(tuple(names), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)).matrix(
            table.rows)
        best: tuple[float, float, tuple[float, float], tuple[str, ...], float] = (-1.0, 0.0, (0.5, 0.5), (),
                                                                                           0.5)
        cv: dict[str, float] = {}
        for c in args.c:
            oof = np.zeros((len(y), len(CLASSES)))
            for repeat in range(args.repeats):  # out-of-fold probabilities, averaged over repeated fold splits
                for idx in folds(table.examples, 5, args.seed + repeat):
                    mask = np.ones(len(y), dtype=bool)
                    mask[idx] = False
                    m = fit(x[mask], y[mask], w[mask], c, names, args.seed)
                    oof[idx] += m.probabilities(x[idx]) / args.repeats
            thresholds, soft, gate, value = tune(table, oof, args.gate_cosine if variant == "embedding" else [1.1])
            cv[str(c)] = round(value, 4)
            log(f"{variant}: C={c}: cross-validated objective {value:.4f} (thresholds {thresholds}, soft {soft}, "
                f"gate cosine {gate})")
            if value > best[0]:
                best = (value, c, thresholds, soft, gate)
        _, c, thresholds, soft, gate = best
        final = fit(x, y, w, c, names, args.seed)
        models_json[variant] = rounded(final, thresholds)
        meta_models[variant] = {"C": c, "cv_objective": cv, "thresholds": list(thresholds),
                                "soft_conflicts": list(soft), "gate_cosine": gate}
        model = LinearModel.from_json(models_json[variant], "training")
        # scores on data the model never saw
        probs = model.probabilities(model.matrix(held_cd.rows))
        labs = labels_of(probs, held_cd.facts, thresholds, soft, gate)
        meta_models[variant]["heldout_claimdiff"] = claimdiff_scores(held_cd.examples, labs)
        meta_models[variant]["heldout_claimdiff_labels"] = dict(Counter(labs))
        probs = model.probabilities(model.matrix(held_story.rows))
        meta_models[variant]["heldout_story"] = story_scores(
            held_story.examples, labels_of(probs, held_story.facts, thresholds, soft, gate))
        log(f"{variant}: held-out ClaimDiff {json.dumps({k: v['f1'] for k, v in meta_models[variant]['heldout_claimdiff'].items()})}; "  # noqa: E501
            f"held-out story {json.dumps(meta_models[variant]['heldout_story'])}")
    # the soft conflicts and gate of the embedding model are the judge's
    soft = tuple(meta_models["embedding"]["soft_conflicts"])
    # baselines on the same held-out pairs
    rules_cd = RulesJudge().judge([(e.a, e.b) for e in cd_held])
    rules_story = RulesJudge().judge([(e.a, e.b) for e in story_held])
    lexical = lexical_predictions([jaccard(e.a.text, e.b.text) for e in cd_held])
    baselines = {
        "rules": claimdiff_scores(cd_held, [j.label for j in rules_cd]),
        "lexical": {"weaken": score_binary([e.label == "contradicts" for e in cd_held], lexical["weaken"]),
                    "strengthen": score_binary([e.label == "agrees" for e in cd_held], lexical["strengthen"])},
        "rules_story": story_scores(story_held, [j.label for j in rules_story]),
    }
    # the labels the probes get, for the test that the shipped weights load and judge as at training
    probe_out: dict[str, Any] = {}
    for variant in ("embedding", "plain"):
        probes = base_probes.variant(variant)
        model = LinearModel.from_json(models_json[variant], "training")
        probs = model.probabilities(model.matrix(probes.rows))
        labs = labels_of(probs, probes.facts, model.thresholds, tuple(meta_models[variant]["soft_conflicts"]),
                         meta_models[variant]["gate_cosine"])
        probe_out[variant] = [{"a": a, "b": b, "label": lab, "probabilities": np.round(p, 6).tolist()}
                              for (a, b), lab, p in zip(PROBES, labs, probs, strict=True)]
    out = {
        "format": FORMAT,
        "judge": NAME,
        "embedder": args.embedder,
        "compatible_embedders": COMPATIBLE.get(args.embedder, []),
        "classes": list(CLASSES),
        "gates": {"cosine": meta_models["embedding"]["gate_cosine"], "soft_conflicts": list(soft),
                  "plain": {"cosine": meta_models["plain"]["gate_cosine"],
                            "soft_conflicts": meta_models["plain"]["soft_conflicts"]}},
        "models": models_json,
        "heldout": {"claimdiff": {"split": "train", "by": "topic", "share": args.heldout_share,
                                  "topics": len(held_topics),
                                  "pair_ids": sorted(e.info["pair_id"] for e in cd_held)},
                    "story": args.heldout_story},
        "probes": probe_out,
        "meta": {
            "seed": args.seed, "trained_on": {k: v for k, v in sorted(Counter(
                e.source.split(":")[0] for e in train_examples).items())},
            "labels": dict(Counter(e.label for e in train_examples)),
            "source_weights": source_weights, "per_kind": args.per_kind, "C_tried": args.c,
            "selection": "grouped 5-fold cross-validation, repeated, on the training part (a story is one group); "
                         "thresholds at the best 3x3 neighbourhood of the grid; objective: "
                         "mean of ClaimDiff weaken F1, strengthen F1 and the training stories' mean F1 of "
                         "contradicts and agreement",
            "models": meta_models, "baselines_heldout": baselines,
            "seconds": round(time.perf_counter() - started, 1),
            "command": "scripts/train_judge.py " + " ".join(sys.argv[1:]),
        },
    }
    Path(args.out).write_text(json.dumps(out, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    log(f"wrote {args.out} ({Path(args.out).stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - started:.0f} s")
    print(json.dumps({"heldout_claimdiff": {v: {t: meta_models[v]["heldout_claimdiff"][t]["f1"]
                                                for t in ("weaken", "strengthen")} for v in meta_models},
                      "rules": {t: baselines["rules"][t]["f1"] for t in ("weaken", "strengthen")},
                      "lexical": {t: baselines["lexical"][t]["f1"] for t in ("weaken", "strengthen")},
                      "heldout_story": {v: meta_models[v]["heldout_story"]["relation_pairs"] for v in meta_models},
                      "rules_story": baselines["rules_story"]["relation_pairs"]}, indent=1))


if __name__ == "__main__":
    main()
