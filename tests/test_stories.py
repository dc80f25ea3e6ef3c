"""Stories: documents grouped before anything is related across them; stored, exported and read back."""

from __future__ import annotations

import hashlib
import re

from crossnews.align.stories import StoryOptions, build_stories, story_of
from crossnews.core.records import Analysis, Cue, Document, Entity, Mention, Span, Speaker, Statement, Story

NAMES = ("Varna", "Orlen Dam", "Mira Kost", "Selmar", "Tovic Rangers", "Delmar United", "Ansel Brody", "Kravia")
TYPES = {"Varna": "GPE", "Orlen Dam": "LOC", "Mira Kost": "PERSON", "Selmar": "GPE", "Tovic Rangers": "ORG",
         "Delmar United": "ORG", "Ansel Brody": "PERSON", "Kravia": "GPE"}

DAM = [
    "The Orlen Dam on the Varna river burst on Tuesday night and flooded Selmar. Mira Kost, the mayor of Selmar, "
    "said the water rose two metres in an hour and that the evacuation of the lower town was complete.",
    "Floodwater from the Orlen Dam reached the centre of Selmar. Mira Kost said the dam had been cracked for "
    "months and the evacuation of the lower town went on through the night along the Varna.",
    "Engineers inspected the broken Orlen Dam. The Varna river fell by a metre. Mira Kost said the evacuation "
    "of Selmar would end when the water fell below the flood mark, and the dam would be rebuilt.",
]
MATCH = [
    "Tovic Rangers beat Delmar United three goals to one in the cup final. Ansel Brody scored twice and said the "
    "title belonged to the supporters who travelled to the stadium.",
    "Ansel Brody led Tovic Rangers to the cup with two goals against Delmar United. The coach said the final was "
    "the best match of the season and praised the travelling supporters.",
]
# shares only the country with the dam story, and nothing else
OTHER = ("Kravia raised the price of bread by ten percent. The baker's guild said the harvest in Kravia was poor "
         "and the mills would close for a week.")


def _doc(i: str, text: str, published: str | None = None) -> Document:
    return Document(i, f"{i}.txt", "text", text, hashlib.sha256(text.encode()).hexdigest(), Span(0, len(text)),
                    outlet=f"Outlet {i}",
                    published=published)


def _analysis(texts: dict[str, str], published: dict[str, str] | None = None,
              statements: tuple[Statement, ...] = ()) -> Analysis:
    docs = tuple(_doc(i, t, (published or {}).get(i)) for i, t in texts.items())
    entities = []
    for name in NAMES:
        mentions = tuple(Mention(d.id, m.start(), m.end()) for d in docs for m in re.finditer(re.escape(name), d.text))
        if mentions:
            entities.append(Entity(f"e:{name.lower().replace(' ', '-')}", name, TYPES[name], (), mentions))
    return Analysis(documents=docs, entities=tuple(entities), statements=statements)


def _groups(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(s.documents) for s in stories}


def test_documents_of_one_story_group_and_others_stay_apart():
    texts = {f"dam{i}": t for i, t in enumerate(DAM)} | {f"cup{i}": t for i, t in enumerate(MATCH)} | {"bread": OTHER}
    stories = build_stories(_analysis(texts))
    assert _groups(stories) == {frozenset({"dam0", "dam1", "dam2"}), frozenset({"cup0", "cup1"}),
                                frozenset({"bread"})}
    dam = next(s for s in stories if "dam0" in s.documents)
    assert "Mira Kost" in dam.label or "Orlen Dam" in dam.label  # a label a reader recognises
    assert stories[0] is dam  # largest first
    mapping = story_of(stories)
    assert mapping["dam1"] == dam.id and mapping["cup0"] != dam.id


def test_a_story_told_years_apart_needs_a_closer_match():
    texts = {"dam0": DAM[0], "dam1": DAM[1]}
    close = build_stories(_analysis(texts, {"dam0": "2031-05-06", "dam1": "2031-05-08"}))
    assert _groups(close) == {frozenset(texts)}
    strict = StoryOptions(max_gap_days=365)
    far = build_stories(_analysis(texts, {"dam0": "2031-05-06", "dam1": "2034-05-08"}), strict)
    assert _groups(far) == {frozenset({"dam0"}), frozenset({"dam1"})}


def test_relations_stay_inside_a_story():
    from crossnews.align.embed import get_embedder
    from crossnews.align.relations import relate

    said = "the harvest was poor and the mills would close for a week"
    texts = {"a": f"Mira Kost said {said} in Selmar.", "b": f"Ansel Brody said {said} in Delmar."}

    def statement(doc: str, speaker: str) -> Statement:
        text = texts[doc]
        start = text.index(said)
        return Statement(f"st-{doc}", doc, Speaker(Span(0, len(speaker)), f"e:{speaker}"),
                         Cue(Span(len(speaker) + 1, len(speaker) + 5), "say"), Span(start, start + len(said)),
                         "indirect")

    analysis = _analysis(texts, statements=(statement("a", "Mira Kost"), statement("b", "Ansel Brody")))
    embedder = get_embedder("embed.hashing.v1")
    apart = (Story("s1", "one", ("a",)), Story("s2", "two", ("b",)))
    together = (Story("s1", "one", ("a", "b")),)
    import dataclasses

    assert relate(dataclasses.replace(analysis, stories=apart), embedder=embedder) == []
    related = relate(dataclasses.replace(analysis, stories=together), embedder=embedder)
    assert {(r.a, r.b) for r in related if r.a.startswith("st-")} == {("st-a", "st-b")}
    # published the other way round: the earlier one is ``a``, and the evidence says so in that order
    docs = tuple(dataclasses.replace(d, published="2031-05-02" if d.id == "a" else "2031-05-01")
                 for d in analysis.documents)
    related = relate(dataclasses.replace(analysis, documents=docs, stories=together), embedder=embedder)
    rel = next(r for r in related if r.a.startswith("st-"))
    how = dict(rel.evidence)["direction"]
    assert (rel.a, rel.b) == ("st-b", "st-a") and how["known"] and (how["a"], how["b"]) == ("2031-05-01", "2031-05-02")


def test_stories_are_stored_exported_and_read_back(tmp_path):
    from crossnews.core.codec import story_from_json, story_to_json
    from crossnews.report.export import to_json, validate
    from crossnews.store.sqlite import open_store

    story = Story("story-1", "Orlen Dam · Mira Kost", ("dam0", "dam1"), ("e:orlen-dam",), "2031-05-06", "2031-05-08")
    assert story_from_json(story_to_json(story)) == story
    analysis = _analysis({"dam0": DAM[0], "dam1": DAM[1]})
    with open_store(tmp_path / "x.db") as store:
        assert "0008_stories" in {name for name, _ in store.migrations()}
        for doc in analysis.documents:
            store.put_document(doc)
        store.put_alignment({}, analysis.entities, (), "k", (story,))
        assert store.stories() == [story]
        assert store.analysis().stories == (story,)
        assert store.count("stories") == 1
    payload = to_json(Analysis(documents=analysis.documents, stories=(story,)))
    assert payload["stories"] == [story_to_json(story)]
    validate(payload)


def test_chains_are_stored_exported_and_read_back(tmp_path):
    from crossnews.core.codec import chain_from_json, chain_to_json
    from crossnews.core.records import Chain, ChainLink
    from crossnews.report.export import to_json, validate
    from crossnews.store.sqlite import open_store

    link = ChainLink("st-a", "st-b", "rel-1", True, (("numbers", {"before": ["3"], "after": ["5"]}),),
                     "2031-05-01", "2032-05-01")
    chain = Chain("chain-1", "the ferry will stop", ("st-a", "st-b"), (link,))
    assert chain_from_json(chain_to_json(chain)) == chain
    with open_store(tmp_path / "x.db") as store:
        store.put_relations([], "k", (chain,))
        assert store.chains() == [chain] and store.analysis().chains == (chain,)
        store.put_relations([], "k2")
        assert store.chains() == []
    analysis = _analysis({"dam0": DAM[0]})
    validate(to_json(Analysis(documents=analysis.documents, chains=(chain,))))


def test_links_are_the_pairs_of_a_block_that_share_a_name_and_are_close_enough():
    """The sparse, batched linking finds exactly the pairs the definition gives, pair by pair: in one block, a
    shared name, and a cosine at least the threshold for their time gap."""
    from itertools import combinations

    from crossnews.align import stories as st

    sentences = [s + "." for t in (*DAM, *MATCH, OTHER) for s in t.split(". ") if s]
    texts = {f"d{i}": " ".join(sentences[(i * k) % len(sentences)] for k in (1, 3, 7)) for i in range(120)}
    published = {f"d{i}": f"{2020 + i % 3}-{1 + i % 12:02d}-{1 + i % 27:02d}" for i in range(0, 120, 2)}
    opts = StoryOptions(block_cap=40)
    profiles = st._profiles(_analysis(texts, published), opts)
    blocks = st._postings(profiles, opts)
    assert sum(map(len, blocks)) > 512  # several batches
    expected: dict[int, set[int]] = {}
    for i, j in {tuple(sorted(p)) for b in blocks for p in combinations(b.tolist(), 2)}:
        a, b = profiles[i], profiles[j]
        if {f for f in a.vec if f.startswith("e:")} & set(b.vec) and \
                st._cosine(a.vec, b.vec) >= st._threshold(st._gap_ok(a, b), opts):
            expected.setdefault(i, set()).add(j)
            expected.setdefault(j, set()).add(i)
    assert expected and dict(st._links(profiles, opts)) == expected


def test_blocks_are_batched_in_order_up_to_a_number_of_rows():
    from crossnews.align.stories import _batches

    blocks = [list(range(n)) for n in (3, 4, 2, 9, 1)]
    assert [[len(b) for b in batch] for batch in _batches(blocks, 8)] == [[3, 4], [2], [9], [1]]
