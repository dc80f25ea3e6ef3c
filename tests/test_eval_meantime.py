"""MEANTIME loader and scorers: the corpus reads as documented, the TempEval-3 timex scorer and the coreference
metrics give known answers on hand-made cases (Pradhan et al. 2014's worked example among them)."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

from crossnews.eval.meantime import (
    GoldTimex,
    _hungarian_max,
    evaluate_coref,
    evaluate_time,
    gold_coref_clusters,
    load_meantime,
    score_coref,
    score_timexes,
)

MEANTIME = Path(__file__).resolve().parents[1] / ".." / "shared" / "evaldata" / "meantime-en"


def _need_data() -> Path:
    if not MEANTIME.exists():
        pytest.skip(f"{MEANTIME.resolve()} is absent: these tests read ../shared/evaldata beside the checkout")
    return MEANTIME


@pytest.fixture(scope="module")
def docs():
    return load_meantime(_need_data())


# ------------------------------------------------------------------------------------------------ loading

def test_corpus_counts(docs):
    assert len(docs) == 120
    assert {d.corpus for d in docs} == {"corpus_airbus", "corpus_apple", "corpus_gm", "corpus_stock"}
    timexes = [t for d in docs for t in d.timexes]
    # 525 TIMEX3 in the XML: 118 CREATION_TIME + 407 others, 37 of which are unanchored (implicit points)
    assert len(timexes) == 488
    assert sum(t.is_dct for t in timexes) == 120  # one per document (2 documents lack CREATION_TIME)
    assert all(sum(t.is_dct for t in d.timexes) == 1 for d in docs)
    assert len(timexes) - 120 == 368  # the scored gold timexes
    mentions = [m for d in docs for m in d.entity_mentions]
    assert len(mentions) == 3910  # 3919 ENTITY_MENTION - 1 without tokens - 8 duplicate spans
    assert sum(m.instance_id is None for m in mentions) == 52
    assert {m.ent_type for m in mentions} == {"PER", "ORG", "LOC", "PRO", "FIN", "MIX", None}


def test_text_and_spans(docs):
    for d in docs:
        lines = d.text.split("\n")
        assert lines[0] == d.title and lines[0]
        assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2} , \d{4}", lines[1]), lines[1]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", d.dct), (d.name, d.dct)
        for s, e in d.token_spans.values():
            assert d.text[s:e] and " " not in d.text[s:e] and "\n" not in d.text[s:e]
        dct = [t for t in d.timexes if t.is_dct][0]
        assert d.text[dct.start:dct.end] == lines[1]
    first = docs[0]
    assert first.text.startswith("Northrop Grumman and Airbus parent EADS defeat Boeing")
    assert first.dct == "2008-03-01"
    # the two repaired DCTs: "03-02-2009" (day first) and 2008-10-20 annotated on "October 10 , 2008"
    by_name = {d.name.split("_")[0]: d for d in docs}
    assert by_name["120578"].dct == "2009-02-03"
    assert by_name["114904"].dct == "2008-10-10"
    assert by_name["78496"].dct == "2007-09-01"  # no CREATION_TIME: the date line's timex


def test_gold_span_text_is_token_text(docs):
    import xml.etree.ElementTree as ET

    base = _need_data() / "intra_cross-doc_annotation"
    files = sorted(base.glob("**/*.xml"))
    for path, d in zip(files, docs, strict=True):
        root = ET.parse(path).getroot()
        toks = {t.get("t_id"): t.text for t in root.iter("token")}
        numbers = {t.get("t_id"): int(t.get("number")) for t in root.iter("token")}
        by_mid = {e.get("m_id"): e for e in root.find("Markables")}
        for t in d.timexes:
            ids = sorted((a.get("t_id") for a in by_mid[t.m_id].findall("token_anchor")), key=numbers.get)
            assert d.text[t.start:t.end] == " ".join(toks[i] for i in ids)  # all timexes are contiguous
        for m in d.entity_mentions:
            ids = sorted((a.get("t_id") for a in by_mid[m.m_id].findall("token_anchor")), key=numbers.get)
            joined = " ".join(toks[i] for i in ids)
            surface = d.text[m.start:m.end]
            contiguous = numbers[ids[-1]] - numbers[ids[0]] + 1 == len(ids)
            assert surface == joined if contiguous else (surface.startswith(toks[ids[0]])
                                                         and surface.endswith(toks[ids[-1]]))


def test_gold_clusters(docs):
    clusters = gold_coref_clusters(docs)
    assert len(clusters) == 818  # 753 corpus-level instances + 65 document-local entities
    assert sum(len({k[0] for k in c}) > 1 for c in clusters) == 127
    keys = [k for c in clusters for k in c]
    assert len(keys) == len(set(keys)) == 3858
    assert max(len({k[0] for k in c}) for c in clusters) == 52


# ------------------------------------------------------------------------------------------------ timexes

def _g(start, end, type_="DATE", value="2009-05-14", m_id="1", is_dct=False):
    return GoldTimex(start, end, type_, value, m_id, is_dct)


def test_score_timexes_exact():
    gold = [_g(0, 8), _g(20, 26, "DURATION", "P1Y")]
    s = score_timexes([(gold, [(0, 8, "DATE", "2009-05-14"), (20, 26, "DURATION", "P1Y")])])
    assert s["strict"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert s["relaxed"]["f1"] == 1.0 and s["value_accuracy"] == 1.0 and s["value_f1"] == 1.0
    assert s["type_accuracy"] == 1.0


def test_score_timexes_overlap_and_values():
    gold = [_g(0, 8), _g(20, 26, "DURATION", "P1Y"), _g(40, 45, "DATE", "2009")]
    pred = [(0, 5, "DATE", "2009-05-14"),  # overlap, right value
            (18, 26, "DATE", "P2Y"),  # overlap, wrong value and type
            (60, 64, "DATE", "2010")]  # false positive
    s = score_timexes([(gold, pred)])
    assert s["strict"]["f1"] == 0.0
    assert s["relaxed"] == {"precision": round(2 / 3, 4), "recall": round(2 / 3, 4), "f1": round(2 / 3, 4)}
    assert s["value_accuracy"] == 0.5 and s["type_accuracy"] == 0.5
    assert s["value_f1"] == round(round(2 / 3, 4) * 0.5, 4)


def test_score_timexes_one_to_one_and_dct():
    gold = [_g(0, 15, value="2009-05-14", is_dct=True), _g(20, 30)]
    # two predictions overlapping the same gold: one matches, the other is a false positive;
    # a prediction on the DCT is ignored
    pred = [(0, 15, "DATE", "2009-05-14"), (20, 24, "DATE", "2009-05-14"), (25, 30, "DATE", "2009-05-14")]
    s = score_timexes([(gold, pred)])
    assert s["gold_timexes"] == 1 and s["predicted"] == 2
    assert s["relaxed"]["recall"] == 1.0 and s["relaxed"]["precision"] == 0.5
    # exact spans are preferred over the first overlap
    s = score_timexes([([_g(0, 10)], [(0, 4, "DATE", "x"), (0, 10, "DATE", "2009-05-14")])])
    assert s["strict"]["recall"] == 1.0 and s["value_accuracy"] == 1.0
    # summed over documents
    s = score_timexes([([_g(0, 4)], [(0, 4, "DATE", "2009-05-14")]), ([_g(0, 4)], [])])
    assert s["strict"] == {"precision": 1.0, "recall": 0.5, "f1": round(2 / 3, 4)}
    assert score_timexes([])["relaxed"]["f1"] == 0.0
    # an optional third element ends the scored region: predictions starting there or later are ignored
    s = score_timexes([([_g(0, 4)], [(0, 4, "DATE", "2009-05-14"), (50, 54, "DATE", "2010")], 40)])
    assert s["predicted"] == 1 and s["strict"]["f1"] == 1.0


def test_annotated_region(docs):
    for d in docs:
        lines = d.text[:d.annotated_end].split("\n")
        assert len(lines) == min(6, d.text.count("\n") + 1)
        assert d.annotated_end == len(d.text) or d.text[d.annotated_end] == "\n"
        assert all(t.end <= d.annotated_end for t in d.timexes)


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _year_tagger(text: str, dct: str) -> list[tuple[int, int, str, str]]:
    return [(m.start(), m.end(), "DATE", m.group()) for m in _YEAR.finditer(text)]


def test_evaluate_time_with_year_regex():
    r = evaluate_time(_need_data(), _year_tagger)
    assert r["documents"] == 120 and r["gold_timexes"] == 368
    # a bare year catches 4-digit years and the year inside longer dates, nothing else
    assert 0.1 < r["relaxed"]["recall"] < 0.5
    # TIMEX3 are annotated in the first 6 lines only: bare years past them are not counted against the tagger
    assert r["predicted_outside_annotated_region"] > 100
    assert r["relaxed"]["precision"] > 0.9
    assert r["strict"]["f1"] < r["relaxed"]["f1"]
    assert 0.0 < r["value_accuracy"] < 1.0 and r["type_accuracy"] > 0.8
    assert r["value_f1"] == round(r["relaxed"]["f1"] * r["value_accuracy"], 4)
    assert 0 < len(r["errors"]) <= 40
    assert {e["kind"] for e in r["errors"]} >= {"miss", "false_positive", "wrong_value"}
    small = evaluate_time(_need_data(), _year_tagger, limit=5)
    assert small["documents"] == 5


def test_evaluate_time_perfect_tagger(docs):
    by_text = {d.text: d for d in docs}

    def oracle(text: str, dct: str) -> list[tuple[int, int, str, str]]:
        return [(t.start, t.end, t.type, t.value) for t in by_text[text].timexes]

    r = evaluate_time(_need_data(), oracle)
    assert r["strict"]["f1"] == 1.0 and r["value_f1"] == 1.0 and r["type_accuracy"] == 1.0
    assert r["errors"] == []


# -------------------------------------------------------------------------------------------- coreference

def test_pradhan_2014_example():
    # Pradhan et al. (2014), "Scoring coreference partitions of predicted mentions: a reference implementation"
    key = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
    response = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]
    s = score_coref(key, response)
    assert s["muc"] == {"precision": 0.4, "recall": 0.4, "f1": 0.4}
    b3_r = 35 / 84  # (4/3 + 1/3 + 1/4 + 4/4) / 7
    assert s["b3"] == {"precision": 0.5, "recall": round(b3_r, 4), "f1": round(2 * 0.5 * b3_r / (0.5 + b3_r), 4)}
    assert s["ceafe"] == {"precision": round(1.3 / 3, 4), "recall": 0.65, "f1": 0.52}
    assert s["conll_f1"] == round((s["muc"]["f1"] + s["b3"]["f1"] + s["ceafe"]["f1"]) / 3, 4)


def test_coref_perfect_singletons_and_one_cluster():
    key = [{1, 2, 3}, {4, 5}, {6}]
    perfect = score_coref(key, [{3, 2, 1}, {5, 4}, {6}])
    assert perfect["conll_f1"] == 1.0
    assert all(perfect[m]["f1"] == 1.0 for m in ("muc", "b3", "ceafe"))

    singles = score_coref(key, [{i} for i in range(1, 7)])
    assert singles["muc"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert singles["b3"]["precision"] == 1.0 and singles["b3"]["recall"] == 0.5  # (1 + 1 + 1) / 6
    # CEAF-e: best alignment 2/4 + 2/3 + 1 over 3 key / 6 response entities
    phi = 2 / 4 + 2 / 3 + 1
    assert singles["ceafe"]["recall"] == round(phi / 3, 4) and singles["ceafe"]["precision"] == round(phi / 6, 4)

    one = score_coref(key, [{1, 2, 3, 4, 5, 6}])
    assert one["muc"]["recall"] == 1.0 and one["muc"]["precision"] == 0.6  # (6 - 3) / 5
    assert one["b3"]["recall"] == 1.0 and one["b3"]["precision"] == round((9 + 4 + 1) / 36, 4)
    assert one["ceafe"]["precision"] == round(2 * 3 / 9, 4) and one["ceafe"]["recall"] == round(2 * 3 / 9 / 3, 4)


def test_coref_twinless_mentions():
    # a missing gold mention and an invented one earn nothing
    s = score_coref([{1, 2}], [{1, 9}])
    assert s["muc"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert s["b3"] == {"precision": 0.25, "recall": 0.25, "f1": 0.25}
    assert s["ceafe"]["f1"] == 0.5
    assert score_coref([], [])["conll_f1"] == 0.0


def _brute_force(w):
    n, m = len(w), len(w[0])
    if n > m:
        w = [list(c) for c in zip(*w, strict=True)]
        n, m = m, n
    return max(sum(w[i][p[i]] for i in range(n)) for p in itertools.permutations(range(m), n))


def test_hungarian_fallback_matches_brute_force():
    rng = random.Random(7)
    for _ in range(60):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        w = [[rng.choice([0.0, rng.random()]) for _ in range(m)] for _ in range(n)]
        assert _hungarian_max(w) == pytest.approx(_brute_force(w))


def test_evaluate_coref_gold_and_baselines():
    def oracle(ds):
        return gold_coref_clusters(ds)

    r = evaluate_coref(_need_data(), oracle)
    assert r["conll_f1"] == 1.0 and r["gold_mentions"] == 3858 and r["gold_cross_doc_clusters"] == 127
    assert 0.0 < r["baselines"]["singletons"] < r["baselines"]["same_text"] < 1.0

    def per_document(ds):  # gold clusters cut at document boundaries: loses every cross-document link
        out = []
        for c in gold_coref_clusters(ds):
            by_doc: dict[str, set] = {}
            for k in c:
                by_doc.setdefault(k[0], set()).add(k)
            out.extend(by_doc.values())
        return out

    cut = evaluate_coref(_need_data(), per_document)
    assert cut["b3"]["precision"] == 1.0 and cut["b3"]["recall"] < 0.8
    assert cut["predicted_cross_doc_clusters"] == 0
    small = evaluate_coref(_need_data(), oracle, limit=10)
    assert small["documents"] == 10 and small["conll_f1"] == 1.0
