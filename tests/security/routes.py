"""Every URL pattern of the site, found by walking the URLconf, with a concrete path for each."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    name: str | None
    template: str
    namespace: str

    @property
    def parameters(self) -> list[str]:
        groups = _REGEX_GROUP.findall(self.template)
        return groups + _ROUTE_PARAM.findall(_REGEX_GROUP.sub("", self.template))

    def path(self, sample: Callable[[Route, str], str]) -> str:
        # Regex groups first: their `<name>` would otherwise look like a route parameter.
        filled = _REGEX_GROUP.sub(lambda m: sample(self, m.group(1)), self.template)
        filled = _ROUTE_PARAM.sub(lambda m: sample(self, m.group(1)), filled)
        return "/" + filled.replace("^", "").replace("$", "")


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, text, inner)
        else:
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(name=name, template=text, namespace=namespace)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", ""))
