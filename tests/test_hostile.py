"""A hostile corpus, generated here (nothing committed): every input ends analysed or rejected with a reason, the
counts add up, memory stays bounded and non-English text is reported, not analysed as English."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROSE = ("The harbour board of Port Elvin said on Monday that the north pier would close for repairs. "
         "\"We have no choice,\" board chair Mara Quill told reporters after the vote.\n\n"
         "Fishermen's leader Tomas Aldern said the closure would cost the town dearly, and he urged the board to "
         "find another way before the summer season.\n")
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10))
          + ']>\n<rss><channel><item><title>&lol9;</title></item></channel></rss>\n')


def _corpus(root: Path) -> Path:
    c = root / "hostile"
    c.mkdir()
    (c / "empty.txt").write_bytes(b"")
    (c / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (c / "archive.txt.gz").write_bytes(gzip.compress(PROSE.encode()))
    (c / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(range(256)))
    with open(c / "huge.txt", "wb") as fh:  # 50 MB of text
        block = (PROSE * 40).encode()
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            fh.write(block)
    (c / "invalid-utf8.txt").write_bytes(PROSE.encode()[:120] + b"\xff\xfe\xc3\x28" * 50 + b"\x00\x01" * 10)
    (c / "russian-cp1251.txt").write_bytes(("Министр иностранных дел заявил в понедельник, что переговоры "
                                            "продолжатся. Он добавил, что решение будет принято позже.\n" * 6)
                                           .encode("cp1251"))
    (c / "french-latin1.txt").write_bytes(("Le ministre a déclaré lundi que la négociation continuerait. "
                                           "« Nous n'avons pas le choix », a-t-il ajouté après la réunion.\n" * 6)
                                          .encode("latin-1"))
    (c / "arabic.txt").write_text("قال وزير الخارجية يوم الاثنين إن المحادثات مع الجيران ستستمر "
                                  "خلال الأسبوع المقبل.\n\n"
                                  "وأضاف الوزير أن القرار النهائي بشأن السد سيتخذ بعد اجتماع الحكومة في العاصمة.\n\n"
                                  "ورفضت المعارضة هذا الموقف وقالت إن الحكومة تأخرت كثيرا في الرد على المطالب.\n",
                                  encoding="utf-8")
    (c / "nested.html").write_text("<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000
                                   + "</body></html>", encoding="utf-8")
    (c / "laughs.rss").write_text(LAUGHS, encoding="utf-8")
    (c / "laughs.html").write_text(LAUGHS.replace("<rss>", "<html><body><p>").replace("</rss>", "</p></body></html>"),
                                   encoding="utf-8")
    (c / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "ok-1", "text": PROSE, "title": "Pier to close"}),
        "{broken json",
        json.dumps({"id": "no-text", "title": "missing its text"}),
        json.dumps({"id": "dup", "text": PROSE}),
        json.dumps(["not", "an", "object"]),
    ]) + "\n", encoding="utf-8")
    (c / "article.txt").write_text("Pier to close\n\n" + PROSE, encoding="utf-8")
    (c / "article-copy.txt").write_text("Pier to close\n\n" + PROSE, encoding="utf-8")
    (c / "furniture-only.txt").write_text("Home | World | Sport\nSubscribe to our newsletter\nCookie settings\n"
                                          "© 2026 Example Media. All rights reserved.\nPrivacy policy\n",
                                          encoding="utf-8")
    return c


WRAPPER = ("import resource, subprocess, sys, json; r = subprocess.run(sys.argv[1:]); "
           "print(json.dumps({'rc': r.returncode, 'maxrss_kb': "
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr)")


@pytest.mark.skipif(sys.platform != "linux", reason="peak memory is read with getrusage, in KiB on Linux")
def test_hostile_corpus_every_input_analysed_or_rejected_and_memory_bounded(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "a.json"
    cmd = [sys.executable, "-c", WRAPPER, sys.executable, "-m", "crossnews.cli", "analyze", str(corpus),
           "--db", str(tmp_path / "x.db"), "--json", str(out), "-q", "--embedder", "embed.hashing.v1"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    stats = json.loads(done.stderr.strip().splitlines()[-1])
    assert stats["rc"] == 0, done.stderr
    assert stats["maxrss_kb"] < 1_500_000, f"peak RSS {stats['maxrss_kb']} KiB"
    export = json.loads(out.read_text(encoding="utf-8"))
    line = next(x for x in done.stdout.splitlines() if x.startswith("inputs "))
    counts = {k: int(v) for k, v in re.findall(r"(analysed|unchanged|rejected) (\d+)", line)}
    inputs = int(line.split(":")[0].split()[1])
    assert set(counts) == {"analysed", "unchanged", "rejected"}, line
    assert inputs == sum(int(v) for v in counts.values()), line
    rejected = {r["source"]: r["reason"] for r in export["rejected"]}
    docs = {d["source"]: d for d in export["documents"]}
    files = {str(p) for p in corpus.iterdir()} - {str(corpus / "feed.jsonl")}
    # every file is accounted for: a document, a rejection, or (the duplicate) the same content as a document
    for f in files:
        assert f in docs or f in rejected or f.endswith("article-copy.txt") or f.endswith("article.txt"), f
    assert any(s.endswith("article.txt") or s.endswith("article-copy.txt") for s in docs)
    for name, words in [("empty.txt", "empty"), ("image.png", ""), ("report.pdf", ""), ("huge.txt", "byte"),
                        ("laughs.rss", "unsupported"), ("nested.html", "nested")]:
        reason = rejected[str(corpus / name)]
        assert reason and words in reason, (name, reason)
    # the JSONL file: good lines become documents, bad lines are rejected each with its line number
    jsonl_rejects = [s for s in rejected if "feed.jsonl" in s]
    assert len(jsonl_rejects) == 3, rejected
    # non-English input is detected and reported, not analysed as English
    by_lang = {Path(s).name: d["language"] for s, d in docs.items()}
    assert by_lang.get("russian-cp1251.txt") == "ru" and by_lang.get("arabic.txt") == "ar"
    assert by_lang.get("french-latin1.txt") == "fr"
    non_english = {d["id"] for d in export["documents"] if d["language"] != "en"}
    assert not [s for s in export["statements"] if s["doc"] in non_english]
    # billion laughs as HTML: no entity expansion (the text stays small) or a rejection
    laughs = str(corpus / "laughs.html")
    assert laughs in rejected or len(docs[laughs]["text"]) < 10_000
