"""``judge.llm.v1``: ask an OpenAI-compatible chat endpoint how two claims relate.

``url`` is the API base (``http://127.0.0.1:8000/v1``); the judge posts to ``{url}/chat/completions`` one request
per pair, with a system prompt defining :data:`~crossnews.judges.LABELS` and a user prompt giving both claims with
their context (speaker, attribution chain, date, channel, attributed or stated as fact, surrounding sentence). The
model must answer with one JSON object ``{"label", "score", "evidence_a", "evidence_b", "rationale"}``; the JSON
may sit inside a ```json fence or among other text.

The API key comes from ``api_key=`` or the environment variable ``CROSSNEWS_LLM_API_KEY`` and is sent only in the
``Authorization`` header: it appears in no error message, log line, evidence or ``repr``.

A request that times out or gets a 5xx answer is retried once. Failures are errors by default
(``on_error="raise"``): :class:`LLMError` E046 when the endpoint cannot be reached or answers with an HTTP error,
E047 when its reply is not a usable JSON object (no JSON, a label outside LABELS, a score outside 0..1); each
names the endpoint. With ``on_error="unrelated"`` a failed pair becomes ``Judgement("unrelated", 0.0, ...)`` with
the error message in ``evidence["error"]`` and the other pairs go on; raising is the default because a silent
"unrelated" would bias any evaluation that counts labels.

Evidence: ``{"endpoint", "model", "rationale", "evidence_a", "evidence_b"}`` where each ``evidence_x`` is
``{"text", "start", "end"}``: the quoted substring and its offsets in the claim's text (found exactly, else
ignoring case; ``start``/``end`` are None when the model quoted something the claim does not contain), plus
``doc_start``/``doc_end`` in the claim's document when the claim has a ``start``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any

import httpx

from crossnews.align.judges import LABELS, Claim, Judgement
from crossnews.core.errors import CrossnewsError
from crossnews.core.registry import register

__all__ = ["LLMError", "LLMJudge", "SYSTEM_PROMPT", "user_prompt", "parse_reply", "llm_judge"]

NAME = "judge.llm.v1"
ENV_KEY = "CROSSNEWS_LLM_API_KEY"

SYSTEM_PROMPT = f"""You compare two claims reported by different news outlets about the same story and say how \
claim B relates to claim A. Use exactly one of these labels:
- "same": A and B say the same thing (the same statement, reported twice, possibly in other words).
- "agrees": A and B are compatible and support each other, without saying exactly the same thing.
- "adds": A and B are about the same matter and compatible, and B gives information that A lacks (or A gives \
information that B lacks).
- "contradicts": A and B cannot both be true, or one disputes, denies or weakens the other.
- "unrelated": A and B are about different matters.
Take the context into account: who is speaking, through whom the outlet attributes the claim, when and where it was \
said, and whether the outlet states it as fact. Two sources disagreeing about what happened is "contradicts"; a \
source reported as saying something is not the same as the outlet stating it.
Answer with one JSON object and nothing else:
{{"label": one of {json.dumps(list(LABELS))}, "score": your confidence from 0 to 1, "evidence_a": an exact \
substring of claim A that supports the label, "evidence_b": an exact substring of claim B that supports the label, \
"rationale": one short sentence}}"""


class LLMError(CrossnewsError):
    """The endpoint failed (E046), its reply could not be used (E047), or an option is invalid (E048)."""


def _describe(claim: Claim, name: str) -> str:
    lines = [f"Claim {name}: {json.dumps(claim.text, ensure_ascii=False)}"]
    lines.append(f"- speaker: {claim.speaker or 'not named'}")
    if claim.chain:
        lines.append(f"- attribution chain (outlet first): {' > '.join(claim.chain)}")
    lines.append("- stated as: " + ("attributed to the speaker" if claim.attributed else "fact, by the outlet"))
    lines.append(f"- date: {claim.date or 'unknown'}")
    if claim.channel:
        lines.append(f"- channel: {claim.channel}")
    if claim.entities:
        lines.append(f"- entities: {', '.join(claim.entities)}")
    if claim.context and claim.context.strip() != claim.text.strip():
        lines.append(f"- context: {json.dumps(claim.context, ensure_ascii=False)}")
    return "\n".join(lines)


def user_prompt(a: Claim, b: Claim) -> str:
    """The user message for one pair."""
    return (f"{_describe(a, 'A')}\n\n{_describe(b, 'B')}\n\n"
            "How does claim B relate to claim A? Answer with the JSON object only.")


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)


def _json_objects(text: str) -> list[Any]:
    """JSON objects in ``text``: fenced blocks first, then every object that starts at a ``{``."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    for block in [m.group(1) for m in _FENCE.finditer(text)] + [text]:
        for m in re.finditer(r"\{", block):
            try:
                obj, _ = decoder.raw_decode(block, m.start())
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                found.append(obj)
    return found


def parse_reply(text: str) -> dict[str, Any]:
    """The judgement object in a model reply: ``{"label", "score", "evidence_a", "evidence_b", "rationale"}``.

    Raises :class:`ValueError` (with the reason) when there is no JSON object with a valid label and score."""
    objects = [o for o in _json_objects(text) if "label" in o]
    if not objects:
        raise ValueError(f"no JSON object with a 'label' in the reply: {text[:200]!r}")
    obj = objects[0]
    label = str(obj["label"]).strip().strip("\"'").lower()
    if label not in LABELS:
        raise ValueError(f"the reply's label {obj['label']!r} is not one of {LABELS}")
    raw_score = obj.get("score")
    try:
        score = float(raw_score)
    except (TypeError, ValueError):
        raise ValueError(f"the reply's score {raw_score!r} is not a number") from None
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"the reply's score {score} is outside 0..1")
    return {"label": label, "score": score, "evidence_a": str(obj.get("evidence_a") or ""),
            "evidence_b": str(obj.get("evidence_b") or ""), "rationale": str(obj.get("rationale") or "")}


def locate(quote: str, claim: Claim) -> dict[str, Any]:
    """``{"text", "start", "end"}`` of ``quote`` in ``claim.text`` (exact, else ignoring case and surrounding quotes or
    ellipses); plus ``doc_start``/``doc_end`` when the claim has a document offset."""
    out: dict[str, Any] = {"text": quote, "start": None, "end": None}
    candidates = [quote, quote.strip().strip("\"'“”‘’").strip().strip(".…").strip()]
    for cand in candidates:
        if not cand:
            continue
        i = claim.text.find(cand)
        if i < 0:
            i = claim.text.lower().find(cand.lower())
        if i >= 0:
            out.update(text=claim.text[i:i + len(cand)], start=i, end=i + len(cand))
            if claim.start is not None:
                out.update(doc_start=claim.start + i, doc_end=claim.start + i + len(cand))
            break
    return out


class LLMJudge:
    """A chat endpoint as a judge. Build it with ``get_judge("judge.llm.v1", url=..., model=...)``."""

    name = NAME

    def __init__(self, url: str, model: str, *, api_key: str | None, timeout: float, on_error: str,
                 temperature: float, max_tokens: int) -> None:
        self.url = url.rstrip("/")
        self.endpoint = f"{self.url}/chat/completions"
        self.model = model
        self.__api_key = api_key
        self.timeout = timeout
        self.on_error = on_error
        self.temperature = temperature
        self.max_tokens = max_tokens

    def __repr__(self) -> str:
        return f"LLMJudge(endpoint={self.endpoint!r}, model={self.model!r})"

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.__api_key:
            headers["Authorization"] = f"Bearer {self.__api_key}"
        return headers

    def _post(self, client: httpx.Client, payload: dict[str, Any]) -> str:
        """The reply's message content; one retry on a timeout or a 5xx answer."""
        for attempt in range(2):
            last = attempt == 1
            try:
                resp = client.post(self.endpoint, json=payload, headers=self._headers())
            except httpx.TimeoutException:
                if last:
                    raise LLMError(f"E046: the LLM endpoint {self.endpoint} timed out after {self.timeout:g} s "
                                   f"(tried twice)") from None
                continue
            except httpx.HTTPError as exc:
                raise LLMError(f"E046: cannot reach the LLM endpoint {self.endpoint}: "
                               f"{type(exc).__name__}: {exc}") from None
            if resp.status_code >= 500 and not last:
                continue
            if resp.status_code != 200:
                raise LLMError(f"E046: the LLM endpoint {self.endpoint} answered HTTP {resp.status_code}"
                               f"{' after a retry' if resp.status_code >= 500 else ''}: {resp.text[:200]!r}")
            try:
                content = resp.json()["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise LLMError(f"E047: the LLM endpoint {self.endpoint} did not answer with a chat completion: "
                               f"{resp.text[:200]!r}") from None
            if not isinstance(content, str):
                raise LLMError(f"E047: the LLM endpoint {self.endpoint} answered with no message content")
            return content
        raise AssertionError("unreachable")  # pragma: no cover

    def _one(self, client: httpx.Client, a: Claim, b: Claim) -> Judgement:
        payload = {"model": self.model, "temperature": self.temperature, "max_tokens": self.max_tokens,
                   "messages": [{"role": "system", "content": SYSTEM_PROMPT},
                                {"role": "user", "content": user_prompt(a, b)}]}
        content = self._post(client, payload)
        try:
            reply = parse_reply(content)
        except ValueError as exc:
            raise LLMError(f"E047: unusable reply from the LLM endpoint {self.endpoint} (model {self.model!r}): "
                           f"{exc}") from None
        evidence = {"endpoint": self.endpoint, "model": self.model, "rationale": reply["rationale"],
                    "evidence_a": locate(reply["evidence_a"], a), "evidence_b": locate(reply["evidence_b"], b)}
        return Judgement(reply["label"], reply["score"], NAME, evidence)

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        out: list[Judgement] = []
        with httpx.Client(timeout=self.timeout) as client:
            for a, b in pairs:
                try:
                    out.append(self._one(client, a, b))
                except LLMError as exc:
                    if self.on_error == "raise":
                        raise
                    out.append(Judgement("unrelated", 0.0, NAME, {"endpoint": self.endpoint, "model": self.model,
                                                                  "error": str(exc)}))
        return out


@register(NAME, description="an OpenAI-compatible chat endpoint (url=, model=) as a judge", offline=False)
def llm_judge(url: str | None = None, model: str | None = None, *, api_key: str | None = None, timeout: float = 60.0,
              on_error: str = "raise", temperature: float = 0.0, max_tokens: int = 300) -> LLMJudge:
    """A judge that asks the chat endpoint at ``url``. See the module docstring for the options."""
    if not url or not re.match(r"^https?://", url):
        raise LLMError(f"E048: judge.llm.v1 needs url=<API base like http://127.0.0.1:8000/v1>, got {url!r}")
    if not model:
        raise LLMError("E048: judge.llm.v1 needs model=<the model name the endpoint serves>")
    if on_error not in ("raise", "unrelated"):
        raise LLMError(f"E048: on_error must be 'raise' or 'unrelated', got {on_error!r}")
    if timeout <= 0:
        raise LLMError(f"E048: timeout must be positive, got {timeout!r}")
    key = api_key if api_key is not None else os.environ.get(ENV_KEY) or None
    return LLMJudge(url, model, api_key=key, timeout=float(timeout), on_error=on_error, temperature=temperature,
                    max_tokens=max_tokens)
