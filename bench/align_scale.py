#!/usr/bin/env python3
"""Time and peak memory of cross-document alignment (``crossnews.align.relations.relate_iter``, story by story)
on a synthetic corpus.

Usage (from the repository root)::

    .venv/bin/python bench/align_scale.py [--docs 10000] [--embedder NAME] [--json]

The corpus is generated, not stored: documents are made of real attributed statements, so their words, lengths and
speakers look like news. The statements come from

* PolNeAR's dev split (``../shared/evaldata/polnear/dev``): every gold attribution (source, cue, content) — about
  a thousand statements by politicians, officials and anonymous sources;
* the bundled demo corpus (analysed once with crossnews).

Each synthetic document is an outlet's article of 4 to 12 statements drawn from one "story" (a pool of 40
statements that share speakers), with some statements copied verbatim from an earlier article of the story (quote
reuse), some with a number or a negation changed (contradictions), and dates spread over two years. Speakers are
entities with mentions, so blocking by entity works as on real data. Extraction is not timed (it is the throughput
benchmark's business): the documents and statements are built directly as records.

Printed: documents, statements, candidate pairs judged, relations by type, seconds for embedding and for the rest,
and the process's peak RSS. Exit status 0 when alignment finished.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from crossnews.core.records import Analysis, Cue, Document, Entity, Mention, Span, Speaker, Statement  # noqa: E402
from crossnews.core.settings import DEFAULTS  # noqa: E402


def _pool(shared: Path) -> list[tuple[str, str]]:
    """(speaker, content) pairs from PolNeAR dev gold attributions and the demo corpus."""
    from crossnews.eval.brat import load_split

    out: list[tuple[str, str]] = []
    dev = shared / "evaldata" / "polnear" / "dev"
    if dev.exists():
        for doc in load_split(dev):
            for a in doc.attributions:
                if not a.source or not a.content:
                    continue
                speaker = " ".join(doc.text[s:e] for s, e in a.source)
                content = " ".join(doc.text[s:e] for s, e in a.content)
                if 3 <= len(content.split()) <= 80 and len(speaker) < 60:
                    out.append((" ".join(speaker.split()), " ".join(content.split())))
    demo = ROOT / "src" / "crossnews" / "demo" / "feed.jsonl"
    for line in demo.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for sentence in record["text"].split(". "):
            if len(sentence.split()) >= 6:
                out.append(("Irena Vostal", sentence.strip()))
    return out


def _mutate(content: str, rng: random.Random) -> str:
    words = content.split()
    roll = rng.random()
    if roll < 0.15:
        return content  # verbatim reuse
    if roll < 0.25:
        for i, w in enumerate(words):
            if w.isdigit():
                words[i] = str(int(w) + rng.randint(1, 9))
                return " ".join(words)
        return "not " + content
    if roll < 0.5 and len(words) > 8:
        cut = rng.randint(1, 3)
        return " ".join(words[cut:-cut])  # trimmed
    return content


def build(n_docs: int, pool: list[tuple[str, str]], seed: int = 7) -> Analysis:
    rng = random.Random(seed)
    outlets = [f"Outlet {i:03d}" for i in range(60)]
    n_stories = max(1, n_docs // 25)
    stories = [rng.sample(pool, min(40, len(pool))) for _ in range(n_stories)]
    documents, statements = [], []
    mentions: dict[str, list[Mention]] = {}
    names: dict[str, str] = {}
    for d in range(n_docs):
        story = d % n_stories
        picked = rng.sample(stories[story], rng.randint(4, min(12, len(stories[story]))))
        parts, spans = [], []
        pos = 0
        for speaker, content in picked:
            content = _mutate(content, rng)
            sentence = f"{speaker} said that {content}."
            s_start = pos
            c_start = pos + len(speaker) + len(" said that ")
            parts.append(sentence)
            spans.append((speaker, s_start, c_start, c_start + len(content)))
            pos += len(sentence) + 2
        text = "\n\n".join(parts)
        doc_id = f"syn-{d:06d}"
        month = 1 + (d * 7) % 24
        published = f"{2023 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-{1 + d % 28:02d}"
        documents.append(Document(doc_id, f"synthetic/{doc_id}.txt", "text", text, doc_id, Span(0, len(text)),
                                  outlet=outlets[d % len(outlets)], published=published, language="en"))
        for k, (speaker, s_start, c_start, c_end) in enumerate(spans):
            eid = f"person:s{story}-{abs(hash(speaker)) % 10_000}"
            names[eid] = speaker
            mentions.setdefault(eid, []).append(Mention(doc_id, s_start, s_start + len(speaker)))
            cue_start = s_start + len(speaker) + 1
            statements.append(Statement(f"st-{doc_id}-{k}", doc_id, Speaker(Span(s_start, s_start + len(speaker)),
                                                                             eid), Cue(Span(cue_start, cue_start + 4),
                                                                                       "say"),
                                        Span(c_start, c_end), "indirect", confidence=0.9))
    entities = tuple(Entity(eid, names[eid], "PERSON", (), tuple(ms)) for eid, ms in mentions.items())
    return Analysis(documents=tuple(documents), entities=entities, statements=tuple(statements))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--embedder", default=DEFAULTS.embedder, help="a registered embedder (default: the settings' own)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args()

    from crossnews.align.embed import get_embedder
    from crossnews.align.judges import get_judge
    from crossnews.align.relations import relate_iter

    pool = _pool(args.shared)
    t0 = time.perf_counter()
    analysis = build(args.docs, pool)
    t_build = time.perf_counter() - t0

    embedder = get_embedder(args.embedder)
    timing = {"embed": 0.0}

    class Timed:
        name, dim = embedder.name, embedder.dim

        def encode(self, texts):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            out = embedder.encode(texts)
            timing["embed"] += time.perf_counter() - t
            return out

    inner = get_judge()
    timing["judge"] = 0.0
    timing["pairs"] = 0

    class TimedJudge:
        name = inner.name

        def judge(self, pairs):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            out = inner.judge(pairs)
            timing["judge"] += time.perf_counter() - t
            timing["pairs"] += len(pairs)
            return out

    t1 = time.perf_counter()
    by_type: dict[str, int] = {}
    # story by story, as a store or an export takes them
    for r in relate_iter(analysis, embedder=Timed(), judge=TimedJudge()):
        by_type[r.type] = by_type.get(r.type, 0) + 1
    total = time.perf_counter() - t1
    result = {
        "documents": len(analysis.documents),
        "statements": len(analysis.statements),
        "statement_pool": len(pool),
        "embedder": embedder.name,
        "pairs_judged": timing["pairs"],
        "relations": sum(by_type.values()),
        "relations_by_type": dict(sorted(by_type.items())),
        "seconds_build_corpus": round(t_build, 1),
        "seconds_align_total": round(total, 1),
        "seconds_embedding": round(timing["embed"], 1),
        "seconds_align_without_embedding": round(total - timing["embed"], 1),
        "seconds_judge": round(timing["judge"], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
