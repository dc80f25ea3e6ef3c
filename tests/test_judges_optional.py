"""The optional judges, offline: judge.nli.v1 on a tiny BERT built and saved here, judge.llm.v1 against a real HTTP
server on 127.0.0.1 that plays an OpenAI-compatible chat endpoint."""

from __future__ import annotations

import importlib.util
import json
import math
import queue
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crossnews.align.judges import LABELS, Claim, Judge, get_judge, pairs_of
from crossnews.core.errors import CrossnewsError

# ------------------------------------------------------------------------------------------------ NLI

WORDS = "the a minister said talks failed succeeded war peace is not ended began".split()
ID2LABEL = {0: "entailment", 1: "neutral", 2: "contradiction"}


def _tiny_nli(path: Path, id2label: dict[int, str], bias: list[float]) -> Path:
    """A 1-layer BERT classifier whose classifier weights are zero, so ``bias`` alone decides the class."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    tokenizer = BertTokenizer(vocab={w: i for i, w in enumerate(vocab)})
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=37, max_position_embeddings=64, num_labels=len(id2label),
                        id2label=id2label, label2id={v: k for k, v in id2label.items()})
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor(bias))
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def nli_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("transformers")
    return _tiny_nli(tmp_path_factory.mktemp("nli") / "tiny", ID2LABEL, [0.0, 0.0, 3.0])  # contradiction wins


PAIRS = pairs_of([("the minister said talks failed", "the minister said talks succeeded"),
                  ("war began", "peace is not ended"), ("a", "the")])


def test_nli_loads_and_maps_labels(nli_dir: Path) -> None:
    judge = get_judge("judge.nli.v1", model=str(nli_dir), batch_size=2)
    assert isinstance(judge, Judge) and judge.name == "judge.nli.v1"
    out = judge.judge(PAIRS)
    assert len(out) == 3
    for j, (a, b) in zip(out, PAIRS, strict=True):
        assert j.label == "contradicts" and j.judge == "judge.nli.v1"
        probs = j.evidence["probabilities"]
        assert set(probs) == {"entailment", "neutral", "contradiction"}
        assert sum(probs.values()) == pytest.approx(1.0, abs=1e-4)
        assert j.score == pytest.approx(probs["contradiction"], abs=1e-5)
        assert j.score == pytest.approx(math.exp(3) / (2 + math.exp(3)), abs=1e-4)
        assert j.evidence["premise"] == a.text and j.evidence["hypothesis"] == b.text
        assert j.evidence["model"] == str(nli_dir)
    assert judge.judge([]) == []


def test_nli_custom_label_map(nli_dir: Path) -> None:
    judge = get_judge("judge.nli.v1", model=str(nli_dir),
                      label_map={"entailment": "same", "neutral": "adds", "contradiction": "unrelated"})
    assert {j.label for j in judge.judge(PAIRS)} == {"unrelated"}


def test_nli_label_map_must_cover_the_model(nli_dir: Path) -> None:
    with pytest.raises(CrossnewsError, match=r"E044.*\['contradiction'\]"):
        get_judge("judge.nli.v1", model=str(nli_dir), label_map={"entailment": "agrees", "neutral": "unrelated"})
    with pytest.raises(CrossnewsError, match="E044.*not judge labels"):
        get_judge("judge.nli.v1", model=str(nli_dir), label_map={"entailment": "entails", "neutral": "unrelated",
                                                                  "contradiction": "contradicts"})


def test_nli_generic_label_names_need_a_map(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    generic = _tiny_nli(tmp_path / "generic", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, [0.0, 4.0, 0.0])
    with pytest.raises(CrossnewsError, match="E044.*LABEL_0.*label_map"):
        get_judge("judge.nli.v1", model=str(generic))
    judge = get_judge("judge.nli.v1", model=str(generic),
                      label_map={"LABEL_0": "contradicts", "LABEL_1": "agrees", "LABEL_2": "unrelated"})
    assert [j.label for j in judge.judge(PAIRS)] == ["agrees"] * 3


def test_nli_missing_model_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(CrossnewsError, match=f"E043.*{missing.name}.*no such directory"):
        get_judge("judge.nli.v1", model=str(missing))
    empty = tmp_path / "empty"
    empty.mkdir()
    # without transformers (the train extra) the same error names the missing library instead
    reason = "local directory" if importlib.util.find_spec("transformers") else "transformers is not installed"
    with pytest.raises(CrossnewsError, match=f"E043.*{empty.name}.*{reason}"):
        get_judge("judge.nli.v1", model=str(empty))
    with pytest.raises(CrossnewsError, match="E045.*model="):
        get_judge("judge.nli.v1")


def test_nli_uncached_hub_name_fails_clearly_without_network() -> None:
    pytest.importorskip("transformers")
    with pytest.raises(CrossnewsError, match="E043.*'crossnews-test/no-such-nli-model'.*local_files_only"):
        get_judge("judge.nli.v1", model="crossnews-test/no-such-nli-model", local_files_only=True)


def test_nli_bidirectional(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    entails = _tiny_nli(tmp_path / "ent", ID2LABEL, [3.0, 0.0, 0.0])  # entailment both ways
    out = get_judge("judge.nli.v1", model=str(entails), bidirectional=True).judge(PAIRS[:1])
    assert out[0].label == "agrees" and out[0].evidence["entailment"] == "both"
    assert out[0].evidence["backward"]["premise"] == PAIRS[0][1].text

    # one-way entailment needs a model that reads its input, which a bias-only model does not: replace the
    # network's probabilities (keyed by premise) and keep the judge's combination logic
    judge = get_judge("judge.nli.v1", model=str(entails), bidirectional=True)
    forward = {PAIRS[0][0].text: [0.9, 0.05, 0.05]}

    def fake_probabilities(pairs: Any) -> list[list[float]]:
        return [forward.get(p, [0.1, 0.8, 0.1]) for p, _ in pairs]

    judge.probabilities = fake_probabilities  # type: ignore[attr-defined]
    out = judge.judge(PAIRS[:1])
    assert out[0].label == "adds" and out[0].evidence["says_more"] == "a"
    assert out[0].score == pytest.approx(0.9)
    forward[PAIRS[0][1].text] = [0.05, 0.15, 0.8]
    out = judge.judge(PAIRS[:1])
    assert out[0].label == "adds"  # a entails b; b contradicting a does not override one-way entailment
    forward.clear()
    forward[PAIRS[0][1].text] = [0.05, 0.15, 0.8]
    out = judge.judge(PAIRS[:1])
    assert out[0].label == "contradicts" and out[0].evidence["entailment"] == "none"
    assert out[0].score == pytest.approx(0.8)


# ------------------------------------------------------------------------------------------------ LLM


class _Endpoint:
    """A chat-completions server on 127.0.0.1: each request pops the next planned answer (status, body, delay)."""

    def __init__(self) -> None:
        self.plan: queue.Queue[tuple[int, str, float]] = queue.Queue()
        self.requests: list[dict[str, Any]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                endpoint.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                          "body": body})
                status, text, delay = endpoint.plan.get_nowait() if not endpoint.plan.empty() else (500, "{}", 0)
                time.sleep(delay)
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def reply(self, content: str, status: int = 200, delay: float = 0.0) -> None:
        body = {"id": "x", "object": "chat.completion", "model": "judge-model",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": "stop"}]}
        self.plan.put((status, json.dumps(body), delay))

    def fail(self, status: int, text: str = '{"error": "boom"}', delay: float = 0.0) -> None:
        self.plan.put((status, text, delay))


@pytest.fixture
def endpoint() -> Iterator[_Endpoint]:
    server = _Endpoint()
    yield server
    server.server.shutdown()
    server.server.server_close()


A = Claim("Officials said the referendum was legal and 96.7% voted yes.", doc="d1", start=100, end=160,
          speaker="Sergei Aksyonov", chain=("Press TV", "Sergei Aksyonov"), date="2014-03-17", channel="statement")
B = Claim("The referendum was a sham, Western leaders said.", doc="d2", start=40, end=88, speaker="Western leaders",
          chain=("BBC", "Western leaders"), date="2014-03-17", attributed=True)
REPLY = {"label": "contradicts", "score": 0.83, "evidence_a": "the referendum was legal",
         "evidence_b": "a sham", "rationale": "legal versus sham"}


def test_llm_request_and_evidence(endpoint: _Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSNEWS_LLM_API_KEY", "sk-secret-123")
    endpoint.reply(json.dumps(REPLY))
    judge = get_judge("judge.llm.v1", url=endpoint.url + "/", model="judge-model", timeout=5)
    assert "sk-secret-123" not in repr(judge)
    [j] = judge.judge([(A, B)])
    req = endpoint.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == "Bearer sk-secret-123"
    assert req["body"]["model"] == "judge-model"
    roles = [m["role"] for m in req["body"]["messages"]]
    assert roles == ["system", "user"]
    system, user = (m["content"] for m in req["body"]["messages"])
    assert all(label in system for label in LABELS)
    for needle in (A.text, B.text, "Sergei Aksyonov", "Press TV > Sergei Aksyonov", "2014-03-17", "statement",
                   "BBC > Western leaders"):
        assert needle in user
    assert j.label == "contradicts" and j.score == 0.83 and j.judge == "judge.llm.v1"
    ev = j.evidence
    assert ev["endpoint"] == endpoint.url + "/chat/completions" and ev["model"] == "judge-model"
    assert ev["rationale"] == "legal versus sham"
    start = A.text.index("the referendum was legal")
    assert ev["evidence_a"] == {"text": "the referendum was legal", "start": start, "end": start + 24,
                                "doc_start": 100 + start, "doc_end": 124 + start}
    bs = B.text.index("a sham")
    assert ev["evidence_b"]["start"] == bs and ev["evidence_b"]["doc_start"] == 40 + bs
    assert B.text[ev["evidence_b"]["start"]:ev["evidence_b"]["end"]] == "a sham"
    assert "sk-secret-123" not in json.dumps(ev)


def test_llm_fenced_json_and_quote_not_found(endpoint: _Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CROSSNEWS_LLM_API_KEY", raising=False)
    reply = dict(REPLY, label="Agrees", evidence_a="THE REFERENDUM", evidence_b="not in the claim")
    endpoint.reply("Sure! Here is my judgement:\n```json\n" + json.dumps(reply, indent=1) + "\n```\nHope it helps {")
    [j] = get_judge("judge.llm.v1", url=endpoint.url, model="m").judge([(A, Claim("The referendum was held."))])
    assert endpoint.requests[0]["auth"] is None
    assert j.label == "agrees"
    assert j.evidence["evidence_a"]["text"] == "the referendum"  # found ignoring case, the claim's own characters
    assert j.evidence["evidence_b"] == {"text": "not in the claim", "start": None, "end": None}


def test_llm_invalid_label_is_an_error_naming_the_endpoint(endpoint: _Endpoint) -> None:
    endpoint.reply(json.dumps(dict(REPLY, label="maybe")))
    judge = get_judge("judge.llm.v1", url=endpoint.url, model="m", api_key="sk-secret-123")
    with pytest.raises(CrossnewsError, match=r"E047.*127\.0\.0\.1.*'maybe'") as info:
        judge.judge([(A, B)])
    assert "sk-secret-123" not in str(info.value)
    endpoint.reply("I think they contradict each other.")
    with pytest.raises(CrossnewsError, match="E047.*no JSON object"):
        judge.judge([(A, B)])
    # on_error="unrelated": the failed pair is unrelated with score 0, the next pair goes on
    endpoint.reply(json.dumps(dict(REPLY, score=1.7)))
    endpoint.reply(json.dumps(REPLY))
    soft = get_judge("judge.llm.v1", url=endpoint.url, model="m", on_error="unrelated")
    first, second = soft.judge([(A, B), (A, B)])
    assert first.label == "unrelated" and first.score == 0.0 and "outside 0..1" in first.evidence["error"]
    assert second.label == "contradicts"


def test_llm_retries_once_after_a_5xx(endpoint: _Endpoint) -> None:
    endpoint.fail(503)
    endpoint.reply(json.dumps(REPLY))
    [j] = get_judge("judge.llm.v1", url=endpoint.url, model="m").judge([(A, B)])
    assert j.label == "contradicts" and len(endpoint.requests) == 2
    endpoint.fail(500)
    endpoint.fail(502)
    with pytest.raises(CrossnewsError, match="E046.*HTTP 502 after a retry"):
        get_judge("judge.llm.v1", url=endpoint.url, model="m").judge([(A, B)])
    endpoint.fail(400, '{"error": "bad request"}')
    with pytest.raises(CrossnewsError, match="E046.*HTTP 400"):
        get_judge("judge.llm.v1", url=endpoint.url, model="m").judge([(A, B)])
    assert len(endpoint.requests) == 5  # a 4xx is not retried


def test_llm_timeout_is_a_clear_error(endpoint: _Endpoint) -> None:
    endpoint.reply(json.dumps(REPLY), delay=1.0)
    endpoint.reply(json.dumps(REPLY), delay=1.0)
    started = time.perf_counter()
    with pytest.raises(CrossnewsError, match=r"E046.*127\.0\.0\.1.*timed out after 0\.2 s"):
        get_judge("judge.llm.v1", url=endpoint.url, model="m", timeout=0.2).judge([(A, B)])
    assert len(endpoint.requests) == 2 and time.perf_counter() - started < 3
    endpoint.reply(json.dumps(REPLY), delay=1.0)
    endpoint.reply(json.dumps(REPLY))
    [j] = get_judge("judge.llm.v1", url=endpoint.url, model="m", timeout=0.5).judge([(A, B)])
    assert j.label == "contradicts"  # a timeout, then a prompt answer


def test_llm_unreachable_and_bad_options() -> None:
    import socket

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(CrossnewsError, match=f"E046.*127.0.0.1:{port}"):
        get_judge("judge.llm.v1", url=f"http://127.0.0.1:{port}/v1", model="m", timeout=2).judge([(A, B)])
    with pytest.raises(CrossnewsError, match="E048.*url="):
        get_judge("judge.llm.v1", model="m")
    with pytest.raises(CrossnewsError, match="E048.*on_error"):
        get_judge("judge.llm.v1", url="http://127.0.0.1:1/v1", model="m", on_error="ignore")
