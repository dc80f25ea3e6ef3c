"""The streamed export encoder writes exactly what ``json.dumps(..., ensure_ascii=False, indent=N)`` writes."""

from __future__ import annotations

import enum
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossnews.core.jsondump import dump_indented


class Level(enum.IntEnum):
    HIGH = 3


class Label(str):
    pass


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                    st.just(Level.HIGH), st.builds(Label, st.text(max_size=4)))
KEYS = st.one_of(st.text(max_size=4), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.tuples(inner, inner), st.dictionaries(st.text(max_size=3), inner, max_size=5),
    st.dictionaries(KEYS, inner, max_size=3)), max_leaves=40)


def dumped(obj, **kw):
    buf = io.StringIO()
    dump_indented(obj, buf, **kw)
    return buf.getvalue()


@settings(max_examples=400, deadline=None)
@given(TREES, st.integers(0, 3))
def test_same_text_as_the_standard_library(obj, indent):
    assert dumped(obj, indent=indent) == json.dumps(obj, ensure_ascii=False, indent=indent)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=3), TREES, min_size=1, max_size=4), st.lists(TREES, max_size=6),
       st.integers(0, 3))
def test_streamed_key_reads_the_iterable_in_place(obj, items, pick):
    key = list(obj)[pick % len(obj)]
    expected = json.dumps({**obj, key: items}, ensure_ascii=False, indent=1)
    assert dumped(obj, indent=1, iterables={key: iter(items)}) == expected


def test_long_stream_is_flushed_and_whole():
    items = [{"id": i, "evidence": {"a": [i, "é\n"], "b": {"x": None}}} for i in range(10_000)]
    obj = {"schema": "x", "relations": [], "rejected": []}
    assert dumped(obj, iterables={"relations": iter(items)}) == json.dumps(
        {**obj, "relations": items}, ensure_ascii=False, indent=1)


def test_errors_are_the_standard_librarys():
    loop: list[object] = [1]
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumped(loop)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumped({"a": [{"b": object()}]})
    with pytest.raises(TypeError, match="keys must be"):
        dumped({"a": [{(1,): 2}]})
