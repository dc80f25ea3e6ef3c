"""``json.dump(obj, fp, ensure_ascii=False, indent=N)``, byte for byte, streamed and several times faster.

With ``indent`` set, the standard library encodes in pure Python, one generator step per token, and
``json.dumps`` joins every piece into one string: on a large export (tens of thousands of relations) that is
seconds of work and a gigabyte of short-lived strings. Here a container whose members are all plain scalars
(``str``, ``int``, ``float``, ``bool``, ``None``) is encoded in one call of the C encoder, with the separator
of its depth (``",\\n"`` and the indent), and a scalar on its own is written as the C encoder writes it; other
containers are walked in Python, building strings rather than yielding tokens; anything else (other types,
subclasses, non-string keys in a container that is walked) is handed to the standard library's own encoder at the
same depth. ``iterables`` maps top-level keys to iterables that are written as JSON arrays one item at a time,
never held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from json import encoder as _std
from typing import Any

__all__ = ["dump_indented"]

_SCALARS = frozenset({str, int, float, bool, type(None)})
_FLUSH = 4096  # encoded items held before they are written
_encode_str: Callable[[str], str] = _std.encode_basestring  # the C function when available


def _floatstr(o: float) -> str:
    """The standard library's float formatting (``allow_nan=True``)."""
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == float("-inf"):
        return "-Infinity"
    return float.__repr__(o)


#: the C encoder's text of each scalar type but ``str`` (``int.__repr__`` and ``float.__repr__`` are what it calls)
_SCALAR_TEXT: dict[type, Callable[[Any], str]] = {
    int: int.__repr__,
    float: _floatstr,
    bool: lambda o: "true" if o else "false",
    type(None): lambda _o: "null",
}


def _unserializable(o: Any) -> Any:
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _make_encoder(indent: str) -> tuple[Callable[[Any, int], str], Callable[[int], str]]:
    """``encode(o, level)``: the indented JSON of ``o`` placed at depth ``level``; ``newline(level)``."""
    nl: list[str] = []
    sep: list[str] = []
    compact: list[Callable[[Any, int], Iterable[str]]] = []
    scalars = _SCALARS.issuperset
    enc_str = _encode_str
    scalar_text = _SCALAR_TEXT.get
    join = "".join

    def grow(level: int) -> None:
        while len(nl) <= level:
            i = len(nl)
            nl.append("\n" + indent * i)
            sep.append(",\n" + indent * i)
            compact.append(_compact_encoder(sep[i]))

    def std(o: Any, level: int) -> str:
        """The standard library's own encoding, for what the fast path does not take."""
        it = _std._make_iterencode(  # type: ignore[attr-defined]
            {}, _unserializable, enc_str, indent, _floatstr, ": ", ",", False, False, False)
        return "".join(it(o, level))

    def encode(o: Any, level: int) -> str:
        t = type(o)
        if t is str:
            return enc_str(o)
        scalar = scalar_text(t)
        if scalar is not None:
            return scalar(o)
        inner = level + 1
        if inner >= len(nl):
            grow(inner)
        if t is dict:
            if not o:
                return "{}"
            if scalars(map(type, o.values())):  # one C call; it converts keys as the standard library does
                return "{" + nl[inner] + join(compact[inner](o, 0))[1:-1] + nl[level] + "}"
            try:
                return "{" + nl[inner] + sep[inner].join([
                    enc_str(k) + ": " + (enc_str(v) if type(v) is str else encode(v, inner)) for k, v in o.items()
                ]) + nl[level] + "}"
            except TypeError:  # a key that is not a string (or something unserializable): as the library does
                return std(o, level)
        if t is list or t is tuple:
            if not o:
                return "[]"
            if scalars(map(type, o)):
                return "[" + nl[inner] + join(compact[inner](o, 0))[1:-1] + nl[level] + "]"
            return "[" + nl[inner] + sep[inner].join([
                enc_str(v) if type(v) is str else encode(v, inner) for v in o
            ]) + nl[level] + "]"
        return std(o, level)

    def newline(level: int) -> str:
        grow(level)
        return nl[level]

    return encode, newline


def _compact_encoder(item_separator: str) -> Callable[[Any, int], Iterable[str]]:
    """``encoder(o, 0)``: the pieces of the scalar-only container ``o``, items separated by ``item_separator``."""
    make = getattr(_std, "c_make_encoder", None)
    if make is not None:
        c: Callable[[Any, int], Iterable[str]] = make(None, _unserializable, _encode_str, None, ": ", item_separator,
                                                       False, False, True)
        return c
    py = json.JSONEncoder(ensure_ascii=False, separators=(item_separator, ": "))  # pragma: no cover
    return lambda o, _level: py.iterencode(o)  # pragma: no cover


def dump_indented(obj: Any, fp: Any, *, indent: int = 1, iterables: dict[str, Iterable[Any]] | None = None) -> None:
    """Write ``obj`` to the text file ``fp`` exactly as ``json.dump(obj, fp, ensure_ascii=False, indent=indent)``
    would. ``iterables``: top-level keys of the dict ``obj`` whose values are taken from these iterables instead
    (written as arrays, in the key's place, one item at a time)."""
    encode, newline = _make_encoder(" " * indent)
    if not iterables:
        try:
            text = encode(obj, 0)
        except RecursionError:  # a circular reference (or very deep nesting): the library's own error
            text = json.dumps(obj, ensure_ascii=False, indent=indent)
        fp.write(text)
        return
    if type(obj) is not dict or not all(type(k) is str for k in obj) or not set(iterables) <= set(obj):
        raise ValueError("iterables need a dict with string keys that has each of their keys")
    nl1, nl2 = newline(1), newline(2)
    fp.write("{")
    for n, (k, v) in enumerate(obj.items()):
        fp.write(("" if n == 0 else ",") + nl1 + _encode_str(k) + ": ")
        if k not in iterables:
            fp.write(encode(v, 1))
            continue
        out: list[str] = []
        for v in iterables[k]:
            out.append(("[" if not out else ",") + nl2 + encode(v, 2))
            if len(out) >= _FLUSH:
                fp.write("".join(out))
                out = [""]  # not empty: the next item is not the first
        fp.write("".join(out) + (nl1 + "]" if out else "[]"))
    fp.write(newline(0) + "}")
