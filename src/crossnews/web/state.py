"""What the routes of one app share (:class:`AppState`, kept on ``app.state.web`` and handed to a route by the
:data:`WebState` dependency), and the look-ups both the pages and the JSON API make."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from jinja2 import Environment

from crossnews.core.records import Analysis
from crossnews.core.settings import Settings
from crossnews.web.cache import AnalysisCache
from crossnews.web.jobs import Jobs
from crossnews.web.query import stories
from crossnews.web.schemas import ApiError

__all__ = ["AppState", "WebState", "app_state", "find_doc", "find_entity", "check_date"]


@dataclass
class AppState:
    """One app's shared state: the database path, its cached analysis, the job runner, the templates and the
    settings the jobs run with (``settings.max_bytes``: the largest upload or fetched page accepted)."""

    db: str
    cache: AnalysisCache
    jobs: Jobs
    env: Environment
    settings: Settings

    def analysis(self) -> Analysis:
        """The store's analysis as it stands now (cached until the database changes)."""
        return self.cache.get()[0]

    def stories(self) -> list[Any]:
        """The stories of the current analysis (computed once per database state)."""
        return list(self.cache.memo("stories", stories))

    def find_story(self, story_id: str) -> Any:
        for s in self.stories():
            if s.id == story_id:
                return s
        raise ApiError(404, "not_found", f"no story {story_id!r}")


async def app_state(request: Request) -> AppState:
    """The :class:`AppState` of the app serving ``request``."""
    state: AppState = request.app.state.web
    return state


#: A route's parameter of this type receives the app's :class:`AppState`.
WebState = Annotated[AppState, Depends(app_state)]


def find_doc(a: Analysis, doc_id: str) -> Any:
    doc = next((d for d in a.documents if d.id == doc_id), None)
    if doc is None:
        raise ApiError(404, "not_found", f"no document {doc_id!r}")
    return doc


def find_entity(a: Analysis, entity_id: str) -> Any:
    e = next((e for e in a.entities if e.id == entity_id), None)
    if e is None:
        raise ApiError(404, "not_found", f"no person or organisation {entity_id!r}")
    return e


def check_date(value: str | None, name: str) -> str | None:
    if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ApiError(422, "invalid_request", f"{name} must be a date like 2014-03-16 (or 2014-03, 2014)",
                       [{"where": f"query.{name}", "problem": "not an ISO date"}])
    return value or None
