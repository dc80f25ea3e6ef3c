"""The web app's JSON API under ``/api`` (:data:`router`), described at ``/openapi.json``: counts, stories,
documents, entities, search, the timeline, relations, the whole export, and analysis jobs. Lists come in pages
(:func:`paged`); every error has the app's one shape."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Form, Query, UploadFile

from crossnews.core.codec import (
    document_to_json,
    entity_to_json,
    relation_to_json,
    statement_to_json,
    timeline_to_json,
)
from crossnews.report.export import to_json
from crossnews.web.jobs import save_uploads, start_job
from crossnews.web.query import parse_question, search, sub_analysis
from crossnews.web.schemas import (
    ERROR_RESPONSES,
    LIMIT,
    MAX_LIMIT,
    NO_FILES,
    OFFSET,
    AnalyzeRequest,
    ApiError,
    JobView,
)
from crossnews.web.state import WebState, check_date, find_doc, find_entity

__all__ = ["router", "paged"]


def paged(name: str, items: Sequence[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page of an API list: ``{"total", "offset", "limit", name: [...]}``."""
    return {"total": len(items), "offset": offset, "limit": limit, name: list(items[offset: offset + limit])}


def _story_json(s: Any) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "documents": list(s.documents), "outlets": list(s.outlets),
            "dates": list(s.dates) if s.dates else None, "statements": s.statements,
            "contradictions": s.contradictions}


router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)


@router.get("/stats", summary="Counts of what the database holds")
def api_stats(state: WebState) -> dict[str, Any]:
    a = state.analysis()
    kinds: dict[str, int] = {}
    for r in a.relations:
        kinds[r.type] = kinds.get(r.type, 0) + 1
    return {"documents": len(a.documents), "statements": len(a.statements), "entities": len(a.entities),
            "timeline": len(a.timeline), "relations": kinds, "rejected": len(a.rejected),
            "stories": len(state.stories())}


@router.get("/stories", summary="Stories: documents grouped by shared relations, events and speakers (paged)")
def api_stories(state: WebState, limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
    return paged("stories", [_story_json(s) for s in state.stories()], limit, offset)


@router.get("/stories/{story_id:path}", summary="One story: its documents, statements, timeline and relations")
def api_story(state: WebState, story_id: str) -> dict[str, Any]:
    story = state.find_story(story_id)
    part = sub_analysis(state.analysis(), set(story.documents))
    out = to_json(part)
    out.pop("rejected", None)
    return {**_story_json(story), "analysis": out}


@router.get("/documents", summary="Documents, without their text (paged)")
def api_documents(state: WebState, limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
    out = paged("documents", state.analysis().documents, limit, offset)
    out["documents"] = [{k: v for k, v in document_to_json(d).items()
                         if k not in ("text", "removed", "metadata_evidence")} for d in out["documents"]]
    return out


@router.get("/documents/{doc_id:path}", summary="One document with its text, statements and time expressions")
def api_document(state: WebState, doc_id: str) -> dict[str, Any]:
    a = state.analysis()
    doc = find_doc(a, doc_id)
    part = to_json(sub_analysis(a, {doc.id}))
    return {"document": part["documents"][0], "statements": part["statements"], "times": part["times"]}


@router.get("/entities", summary="People, organisations and places, with how often each speaks (paged)")
def api_entities(state: WebState, type: str | None = Query(None, description="PERSON, ORG, GPE, ANONYMOUS..."),
                 limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
    a = state.analysis()
    said: dict[str, int] = {}
    for s in a.statements:
        if s.speaker.entity:
            said[s.speaker.entity] = said.get(s.speaker.entity, 0) + 1
    chosen = [e for e in a.entities if type is None or e.type == type]
    out = paged("entities", chosen, limit, offset)
    out["entities"] = [{"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
                        "documents": len({m.doc for m in e.mentions}), "statements": said.get(e.id, 0)}
                       for e in out["entities"]]
    return out


@router.get("/entities/{entity_id:path}", summary="One entity with everything it is reported to have said")
def api_entity(state: WebState, entity_id: str) -> dict[str, Any]:
    a = state.analysis()
    e = find_entity(a, entity_id)
    texts = {d.id: d.text for d in a.documents}
    return {"entity": entity_to_json(e), "statements": [statement_to_json(s, texts[s.doc])
                                                        for s in a.statements if s.speaker.entity == e.id]}


@router.get("/statements", summary="Statements, filtered by speaker, words and date range")
@router.get("/search", summary="Search: 'what did Lavrov say about the referendum?'")
def api_search(state: WebState,
               q: str = Query("", description="a question or words: names of speakers become the speaker "
                                              "filter, other words must appear in what was said"),
               entity: str | None = Query(None, description="a speaker's entity id or name"),
               date_from: str | None = Query(None, alias="from", description="earliest date (ISO)"),
               date_to: str | None = Query(None, alias="to", description="latest date (ISO)"),
               limit: int = Query(200, ge=1, le=MAX_LIMIT), offset: int = OFFSET) -> dict[str, Any]:
    a = state.analysis()
    query = parse_question(a, q, entity=entity, date_from=check_date(date_from, "from"),
                           date_to=check_date(date_to, "to"))
    return {"query": {"entities": list(query.entities), "words": list(query.words),
                      "from": query.date_from, "to": query.date_to},
            **paged("results", search(a, query, limit=None), limit, offset)}


@router.get("/timeline", summary="The timeline: events with their sources (paged)")
def api_timeline(state: WebState, limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
    out = paged("timeline", state.analysis().timeline, limit, offset)
    out["timeline"] = [timeline_to_json(t) for t in out["timeline"]]
    return out


@router.get("/relations", summary="Relations between statements across outlets, with the judge's evidence (paged)")
def api_relations(state: WebState, type: str | None = Query(None, description="same, agrees, adds, contradicts, "
                                                                              "omits..."),
                  limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
    out = paged("relations", [r for r in state.analysis().relations if type is None or r.type == type], limit,
                offset)
    out["relations"] = [relation_to_json(r) for r in out["relations"]]
    return out


@router.get("/export", summary="The whole export (crossnews/1)")
def api_export(state: WebState) -> dict[str, Any]:
    return state.cache.memo("export", to_json)  # type: ignore[no-any-return]


@router.post("/analyze", status_code=202, response_model=JobView,
             summary="Analyse pasted texts and/or URLs in the background; poll /api/jobs/{id}")
def api_analyze(state: WebState, body: AnalyzeRequest) -> dict[str, Any]:
    workdir = state.jobs.new_workdir()
    try:
        job = start_job(state.jobs, body.texts, body.urls, [], workdir, 0)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return job.to_json()


@router.post("/analyze/files", status_code=202, response_model=JobView,
             summary="Analyse uploaded files (text, HTML, JSONL) and/or URLs in the background")
async def api_analyze_files(state: WebState, files: list[UploadFile] = NO_FILES,
                            urls: str = Form("", description="URLs separated by white space")) -> dict[str, Any]:
    workdir = state.jobs.new_workdir()
    try:
        specs, expected = await save_uploads(files, workdir, state.settings.max_bytes)
        job = start_job(state.jobs, [], urls.split(), specs, workdir, expected)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return job.to_json()


@router.get("/jobs/{job_id}", response_model=JobView, summary="An analysis job's progress")
def api_job(state: WebState, job_id: str) -> dict[str, Any]:
    job = state.jobs.get(job_id)
    if job is None:
        raise ApiError(404, "not_found", f"no analysis job {job_id!r}")
    return job.to_json()
