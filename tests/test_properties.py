"""Properties over generated articles: spans index their documents exactly, records survive SQLite unchanged,
and the same input analysed twice gives the same analysis."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crossnews.core.settings import Settings
from crossnews.pipeline import AnalyzeOptions, analyze
from crossnews.report.export import to_json, validate
from crossnews.store.sqlite import open_store

NAMES = ["Mara Quill", "Tomas Aldern", "the minister", "a senior official", "she", "Veloria", "the ministry"]
CUES = ["said", "told reporters", "argued", "denied", "according to", "warned"]
CLAIMS = ["the dam would reopen on Monday", "“we will never accept it”", "turnout was 64 percent",
          "the vote was illegal", "talks had failed", "\"the bridge is safe,\" ", "‘no’ was the answer"]
NOISE = ["", " ", "\u00a0", "“", "\"", "'", " — ", "\n", "é", "Ж", "🙂", "<b>", "&amp;"]

sentence = st.builds(lambda n, c, q, x: f"{n} {c} that {q}.{x}" if c != "according to" else f"According to {n}, "
                     f"{q}.{x}", st.sampled_from(NAMES), st.sampled_from(CUES), st.sampled_from(CLAIMS),
                     st.sampled_from(NOISE))
article = st.builds(lambda title, paras: title + "\n\n" + "\n\n".join(" ".join(p) for p in paras) + "\n",
                    st.sampled_from(["Dam talks stall", "Harbour vote delayed", "Minister warns"]),
                    st.lists(st.lists(sentence, min_size=1, max_size=3), min_size=3, max_size=5))

OPTS = AnalyzeOptions(settings=Settings(embedder="embed.hashing.v1"))


def _run(texts: list[str], root: Path) -> dict:
    root.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (root / f"a{i}.txt").write_text(text, encoding="utf-8")
    with open_store(root / "x.db") as store:
        analyze([str(root)], store, OPTS)
        return to_json(store.analysis())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article, min_size=1, max_size=3, unique=True))
def test_spans_index_documents_and_analysis_is_repeatable_and_survives_sqlite(texts):
    with tempfile.TemporaryDirectory() as tmp:
        first = _run(texts, Path(tmp) / "one")
        validate(first)  # the schema, and every span's text equals its document's text at its offsets
        for doc in first["documents"]:
            source = Path(doc["source"]).read_text(encoding="utf-8")
            assert doc["text"] == source  # plain-text offsets index the file content exactly
        second = _run(texts, Path(tmp) / "two")
        # the same input twice: the same analysis (sources differ only by their folder)
        assert json.dumps(first, sort_keys=True).replace("/one/", "/two/") == json.dumps(second, sort_keys=True)
        # records read back from SQLite are the ones written: a reopened store gives the same export
        with open_store(Path(tmp) / "one" / "x.db") as store:
            assert to_json(store.analysis()) == first


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article)
def test_records_round_trip_through_sqlite_unchanged(text):
    from crossnews.clean import clean
    from crossnews.core.codec import statement_to_json, time_to_json
    from crossnews.core.errors import InputError
    from crossnews.extract import extract
    from crossnews.ingest import RawInput

    try:
        doc = clean(RawInput("p.txt", text, "text", "file"))
    except InputError:
        # the generator can glue noise to every sentence ("Monday.é" three times over): no paragraph reads as
        # prose, and rejecting the input is the right outcome; the round trip needs an analysed document
        assume(False)
    ex = extract([doc])[0]
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "x.db") as store:
        store.put_document(doc, raw=text, extras={
            "statements": [statement_to_json(s, doc.text) for s in ex.statements],
            "mentions": list(ex.mentions), "times": [time_to_json(t, doc.text) for t in ex.times]})
        assert store.document(doc.id) == doc
        key = lambda s: (s.cue.span.start if s.cue else s.content.start)  # noqa: E731
        assert store.statements(doc.id) == sorted(ex.statements, key=key)
        assert store.times(doc.id) == sorted(ex.times, key=lambda t: t.start)
        # the raw input is kept when it differs from the document text; plain text is the document text itself
        assert (store.raw_input(doc.content_hash) or store.document(doc.id).text) == text
