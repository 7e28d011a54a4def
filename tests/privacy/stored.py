"""Search everything the service stores: every column of every table (models or not: the task
queue, sessions decoded, the admin's history) and every file under MEDIA_ROOT."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.contrib.sessions.models import Session
from django.db import connection


def stored_values() -> Iterator[tuple[str, Any]]:
    """("table.column", value) for every value of every row, sessions also decoded."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the schema
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    yield f"{table}.{column}", value
    for session in Session.objects.all():
        yield "django_session.decoded", json.dumps(session.get_decoded(), default=str)


def _text(value: Any) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _leaves(value: Any) -> Iterator[str]:
    """The value itself and, for JSON, every key and scalar inside it."""
    if isinstance(value, str) and value[:1] in "[{":
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield _text(value)


def found_in_database(*, within: Iterable[str], exactly: Iterable[str]) -> set[tuple[str, str]]:
    """(where, needle) for each needle found: ``within`` any value, or ``exactly`` as a whole
    value or a JSON leaf (for short codes such as a country or an urgency)."""
    within, exactly = set(within), set(exactly)
    hits: set[tuple[str, str]] = set()
    for where, value in stored_values():
        text = _text(value)
        hits |= {(where, needle) for needle in within if needle in text}
        hits |= {(where, leaf) for leaf in _leaves(value) if leaf in exactly}
    return hits


def found_in_files(root: Path, needles: Iterable[str]) -> set[tuple[str, str]]:
    """(path, needle) for each needle in a file's name or bytes under ``root``."""
    hits: set[tuple[str, str]] = set()
    for path in (p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        name = str(path.relative_to(root))
        hits |= {(name, n) for n in needles if n in name or n.encode() in data}
    return hits
