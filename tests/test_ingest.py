"""Ingest: every bad input becomes a ``Rejected`` naming it with a clear reason, and the batch goes on.

All inputs are generated in ``tmp_path``; no fixture files are committed.
"""

from __future__ import annotations

import gzip
import json
import random
import sqlite3
from pathlib import Path

import pytest

from crossnews.core.errors import InputError
from crossnews.core.records import Rejected
from crossnews.ingest import IngestOptions, RawInput, decode_bytes, ingest, sniff_binary
from crossnews.pipeline import Event, analyze
from crossnews.store.sqlite import open_store

ARTICLE = (
    "Harbour council approves a new ferry line to the island\n"
    "12 March 2024\n"
    "The harbour council voted on Tuesday to approve a new ferry line between the old port and the island.\n"
    "Council members said the service would start in the summer and run every two hours during the week.\n"
    "Local residents welcomed the decision, although some warned that the fares might be too high for families.\n"
)
ARTICLE_2 = (
    "Library reopens after two years of repairs\n"
    "3 June 2024\n"
    "The central library in Marren reopened on Saturday after two years of repairs to its leaking roof.\n"
    "Hundreds of readers queued outside before the doors opened, and the first loans were made within minutes.\n"
    "The city said the repairs had cost less than planned because the old timber beams could be saved.\n"
)
FURNITURE_ONLY = "Subscribe now\nSign in\nHome | World | Sport\n"

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
GZIP_PNG = gzip.compress(PNG)  # a compressed file is read as what it holds: here an image

RUSSIAN = (
    "Правительство заявило в понедельник, что переговоры с соседними странами продолжатся на следующей неделе.\n"
    "Министр иностранных дел подтвердил, что делегация прибудет в столицу во вторник утром.\n"
)
FRENCH = (
    "Le maire de la ville a déclaré vendredi que les travaux de rénovation du théâtre commenceront à la fin de "
    "l'été. Selon lui, la première étape coûtera près de deux millions d'euros.\n"
    "Les habitants du quartier, inquiets du bruit, ont demandé une réunion publique avant le début du chantier. "
    "« Nous voulons être entendus », a expliqué une voisine âgée de soixante ans.\n"
)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def run(*specs: str | Path, **kw: object) -> list[RawInput | Rejected]:
    return list(ingest([str(s) for s in specs], IngestOptions(**kw)))  # type: ignore[arg-type,unused-ignore]


def only_rejected(path: Path | str, **kw: object) -> Rejected:
    out = run(path, **kw)
    assert len(out) == 1, out
    (item,) = out
    assert isinstance(item, Rejected), item
    assert item.source == str(path), "the rejection names the input"
    assert item.reason and "\n" not in item.reason, "one clear line"
    return item


# --- bad files: each rejected, and the batch goes on -------------------------------------------------------------


def random_bytes(seed: int, n: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


BAD_FILES: list[tuple[str, bytes, list[str]]] = [
    ("empty.txt", b"", ["empty"]),
    ("blank.txt", b"  \n\r\n\t \n   ", ["empty"]),
    ("image.txt", PNG, ["binary", "PNG image"]),
    ("archive.txt.gz", GZIP_PNG, ["binary", "PNG image"]),
    ("cut.html.gz", gzip.compress(ARTICLE.encode())[:40], ["corrupt gzip"]),
    ("report.txt", PDF, ["binary", "PDF document"]),
    ("noise.txt", random_bytes(7, 3000), ["binary", "NUL"]),
]


@pytest.mark.parametrize(("name", "data", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_rejected_with_reason(tmp_path: Path, name: str, data: bytes, words: list[str]) -> None:
    rej = only_rejected(write(tmp_path / name, data))
    for word in words:
        assert word in rej.reason, rej.reason


def test_a_crawl_s_compressed_files_are_read_as_what_they_hold(tmp_path: Path) -> None:
    html = f"<html><head><title>Ferry line</title></head><body><p>{ARTICLE}</p></body></html>"
    page = write(tmp_path / "page.html.gz", gzip.compress(html.encode()))
    note = write(tmp_path / "note.txt.gz", gzip.compress(ARTICLE_2.encode()))
    lines = "".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate((ARTICLE, ARTICLE_2)))
    feed = write(tmp_path / "feed.jsonl.gz", gzip.compress(lines.encode()))
    out = run(page, note, feed)
    assert [o.kind for o in out if isinstance(o, RawInput)] == ["html", "text", "text", "text"], out
    assert out[1].text == ARTICLE_2 and [o.given.get("id") for o in out[2:]] == ["r0", "r1"]
    # never more than the cap decompressed: a small file that inflates past it is rejected, not read whole
    bomb = write(tmp_path / "bomb.txt.gz", gzip.compress(b"the council met. " * 100_000))
    rej = only_rejected(bomb, max_bytes=100_000)
    assert "once decompressed" in rej.reason


def test_the_magic_header_wins_over_the_suffix(tmp_path: Path) -> None:
    # A PNG saved as .html is still an image, not an article.
    rej = only_rejected(write(tmp_path / "page.html", PNG))
    assert "PNG image" in rej.reason


def test_undecodable_bytes_without_nul_are_rejected(tmp_path: Path) -> None:
    # Control characters and C1 bytes, no NUL: not UTF-8 and no legacy encoding turns it into text.
    rng = random.Random(3)
    alphabet = [*range(1, 9), *range(14, 32), 0x7F, *range(0x80, 0xA0)]
    data = bytes(rng.choice(alphabet) for _ in range(4000))
    assert b"\x00" not in data and sniff_binary(data) is None
    rej = only_rejected(write(tmp_path / "garbage.txt", data))
    assert rej.reason.startswith("undecodable"), rej.reason
    assert "not UTF-8" in rej.reason or "control characters" in rej.reason


def test_every_bad_input_is_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    good_a = write(tmp_path / "a_good.txt", ARTICLE)
    bad = [write(tmp_path / name, data) for name, data, _ in BAD_FILES]
    good_z = write(tmp_path / "z_good.txt", ARTICLE_2)
    missing = tmp_path / "nope.txt"
    specs = [good_a, *bad, missing, good_z]
    out = run(*specs)
    assert [o.source for o in out] == [str(s) for s in specs], "one outcome per input, in order"
    assert isinstance(out[0], RawInput) and isinstance(out[-1], RawInput)
    assert all(isinstance(o, Rejected) for o in out[1:-1])


def test_decode_bytes_raises_input_error_naming_the_source() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(b"", "some/source.txt")
    assert info.value.source == "some/source.txt"
    assert info.value.reason == "empty input"
    assert str(info.value) == "some/source.txt: empty input"


# --- encodings -----------------------------------------------------------------------------------------------------


def test_cp1251_russian_without_declared_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "ru.txt", RUSSIAN.encode("cp1251"))
    (raw,) = run(path)
    assert isinstance(raw, RawInput)
    assert "Правительство" in raw.text and "делегация" in raw.text
    assert raw.text == RUSSIAN
    assert raw.encoding.lower().replace("-", "").replace("_", "") in {"cp1251", "windows1251"}


def test_latin1_french_without_declared_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.txt", FRENCH.encode("latin-1"))
    (raw,) = run(path)
    assert isinstance(raw, RawInput)
    assert "théâtre" in raw.text and "âgée" in raw.text and "« Nous" in raw.text
    assert raw.text == FRENCH


def test_latin1_french_with_grave_accents_decodes_correctly(tmp_path: Path) -> None:
    text = ("Le gouvernement a annoncé mardi une réforme très attendue de l'éducation nationale. "
            "Les élèves et les enseignants étaient réunis devant l'école où le ministre a présenté son projet.\n") * 3
    (raw,) = run(write(tmp_path / "fr2.txt", text.encode("latin-1")))
    assert isinstance(raw, RawInput)
    assert "très" in raw.text
    assert raw.text == text


def test_plain_text_is_the_file_content_exactly(tmp_path: Path) -> None:
    content = "Headline here\r\n\r\nFirst paragraph, with «quotes» and — dashes.\r\nSecond line\n\tIndented\r\n"
    (raw,) = run(write(tmp_path / "crlf.txt", content))
    assert isinstance(raw, RawInput)
    assert raw.text == content, "line endings and whitespace are kept"
    assert raw.kind == "text" and raw.origin == "file" and raw.encoding == "utf-8"
    assert raw.source == str(tmp_path / "crlf.txt")
    assert raw.given == {}


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    content = "Headline\r\nBody text goes here.\r\n"
    (raw,) = run(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + content.encode("utf-8")))
    assert isinstance(raw, RawInput)
    assert raw.text == content
    assert decode_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"), "x") == (content, "utf-8")


def test_html_kind_by_suffix_and_by_content(tmp_path: Path) -> None:
    html = "<!doctype html><html><body><p>Hello.</p></body></html>"
    by_suffix, by_sniff, text = run(write(tmp_path / "a.htm", "<p>Hello there.</p>"),
                                    write(tmp_path / "b.txt", html),
                                    write(tmp_path / "c.md", "Just <b>text</b> with a tag.\n"))
    assert isinstance(by_suffix, RawInput) and by_suffix.kind == "html"
    assert isinstance(by_sniff, RawInput) and by_sniff.kind == "html"
    assert isinstance(text, RawInput) and text.kind == "text"


@pytest.mark.parametrize("suffix", [".json", ".xml", ".rss", ".svg"])
def test_unsupported_formats_rejected(tmp_path: Path, suffix: str) -> None:
    rej = only_rejected(write(tmp_path / f"feed{suffix}", "{}"))
    assert "unsupported format" in rej.reason and suffix in rej.reason


# --- JSONL ---------------------------------------------------------------------------------------------------------


def test_jsonl_good_lines_yielded_and_bad_lines_rejected(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ferry-1", "outlet": "Harbour Gazette", "published": "2024-03-12",
                    "title": "Ferry line approved", "url": "https://harbour.example/ferry", "text": ARTICLE,
                    "ignored": "not a given field"}),                    # 1 good, with given fields
        '{"text": "unterminated',                                        # 2 broken JSON
        json.dumps(["an", "array"]),                                     # 3 not an object
        json.dumps({"title": "No body"}),                                # 4 missing text/html
        "",                                                              # 5 blank: skipped
        json.dumps({"text": 42}),                                        # 6 non-string text
        json.dumps({"html": "<html><body><p>Library reopens.</p></body></html>", "published": 2024}),  # 7 good
        json.dumps({"text": "   ", "html": None}),                       # 8 only whitespace
        json.dumps({"id": "bad-2", "html": ["x"]}),                      # 9 non-string html, with an id
        json.dumps({"text": ARTICLE_2, "outlet": ""}),                   # 10 good, empty field dropped
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    out = run(path, write(tmp_path / "zz_after.txt", ARTICLE_2))
    by_line = {o.source.split("#")[0]: o for o in out}
    assert len(out) == 10, "nine non-blank lines and the file after it"

    good = by_line[f"{path}:1"]
    assert isinstance(good, RawInput)
    assert good.source == f"{path}:1#ferry-1"
    assert good.text == ARTICLE and good.kind == "text" and good.origin == "jsonl"
    assert good.given == {"id": "ferry-1", "outlet": "Harbour Gazette", "published": "2024-03-12",
                          "title": "Ferry line approved", "url": "https://harbour.example/ferry"}
    assert good.url == "https://harbour.example/ferry"

    html = by_line[f"{path}:7"]
    assert isinstance(html, RawInput) and html.kind == "html" and html.given == {"published": "2024"}
    last = by_line[f"{path}:10"]
    assert isinstance(last, RawInput) and last.text == ARTICLE_2 and last.given == {}

    expected_reasons = {
        2: "invalid JSONL line",
        3: "expected a JSON object",
        4: "missing field 'text' or 'html'",
        6: "field 'text' must be a string",
        8: "missing field 'text' or 'html'",
        9: "field 'html' must be a string",
    }
    for lineno, words in expected_reasons.items():
        rej = by_line[f"{path}:{lineno}"]
        assert isinstance(rej, Rejected), (lineno, rej)
        assert rej.source.startswith(f"{path}:{lineno}"), "path:lineno names the bad line"
        assert words in rej.reason, (lineno, rej.reason)
    assert by_line[f"{path}:9"].source == f"{path}:9#bad-2"
    assert isinstance(out[-1], RawInput) and out[-1].source == str(tmp_path / "zz_after.txt"), "the batch goes on"


def test_jsonl_line_not_utf8_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.ndjson", b'{"text": "caf\xe9 au lait"}\n' + json.dumps({"text": ARTICLE}).encode())
    bad, good = run(path)
    assert isinstance(bad, Rejected) and bad.source == f"{path}:1" and "not UTF-8" in bad.reason
    assert isinstance(good, RawInput) and good.source == f"{path}:2"


def test_jsonl_line_over_the_cap_rejected(tmp_path: Path) -> None:
    big = json.dumps({"text": "word " * 500})
    path = write(tmp_path / "feed.jsonl", big + "\n" + json.dumps({"text": "Short and fine."}) + "\n")
    bad, good = run(path, max_bytes=1000)
    assert isinstance(bad, Rejected) and bad.source == f"{path}:1" and "too large" in bad.reason
    assert isinstance(good, RawInput)


def test_empty_jsonl_rejected(tmp_path: Path) -> None:
    rej = only_rejected(write(tmp_path / "empty.jsonl", b""))
    assert "empty" in rej.reason


def test_whitespace_only_jsonl_rejected(tmp_path: Path) -> None:
    rej = only_rejected(write(tmp_path / "blank.jsonl", b"\n  \n\r\n"))
    assert "empty" in rej.reason


# --- directories, globs, missing paths, size cap ------------------------------------------------------------------


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.txt", "a_sub/e.txt"]:
        write(root / rel, ARTICLE + rel)
    for rel in [".hidden.txt", ".git/config.txt", "sub/.secret/f.txt", "__pycache__/x.txt"]:
        write(root / rel, "should not be read")
    out = run(root)
    assert all(isinstance(o, RawInput) for o in out)
    assert [Path(o.source).relative_to(root).as_posix() for o in out] == [
        "a.txt", "a_sub/e.txt", "b.txt", "sub/c.txt", "sub/deeper/d.txt",
    ]


def test_directory_under_a_hidden_folder_is_still_read_when_named(tmp_path: Path) -> None:
    root = tmp_path / ".articles"
    write(root / "a.txt", ARTICLE)
    (raw,) = run(root)
    assert isinstance(raw, RawInput)


def test_empty_directory_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    rej = only_rejected(tmp_path / "empty")
    assert rej.reason == "no files found"


def test_glob_pattern(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c.html", "sub/d.txt"]:
        write(tmp_path / name, ARTICLE + name)
    out = run(tmp_path / "*.txt")
    assert [Path(o.source).name for o in out] == ["a.txt", "b.txt"]
    out = run(str(tmp_path) + "/**/*.txt")
    assert [Path(o.source).relative_to(tmp_path).as_posix() for o in out] == ["a.txt", "b.txt", "sub/d.txt"]


def test_glob_without_matches_rejected(tmp_path: Path) -> None:
    rej = only_rejected(str(tmp_path / "*.nothing"))
    assert "no files found" in rej.reason


def test_nonexistent_path_rejected(tmp_path: Path) -> None:
    rej = only_rejected(tmp_path / "missing" / "article.txt")
    assert "no such file" in rej.reason


def test_file_over_max_bytes_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "huge.txt", "All work and no play. " * 100)
    rej = only_rejected(path, max_bytes=1000)
    assert "too large" in rej.reason
    assert "2,200 bytes" in rej.reason and "1,000-byte cap" in rej.reason and "--max-bytes" in rej.reason
    (raw,) = run(path, max_bytes=2200)
    assert isinstance(raw, RawInput), "exactly at the cap is accepted"


# --- the pipeline over good and bad inputs -------------------------------------------------------------------------


def _table_count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _distinct(db: Path, sql: str) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(sql).fetchall()
    return len(rows), len(set(rows))


def test_pipeline_counts_add_up_and_rerun_is_unchanged(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    write(inputs / "a.txt", ARTICLE)
    write(inputs / "b.txt", ARTICLE_2)
    write(inputs / "c.txt", b"")
    write(inputs / "d.txt", PNG)
    write(inputs / "e.txt", FURNITURE_ONLY)  # decodes, but cleaning finds no article
    write(inputs / "feed.jsonl", "\n".join([
        json.dumps({"id": "j-1", "text": ARTICLE.replace("Tuesday", "Wednesday")}),
        "{broken",
        json.dumps({"text": 7}),
    ]) + "\n")
    specs = [str(inputs), str(tmp_path / "missing.txt")]
    db = tmp_path / "x.db"

    with open_store(db) as store:
        first = analyze(specs, store)
        assert first.inputs == 9  # a b c d e, three JSONL lines, the missing path
        assert first.inputs == first.analysed + first.unchanged + first.rejected
        assert first.consistent
        assert (first.analysed, first.unchanged, first.rejected) == (3, 0, 6)
        assert sorted(d.split("-")[0] for d in first.documents) == ["a", "b", "j"]
        assert "j-1" in first.documents, "the JSONL id is the document id"
        stored = store.rejected()
        assert {r.source for r in stored} == {r.source for r in first.rejections}
        assert len(stored) == 6
        reasons = {Path(r.source.split(":")[0]).name if ".jsonl" in r.source else Path(r.source).name: r.reason
                   for r in stored}
        assert "empty" in reasons["c.txt"] and "PNG" in reasons["d.txt"]
        assert "no article text" in reasons["e.txt"] and "no such file" in reasons["missing.txt"]
        assert store.count("documents") == 3

    with open_store(db) as store:
        second = analyze(specs, store)
        assert second.consistent
        assert second.inputs == first.inputs
        assert second.analysed == 0
        assert second.unchanged == first.analysed
        assert second.rejected == first.rejected
        assert store.count("documents") == 3
        assert len(store.rejected()) == 6
        assert store.count("runs") == 2

    assert _distinct(db, "SELECT content_hash FROM documents") == (3, 3)
    assert _distinct(db, "SELECT source, reason FROM rejected") == (6, 6)
    assert _table_count(db, "documents") == 3


def test_pipeline_duplicate_inputs_in_one_batch(tmp_path: Path) -> None:
    write(tmp_path / "in" / "one.txt", ARTICLE)
    write(tmp_path / "in" / "two.txt", ARTICLE)  # same content: analysed once
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "in")], store)
        assert (summary.inputs, summary.analysed, summary.unchanged, summary.rejected) == (2, 1, 1, 0)
        assert store.count("documents") == 1


def test_pipeline_duplicate_of_a_rejected_input_is_rejected_too(tmp_path: Path) -> None:
    write(tmp_path / "in" / "one.txt", FURNITURE_ONLY)
    write(tmp_path / "in" / "two.txt", FURNITURE_ONLY)
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "in")], store)
        assert summary.consistent
        assert (summary.analysed, summary.unchanged, summary.rejected) == (0, 0, 2)
        assert {r.source for r in store.rejected()} == {str(tmp_path / "in" / "one.txt"),
                                                       str(tmp_path / "in" / "two.txt")}


def test_pipeline_duplicate_event_names_the_document_id(tmp_path: Path) -> None:
    write(tmp_path / "in" / "one.txt", ARTICLE)
    write(tmp_path / "in" / "two.txt", ARTICLE)
    events: list[Event] = []
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "in")], store, on_event=events.append)
    (doc_id,) = summary.documents
    by_status = {e.status: e for e in events}
    assert by_status["analysed"].doc_id == doc_id
    assert by_status["unchanged"].doc_id == doc_id


def test_deeply_nested_html_is_rejected_with_a_reason(tmp_path: Path) -> None:
    from crossnews.pipeline import analyze

    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + "Some article text that is long enough to read."
                    + "</div>" * 100_000 + "</body></html>")
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(deep)], store)
    assert summary.rejected == 1 and summary.inputs == 1
    assert "too deeply nested or malformed" in summary.rejections[0].reason


def test_an_extraction_failure_rejects_that_document_and_the_batch_goes_on(tmp_path: Path, monkeypatch) -> None:
    import crossnews.extract as extract_stage

    good = "The council met for six hours on Tuesday before agreeing to postpone the vote on the harbour plan.\n"
    (tmp_path / "a.txt").write_text(good)
    (tmp_path / "b.txt").write_text("BOOM " + good)
    real = extract_stage._extract_one

    def flaky(run, d, text, sdoc, *rest):
        if "BOOM" in text:
            raise RuntimeError("simulated parser failure")
        return real(run, d, text, sdoc, *rest)

    monkeypatch.setattr(extract_stage, "_extract_one", flaky)
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store)
        assert (summary.inputs, summary.analysed, summary.rejected) == (2, 1, 1)
        assert "simulated parser failure" in summary.rejections[0].reason
        assert summary.rejections[0].source.endswith("b.txt")
        assert store.count("documents") == 1


def test_non_english_articles_are_detected_and_not_analysed_as_english(tmp_path: Path) -> None:
    from crossnews.pipeline import analyze

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ru.txt").write_text(
        "Министр иностранных дел заявил в среду, что переговоры продолжатся на следующей неделе в Москве. "
        "По его словам, стороны обсудят вопросы безопасности и экономического сотрудничества.\n", encoding="utf-8")
    (tmp_path / "in" / "ar.txt").write_text(
        "قال وزير الخارجية يوم الأربعاء إن المحادثات ستستمر الأسبوع المقبل في العاصمة. "
        "وأضاف أن الجانبين سيناقشان قضايا الأمن والتعاون الاقتصادي.\n", encoding="utf-8")
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "in")], store)
        assert (summary.inputs, summary.analysed) == (2, 2)
        analysis = store.analysis()
    languages = {d.source.rsplit("/", 1)[-1]: d.language for d in analysis.documents}
    assert languages == {"ru.txt": "ru", "ar.txt": "ar"}
    assert analysis.statements == () and analysis.times == ()


# --- hostile inputs (issue 26): none stops the batch, each ends read or rejected with its reason ------------------


def test_jsonl_lone_surrogate_is_replaced_not_fatal(tmp_path: Path) -> None:
    # a truncated emoji: JSON's escape of half a surrogate pair, in the text and in a given field
    line = '{"id": "cut-emoji", "title": "Vote \\ud83d", "text": ' + json.dumps(ARTICLE)[:-1] + ' \\ud83d"}'
    path = write(tmp_path / "feed.jsonl", line + "\n" + json.dumps({"text": ARTICLE_2}) + "\n")
    first, second = run(path)
    assert isinstance(first, RawInput) and isinstance(second, RawInput)
    assert first.text.endswith(" \ufffd") and len(first.text) == len(ARTICLE) + 2
    assert first.given["title"] == "Vote \ufffd"
    first.text.encode("utf-8")  # storable and printable as UTF-8
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(path)], store)
        assert (summary.analysed, summary.rejected) == (2, 0), summary.rejections


def test_jsonl_integer_past_the_conversion_limit_is_kept_as_text(tmp_path: Path) -> None:
    line = '{"id": "big", "views": ' + "7" * 5000 + ', "text": ' + json.dumps(ARTICLE) + "}"
    path = write(tmp_path / "feed.jsonl", line + "\n" + '{"id": "' + "9" * 5000 + '", "text": '
                 + json.dumps(ARTICLE_2) + "}\n")
    first, second = run(path)
    assert isinstance(first, RawInput) and first.text == ARTICLE
    assert isinstance(second, RawInput) and second.given["id"] == "9" * 5000


def test_jsonl_line_nested_too_deeply_is_rejected(tmp_path: Path) -> None:
    deep = '{"id": "deep", "x": ' + "[" * 200_000 + "]" * 200_000 + ', "text": ' + json.dumps(ARTICLE) + "}"
    path = write(tmp_path / "feed.jsonl", deep + "\n" + json.dumps({"text": ARTICLE_2}) + "\n")
    bad, good = run(path)
    assert isinstance(bad, Rejected) and bad.source == f"{path}:1" and "nested too deeply" in bad.reason
    assert isinstance(good, RawInput)


def test_jsonl_line_over_the_cap_is_never_read_whole(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "feed.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"text": "' + b"word " * 4_000_000 + b'"}\n')  # one 20 MB line
        fh.write(json.dumps({"text": ARTICLE}).encode() + b"\n")
    tracemalloc.start()
    try:
        bad, good = run(path, max_bytes=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(bad, Rejected) and "line too large: 20,000,013 bytes" in bad.reason, bad
    assert isinstance(good, RawInput) and good.source == f"{path}:2"
    assert peak < 8_000_000, f"peak {peak:,} bytes: the long line was read whole"


def test_file_name_that_is_not_utf8_is_named_and_read(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xe9-story.txt"))
    Path(name).write_text(ARTICLE, encoding="utf-8")
    (raw,) = run(folder)
    assert isinstance(raw, RawInput) and raw.text == ARTICLE
    assert raw.source == f"{folder}/caf\\xe9-story.txt"
    raw.source.encode("utf-8")
    (raw2,) = run(name)  # named directly too
    assert isinstance(raw2, RawInput) and raw2.source == raw.source
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(folder)], store)
        assert summary.analysed == 1, summary.rejections
        assert [d.source for d in store.documents()] == [raw.source]


def _in_thread(fn, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    import threading

    box: list[object] = []
    t = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    t.start()
    t.join(timeout)
    assert box, f"did not finish in {timeout} s (blocked?)"
    return box[0]


def test_folder_entries_that_are_not_files_are_each_named_with_a_reason(tmp_path: Path) -> None:
    import os

    root = tmp_path / "in"
    write(root / "a.txt", ARTICLE)
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "loop1.txt").symlink_to(root / "loop2.txt")
    (root / "loop2.txt").symlink_to(root / "loop1.txt")
    os.mkfifo(root / "pipe.txt")
    write(tmp_path / "elsewhere" / "b.txt", ARTICLE_2)
    (root / "linked-folder").symlink_to(tmp_path / "elsewhere")
    (root / "self").symlink_to(root)
    out = _in_thread(lambda: run(root))
    read = [o.source for o in out if isinstance(o, RawInput)]
    reasons = {Path(o.source).name: o.reason for o in out if isinstance(o, Rejected)}
    assert read == [str(root / "a.txt")]
    assert "broken symbolic link" in reasons["dangling.txt"]
    assert "loop" in reasons["loop1.txt"] and "loop" in reasons["loop2.txt"]
    assert "FIFO" in reasons["pipe.txt"]
    assert "not followed" in reasons["linked-folder"] and "not followed" in reasons["self"]
    assert len(out) == 7


def test_a_fifo_named_directly_is_rejected_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    plain = tmp_path / "pipe.txt"
    os.mkfifo(plain)
    out = _in_thread(lambda: run(fifo, plain))
    assert [type(o) for o in out] == [Rejected, Rejected]
    assert all("FIFO" in o.reason for o in out), out


def test_an_unreadable_folder_is_named_with_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    root = tmp_path / "in"
    write(root / "a.txt", ARTICLE)
    write(root / "locked" / "b.txt", ARTICLE_2)
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]  # root reads every folder: refuse one as chmod 000 would
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = run(root)
    assert isinstance(out[0], RawInput)
    assert isinstance(out[1], Rejected) and out[1].source == str(root / "locked")
    assert "cannot read folder: Permission denied" in out[1].reason


# --- duplicates in one run (issue 26): never a crash, never a silent loss ---------------------------------------


@pytest.mark.parametrize("second", [ARTICLE + ARTICLE_2, ARTICLE[: len(ARTICLE) // 2] + "\n"],
                         ids=["longer-second", "shorter-second"])
def test_duplicate_jsonl_ids_reject_the_later_record_naming_the_first(tmp_path: Path, second: str) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"id": "dup", "text": ARTICLE}) + "\n"
                 + json.dumps({"id": "dup", "text": second}) + "\n"
                 + json.dumps({"id": "other", "text": ARTICLE_2}) + "\n")
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(path)], store)
        assert summary.consistent and (summary.inputs, summary.analysed, summary.rejected) == (3, 2, 1)
        (rej,) = summary.rejections
        assert rej.source == f"{path}:2#dup"
        assert "duplicate id 'dup'" in rej.reason and f"{path}:1#dup" in rej.reason
        docs = {d.id: d for d in store.documents()}
        assert set(docs) == {"dup", "other"} and docs["dup"].source == f"{path}:1#dup"
        assert ARTICLE.splitlines()[2] in docs["dup"].text  # the first record's text, not overwritten
        assert [r.source for r in store.rejected()] == [rej.source]


def test_duplicate_ids_across_batches_are_caught_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crossnews.pipeline as pipeline

    monkeypatch.setattr(pipeline, "BATCH", 1)
    path = write(tmp_path / "feed.jsonl", json.dumps({"id": "dup", "text": ARTICLE}) + "\n"
                 + json.dumps({"id": "dup", "text": ARTICLE_2}) + "\n")
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(path)], store)
        assert (summary.analysed, summary.rejected) == (1, 1)
        assert "duplicate id 'dup'" in summary.rejections[0].reason
        assert [d.source for d in store.documents()] == [f"{path}:1#dup"]


def test_an_updated_record_in_a_later_run_replaces_the_earlier_one(tmp_path: Path) -> None:
    first = write(tmp_path / "a.jsonl", json.dumps({"id": "story", "text": ARTICLE}) + "\n")
    second = write(tmp_path / "b.jsonl", json.dumps({"id": "story", "text": ARTICLE + "Update: fares cut.\n"}) + "\n")
    with open_store(tmp_path / "x.db") as store:
        analyze([str(first)], store)
        summary = analyze([str(second)], store)
        assert (summary.analysed, summary.rejected) == (1, 0)
        (doc,) = store.documents()
        assert doc.text.endswith("Update: fares cut.\n")


def test_unchanged_inputs_name_the_document_they_duplicate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crossnews.pipeline as pipeline

    monkeypatch.setattr(pipeline, "BATCH", 2)  # copies in the same batch and in a later one
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path / "in" / name, ARTICLE)
    write(tmp_path / "in" / "d.txt", ARTICLE_2)
    events: list[Event] = []
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "in")], store, on_event=events.append)
        assert (summary.analysed, summary.unchanged) == (2, 2)
        first = str(tmp_path / "in" / "a.txt")
        doc = next(d.id for d in store.documents() if d.source == first)
        assert [(u.source, u.doc) for u in summary.unchanged_inputs] == [
            (str(tmp_path / "in" / "b.txt"), doc), (str(tmp_path / "in" / "c.txt"), doc)]
        for u in summary.unchanged_inputs:
            assert u.reason == f"same content as {first} (document {doc})"
        again = analyze([str(tmp_path / "in" / "c.txt")], store)
        (u,) = again.unchanged_inputs
        assert u.doc == doc and "already analysed" in u.reason and doc in u.reason
    unchanged = [e for e in events if e.status == "unchanged"]
    assert [e.doc_id for e in unchanged] == [doc, doc] and all(e.reason for e in unchanged)


def test_a_document_that_cannot_be_stored_is_rejected_and_the_batch_goes_on(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from crossnews.store.sqlite import Store

    write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "b.txt", ARTICLE_2)
    real = Store.put_document

    def put(self, doc, **kw):  # type: ignore[no-untyped-def]
        if "Library" in doc.text:
            raise ValueError("simulated: this document's record cannot be written")
        return real(self, doc, **kw)

    monkeypatch.setattr(Store, "put_document", put)
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "in")], store)
        assert (summary.analysed, summary.rejected) == (1, 1)
        assert "cannot store" in summary.rejections[0].reason and "simulated" in summary.rejections[0].reason
        assert store.count("documents") == 1 and store.integrity_check() == "ok"


def test_a_failure_between_the_two_cleanings_rejects_that_input_only(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import crossnews.pipeline as pipeline

    write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "b.txt", ARTICLE_2)
    real = pipeline.site_key

    def site_key(raw, doc):  # type: ignore[no-untyped-def]
        if "Library" in doc.text:
            raise UnicodeError("simulated: a site key that cannot be made")
        return real(raw, doc)

    monkeypatch.setattr(pipeline, "site_key", site_key)
    with open_store(tmp_path / "x.db") as store:
        summary = analyze([str(tmp_path / "in")], store)
    assert (summary.analysed, summary.rejected) == (1, 1)
    assert summary.rejections[0].source.endswith("b.txt") and "simulated" in summary.rejections[0].reason
