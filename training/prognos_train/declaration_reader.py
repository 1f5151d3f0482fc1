"""Typed reading of one JSON declaration, with the file and the key path in every error.

domains.py reads domains/<id>.json with it; every problem is a DomainError such as
`domains/heart.json: models[1].features[3]: expected a string, found 3`.
"""
from __future__ import annotations

import json
import re

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class DomainError(Exception):
    """A bad declaration; the message names the file and the key."""


class Reader:
    """Typed access to one JSON object, with the file and key path in every error."""

    def __init__(self, path: str, obj, key: str = ""):
        self.path, self.obj, self.key = path, obj, key
        if not isinstance(obj, dict):
            raise self.fail(f"expected an object, found {type(obj).__name__}")

    def fail(self, msg: str, key: str | None = None) -> DomainError:
        k = self.key if key is None else key
        return DomainError(f"{self.path}: {k or '(top level)'}: {msg}")

    def sub(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def get(self, name, types, default=..., check=None):
        if name not in self.obj:
            if default is ...:
                raise self.fail("missing key", self.sub(name))
            return default
        v = self.obj[name]
        # bool is an int in Python; a JSON true is never a number here
        if not isinstance(v, types) or (isinstance(v, bool) and bool not in _tuple(types)):
            raise self.fail(f"expected {_type_names(types)}, found {json.dumps(v)[:60]}", self.sub(name))
        if check is not None and v is not None:
            problem = check(v)
            if problem:
                raise self.fail(problem, self.sub(name))
        return v

    def text(self, name, default=..., placeholders=None):
        v = self.get(name, str, default)
        if isinstance(v, str) and placeholders is not None:
            check_placeholders(self, self.sub(name), v, placeholders)
        return v

    def texts(self, name, default=..., placeholders=None) -> tuple:
        items = self.get(name, list, default)
        out = []
        for i, v in enumerate(items):
            if not isinstance(v, str):
                raise self.fail(f"expected a string, found {json.dumps(v)[:60]}", f"{self.sub(name)}[{i}]")
            if placeholders is not None:
                check_placeholders(self, f"{self.sub(name)}[{i}]", v, placeholders)
            out.append(v)
        return tuple(out)

    def child(self, name, default=...):
        v = self.get(name, dict if default is ... else (dict, type(None)), default)
        return v if v is None or v is default else Reader(self.path, v, self.sub(name))

    def children(self, name) -> list:
        items = self.get(name, list, check=lambda v: None if v else "must not be empty")
        return [Reader(self.path, v, f"{self.sub(name)}[{i}]") for i, v in enumerate(items)]


def _tuple(types):
    return types if isinstance(types, tuple) else (types,)


def _type_names(types) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list",
             dict: "an object", type(None): "null"}
    return " or ".join(names[t] for t in _tuple(types))


def check_placeholders(r: Reader, key: str, text: str, allowed):
    for name in _PLACEHOLDER.findall(text):
        if name not in allowed:
            raise r.fail(f"unknown placeholder {{{name}}} (allowed: {', '.join('{' + a + '}' for a in allowed) or 'none'})", key)


def at_least(n: int):
    return lambda v: None if v >= n else f"must be at least {n}"
