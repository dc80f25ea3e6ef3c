#!/usr/bin/env python3
"""Load on the web app: concurrent clients on loopback for a bounded time.

Usage (from the repository root)::

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--json]

It analyses the bundled demo corpus into a fresh database, starts ``crossnews serve`` on a free 127.0.0.1 port as
a child process, and runs ``--clients`` clients (asyncio + httpx) for ``--seconds``. Each client loops over a mix:

* page views (70%): home, documents, people, a story, a document, a person, the JSON export's stats;
* searches (25%): ``/api/search`` with questions such as "what did Vostal say about the referendum?";
* small analyses (5%): ``POST /api/analyze`` with a short fictional article, then polling its job until it is
  done (a job that fails counts as an error).

Printed: requests by kind, errors (any status >= 400 other than the 429/503 of back-pressure, which are counted
separately, or any exception), latency p50/p95/p99/max per kind, and the server's peak RSS (VmHWM from
/proc, Linux). Exit status 0 when there was no error, 1 otherwise, 2 when the server did not start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CROSSNEWS = [sys.executable, "-m", "crossnews.cli"]
QUESTIONS = ["what did Vostal say about the referendum?", "what did Dalenko say?", "turnout", "Orlen Dam",
             "what did the ministry say about the vote?", "sanctions"]
ARTICLE = ("Ferry strike ends in Port Elvin\n\nThe harbour board of Port Elvin said on Monday that the ferry strike "
           "had ended after {n} days. \"We have reached an agreement,\" board chair Mara Quill told reporters.\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _client(base: str, until: float, seed: int, lat: dict[str, list[float]], errors: list[str],
                  busy: list[int], ids: dict[str, list[str]]) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60.0) as http:
        while time.monotonic() < until:
            roll = rng.random()
            t0 = time.perf_counter()
            try:
                if roll < 0.70:
                    kind = "page"
                    path = rng.choice(["/", "/documents", "/people", "/api/stats",
                                       f"/stories/{rng.choice(ids['stories'])}",
                                       f"/documents/{rng.choice(ids['documents'])}",
                                       f"/people/{rng.choice(ids['people'])}"])
                    r = await http.get(path, headers={"accept": "text/html"})
                elif roll < 0.95:
                    kind = "search"
                    r = await http.get("/api/search", params={"q": rng.choice(QUESTIONS)})
                else:
                    kind = "analyze"
                    body = {"texts": [{"text": ARTICLE.format(n=rng.randint(1, 10**9)), "outlet": "Elvin Post"}]}
                    r = await http.post("/api/analyze", json=body)
                    if r.status_code == 202:
                        job = r.json()["id"]
                        while True:
                            await asyncio.sleep(0.2)
                            r = await http.get(f"/api/jobs/{job}")
                            state = r.json().get("status")
                            if state in ("done", "failed") or r.status_code >= 400:
                                break
                        if state == "failed":
                            errors.append(f"analyze job {job} failed: {r.json()}")
                if r.status_code in (429, 503):
                    busy[0] += 1
                elif r.status_code >= 400:
                    errors.append(f"{kind} {r.request.url.path} -> {r.status_code}: {r.text[:200]}")
            except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
                kind = "exception"
                errors.append(f"{type(exc).__name__}: {exc}")
            lat.setdefault(kind, []).append(time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        demo = ROOT / "src" / "crossnews" / "demo"
        subprocess.run([*CROSSNEWS, "analyze", str(demo / "pages"), str(demo / "feed.jsonl"), "--db", str(db), "-q"],
                       check=True, capture_output=True)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([*CROSSNEWS, "serve", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/stats", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                print("the server did not start", file=sys.stderr)
                return 2
            ids = {
                "stories": [s["id"] for s in httpx.get(f"{base}/api/stories").json()["stories"]],
                "documents": [d["id"] for d in httpx.get(f"{base}/api/documents").json()["documents"]],
                "people": [e["id"] for e in httpx.get(f"{base}/api/entities",
                                                      params={"type": "PERSON"}).json()["entities"]
                           if e["statements"]][:20],
            }
            lat: dict[str, list[float]] = {}
            errors: list[str] = []
            busy = [0]
            until = time.monotonic() + args.seconds
            started = time.perf_counter()

            async def run() -> None:
                await asyncio.gather(*(_client(base, until, i, lat, errors, busy, ids) for i in range(args.clients)))

            asyncio.run(run())
            elapsed = time.perf_counter() - started
            peak = _peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(len(v) for v in lat.values())
    result = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0.0,
        "errors": len(errors),
        "first_errors": errors[:5],
        "busy_responses": busy[0],
        "latency_seconds": {k: {"n": len(v), "p50": round(_percentile(v, 0.5), 3),
                                "p95": round(_percentile(v, 0.95), 3), "p99": round(_percentile(v, 0.99), 3),
                                "max": round(max(v), 3)} for k, v in sorted(lat.items())},
        "p95_all_seconds": round(_percentile([x for v in lat.values() for x in v], 0.95), 3),
        "server_peak_rss_mb": peak,
    }
    print(json.dumps(result, indent=1))
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
