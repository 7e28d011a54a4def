"""The directory's file formats: YAML (one entry per clinic, nested) and CSV (one row per
record, a `record` column naming its kind). Both read into the same rows, each with the line it
came from, so that every problem can be reported as line and field."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

FORMAT_VERSION = "oncoroute-directory-1"
FORMATS = ("csv", "yaml")

# The fields of each kind of record, in file order. `clinic` is the clinic's slug on every row.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "clinic": (
        "clinic",
        "name",
        "country",
        "city",
        "time_zone",
        "address",
        "contact_name",
        "contact_email",
        "contact_phone",
        "languages",
        "working_days",
        "website",
        "summary",
        "commercial_relationship",
        "demo_figures",
        "published",
    ),
    "accreditation": (
        "clinic",
        "kind",
        "name",
        "verified_by",
        "register",
        "verified_on",
        "expires_on",
    ),
    "department": ("clinic", "name"),
    "doctor": (
        "clinic",
        "department",
        "name",
        "specialty",
        "languages",
        "years_in_practice",
        "profile",
    ),
    "offering": (
        "clinic",
        "service",
        "detail",
        "tracers",
        "price_min",
        "price_max",
        "currency",
        "price_includes",
        "price_valid_until",
        "waiting_days",
    ),
}
LIST_FIELDS = frozenset({"languages", "tracers", "working_days"})
# List fields of whole numbers: a CSV cell "6 0 1 2 3" reads as [6, 0, 1, 2, 3].
NUMBER_LIST_FIELDS = frozenset({"working_days"})
BOOL_FIELDS = frozenset({"demo_figures", "published"})
# Nested lists of a clinic entry in YAML → the kind of record each item is.
_NESTED = {
    "accreditations": "accreditation",
    "departments": "department",
    "doctors": "doctor",
    "offerings": "offering",
}
CSV_COLUMNS = ("record", *dict.fromkeys(f for fields in RECORD_FIELDS.values() for f in fields))


class FileProblem(Exception):
    """The file cannot be read at all (not CSV or YAML, wrong shape)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


@dataclass
class Row:
    """One record read from a file: its kind, its values, and the line of each value."""

    record: str
    line: int
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


# Reading ---------------------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping and of each of its values."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        str(k): v for k, v in loader.construct_mapping(node, deep=True).items()
    }
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {str(key.value): value.start_mark.line + 1 for key, value in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _split_lines(entry: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, int]]:
    line = entry.pop("__line__", 0)
    lines = entry.pop("__lines__", {})
    return entry, line, lines


def _yaml_rows(text: str) -> Iterator[Row]:
    try:
        # _LineLoader is a SafeLoader subclass: no object construction.
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise FileProblem(
            mark.line + 1 if mark else 0, "file", f"not valid YAML: {error}"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("clinics"), list):
        raise FileProblem(1, "clinics", "the file needs a top-level list named 'clinics'")
    document, _, top_lines = _split_lines(document)
    for entry in document["clinics"]:
        if not isinstance(entry, dict):
            raise FileProblem(top_lines.get("clinics", 1), "clinics", "each clinic is a mapping")
        yield from _yaml_clinic(entry)


def _yaml_clinic(entry: dict[str, Any]) -> Iterator[Row]:
    entry, line, lines = _split_lines(entry)
    slug = entry.pop("slug", "")
    lines["clinic"] = lines.pop("slug", line)
    nested = {key: entry.pop(key, []) or [] for key in _NESTED}
    yield Row("clinic", line, {"clinic": slug, **entry}, lines)
    for key, record in _NESTED.items():
        items = nested[key]
        if not isinstance(items, list):
            raise FileProblem(lines.get(key, line), key, f"'{key}' must be a list")
        for item in items:
            if record == "department" and isinstance(item, str):
                yield Row(record, lines.get(key, line), {"clinic": slug, "name": item})
                continue
            if not isinstance(item, dict):
                raise FileProblem(lines.get(key, line), key, f"each of '{key}' is a mapping")
            values, item_line, item_lines = _split_lines(item)
            yield Row(record, item_line, {"clinic": slug, **values}, item_lines)


def _csv_rows(text: str) -> Iterator[Row]:
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    if "record" not in columns:
        raise FileProblem(1, "record", "the header needs a 'record' column")
    if unknown := [c for c in columns if c not in CSV_COLUMNS]:
        raise FileProblem(1, unknown[0], f"unknown column '{unknown[0]}'")
    for raw in reader:
        record = (raw.pop("record") or "").strip()
        if None in raw:
            raise FileProblem(reader.line_num, "row", "more cells than columns")
        fields = RECORD_FIELDS.get(record, ())
        values = {key: value for key, value in raw.items() if key in fields}
        extra = [key for key, value in raw.items() if key not in fields and (value or "").strip()]
        if extra:
            values.update({key: raw[key] for key in extra})
        yield Row(record, reader.line_num, values)


def read_rows(text: str, fmt: str) -> list[Row]:
    """Every record of a CSV or YAML directory file, in file order."""
    if fmt == "yaml":
        return list(_yaml_rows(text))
    if fmt == "csv":
        return list(_csv_rows(text))
    raise FileProblem(0, "format", f"unknown format {fmt!r}; use csv or yaml")


# Writing ---------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({"record": row.record, **{k: _csv_cell(v) for k, v in row.values.items()}})
    return out.getvalue()


def write_yaml(rows: list[Row]) -> str:
    clinics: list[dict[str, Any]] = []
    for row in rows:
        values = {k: _plain(v) for k, v in row.values.items() if v not in (None, "", [])}
        slug = values.pop("clinic")
        if row.record == "clinic":
            clinics.append({"slug": slug, **values, **{key: [] for key in _NESTED}})
            continue
        key = next(k for k, record in _NESTED.items() if record == row.record)
        clinics[-1][key].append(values["name"] if row.record == "department" else values)
    for entry in clinics:
        for key in _NESTED:
            if not entry[key]:
                del entry[key]
    document = {"format": FORMAT_VERSION, "clinics": clinics}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
