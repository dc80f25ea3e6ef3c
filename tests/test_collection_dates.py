"""A yearless dateline takes its year from the documents analysed with it."""

from __future__ import annotations

import json
from pathlib import Path

from crossnews.core.settings import Settings
from crossnews.pipeline import AnalyzeOptions, analyze
from crossnews.store.sqlite import open_store


def test_a_yearless_dateline_takes_the_year_of_its_batch(tmp_path: Path) -> None:
    dated = ("Harbour tribunal orders release of barge crews\n\nPublished May 25, 2019\n\nThe harbour tribunal in "
             "Velgrad on Saturday ordered Dorvask to release the crews of three grain barges, the court said.\n")
    yearless = ("Dorvask rejects the tribunal's order\n\nVELGRAD, May 26. The foreign ministry of Dorvask said on "
                "Sunday that it would not release the barge crews before the joint commission meets again.\n")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in (("a", dated), ("b", yearless))) + "\n")
    with open_store(tmp_path / "x.db") as store:
        analyze([str(feed)], store, AnalyzeOptions(settings=Settings(embedder="embed.hashing.v1"), relations=False))
        docs = {d.id: d for d in store.analysis(relations=False).documents}
    assert docs["a"].published.startswith("2019-05-25")
    assert docs["b"].published == "2019-05-26"
    assert docs["b"].published_evidence.tentative
