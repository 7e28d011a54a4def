"""Writes on the directory: import (all or nothing) and export, exchange rates, shortlists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.clinics import events
from oncoroute.clinics.models import (
    Accreditation,
    Clinic,
    Department,
    Doctor,
    ExchangeRate,
    Offering,
    Shortlist,
    ShortlistItem,
)
from oncoroute.clinics.transfer import (
    BOOL_FIELDS,
    LIST_FIELDS,
    NUMBER_LIST_FIELDS,
    RECORD_FIELDS,
    FileProblem,
    Row,
    read_rows,
    write_csv,
    write_yaml,
)

SHORTLIST_MAX = 5
_CHILD_MODELS: dict[str, type[models.Model]] = {
    "accreditation": Accreditation,
    "department": Department,
    "doctor": Doctor,
    "offering": Offering,
}
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n", ""}


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import file: where (line, field) and what."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, or why it did nothing: with any problem, nothing is imported."""

    problems: list[ImportProblem] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Clinic:
    """A clinic read from the file with its records, validated and not yet saved."""

    clinic: Clinic
    children: dict[str, list[tuple[Row, models.Model]]] = field(default_factory=dict)


def _read_text(path_or_text: str | Path) -> str:
    if isinstance(path_or_text, Path):
        return path_or_text.read_text(encoding="utf-8-sig")
    if "\n" not in path_or_text and Path(path_or_text).is_file():
        return Path(path_or_text).read_text(encoding="utf-8-sig")
    return path_or_text


def _value(name: str, value: Any, model_field: models.Field[Any, Any] | None) -> Any:
    """A cell or YAML value as the model field wants it; lists and yes/no read here."""
    if name in LIST_FIELDS:
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if name in NUMBER_LIST_FIELDS and isinstance(value, list):
            return [_whole_number(item) for item in value]
        return value if value is not None else []
    if name in BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValidationError("give yes or no")
    if isinstance(value, str):
        value = value.strip()
    if value in ("", None) and model_field is not None and model_field.null:
        return None
    return "" if value is None else value


def _whole_number(item: Any) -> Any:
    if isinstance(item, str) and item.strip().isdigit():
        return int(item)
    return item  # anything else is left for the field's validator to refuse


def _errors(row: Row, error: ValidationError) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    for name, messages in error.message_dict.items():
        where = {NON_FIELD_ERRORS: "row", "slug": "clinic"}.get(name, name)
        problems.extend(ImportProblem(row.line_of(where), where, m) for m in messages)
    return problems


def _fill(row: Row, instance: models.Model, skip: Sequence[str]) -> list[ImportProblem]:
    """Set the row's values on the instance; the unknown fields and bad values are problems."""
    problems = []
    allowed = RECORD_FIELDS[row.record]
    for name, raw in row.values.items():
        if name not in allowed:
            problems.append(
                ImportProblem(row.line_of(name), name, f"not a field of a {row.record} record")
            )
            continue
        if name in skip:
            continue
        model_field = instance._meta.get_field(name)
        try:
            setattr(instance, name, _value(name, raw, model_field))  # type: ignore[arg-type]
        except ValidationError as error:
            problems.append(ImportProblem(row.line_of(name), name, error.messages[0]))
    return problems


def _clean(row: Row, instance: models.Model, exclude: Sequence[str]) -> list[ImportProblem]:
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        return _errors(row, error)
    return []


def _clinic_from(row: Row, existing: Mapping[str, Clinic]) -> tuple[Clinic, list[ImportProblem]]:
    slug = str(row.values.get("clinic") or "").strip()
    clinic = existing.get(slug) or Clinic()
    # Every field the file leaves out returns to its default: the file describes the clinic.
    for name in RECORD_FIELDS["clinic"][1:]:
        setattr(clinic, name, Clinic._meta.get_field(name).get_default())  # type: ignore[union-attr]
    clinic.slug = slug
    problems = _fill(row, clinic, skip=("clinic",))
    return clinic, problems + _clean(row, clinic, exclude=())


def _child_from(row: Row, read: _Clinic) -> list[ImportProblem]:
    model = _CHILD_MODELS[row.record]
    instance = model()
    problems = _fill(row, instance, skip=("clinic", "department"))
    exclude = ["clinic", "department"]
    problems += _clean(row, instance, exclude)
    siblings = read.children.setdefault(row.record, [])
    key = "service" if row.record == "offering" else "name"
    if row.record in ("offering", "department") and any(
        getattr(other, key) == getattr(instance, key) for _, other in siblings
    ):
        problems.append(ImportProblem(row.line_of(key), key, "appears twice for this clinic"))
    siblings.append((row, instance))
    return problems


def _validate(rows: list[Row]) -> tuple[dict[str, _Clinic], list[ImportProblem]]:
    """Every row checked, without writing; clinics keyed by slug, in file order."""
    slugs = [str(r.values.get("clinic") or "").strip() for r in rows if r.record == "clinic"]
    existing = {c.slug: c for c in Clinic.objects.filter(slug__in=slugs)}
    clinics: dict[str, _Clinic] = {}
    problems: list[ImportProblem] = []
    for row in rows:
        slug = str(row.values.get("clinic") or "").strip()
        if row.record not in RECORD_FIELDS:
            known = ", ".join(RECORD_FIELDS)
            message = f"unknown record {row.record!r}; use one of {known}"
            problems.append(ImportProblem(row.line, "record", message))
        elif row.record == "clinic":
            if slug in clinics:
                problems.append(ImportProblem(row.line_of("clinic"), "clinic", "appears twice"))
            clinic, found = _clinic_from(row, existing)
            problems += found
            clinics[slug] = _Clinic(clinic)
        elif slug not in clinics:
            message = f"no clinic {slug!r} in this file"
            problems.append(ImportProblem(row.line_of("clinic"), "clinic", message))
        else:
            problems += _child_from(row, clinics[slug])
    problems += _check_departments(clinics)
    return clinics, problems


def _check_departments(clinics: Mapping[str, _Clinic]) -> list[ImportProblem]:
    problems = []
    for read in clinics.values():
        names = {d.name for _, d in read.children.get("department", [])}  # type: ignore[attr-defined]
        for row, _ in read.children.get("doctor", []):
            wanted = str(row.values.get("department") or "").strip()
            if wanted and wanted not in names:
                message = f"no department {wanted!r} at this clinic"
                problems.append(ImportProblem(row.line_of("department"), "department", message))
    return problems


def _save(clinics: Mapping[str, _Clinic], report: ImportReport) -> None:
    for slug, read in clinics.items():
        created = read.clinic.pk is None
        read.clinic.save()
        (report.created if created else report.updated).append(slug)
        for model in _CHILD_MODELS.values():
            model._default_manager.filter(clinic=read.clinic).delete()
        departments: dict[str, Department] = {}
        for record in _CHILD_MODELS:
            for row, instance in read.children.get(record, []):
                instance.clinic = read.clinic  # type: ignore[attr-defined]
                if record == "doctor":
                    name = str(row.values.get("department") or "").strip()
                    instance.department = departments.get(name)  # type: ignore[attr-defined]
                instance.save()
                if isinstance(instance, Department):
                    departments[instance.name] = instance
                report.records[record] = report.records.get(record, 0) + 1


def directory_import(*, path_or_text: str | Path, format: str) -> ImportReport:
    """Import clinics from CSV or YAML, all or nothing: any bad row imports none of the file.

    Each clinic in the file is created, or replaced with everything under it (credentials,
    departments, doctors, services); clinics not in the file are left alone.
    """
    report = ImportReport()
    try:
        rows = read_rows(_read_text(path_or_text), format)
    except FileProblem as problem:
        report.problems.append(ImportProblem(problem.line, problem.field, problem.message))
        return report
    # Departments first, so that a doctor row may name a department defined below it.
    rows.sort(key=lambda row: (row.record not in ("clinic", "department"),))
    clinics, problems = _validate(rows)
    if problems:
        report.problems = sorted(problems, key=lambda p: (p.line, p.field))
        return report
    try:
        with transaction.atomic():
            _save(clinics, report)
    except IntegrityError as error:
        return ImportReport(problems=[ImportProblem(0, "file", f"not saved: {error}")])
    return report


def _rows_of(clinic: Clinic) -> list[Row]:
    def row(record: str, obj: models.Model, **override: Any) -> Row:
        values = {name: getattr(obj, name, None) for name in RECORD_FIELDS[record][1:]}
        values.update(override)
        if "country" in values:
            values["country"] = str(values["country"])
        return Row(record, 0, {"clinic": clinic.slug, **values})

    rows = [row("clinic", clinic)]
    rows += [row("accreditation", a) for a in clinic.accreditations.all()]
    rows += [row("department", d) for d in clinic.departments.all()]
    rows += [
        row("doctor", d, department=d.department.name if d.department else "")
        for d in clinic.doctors.all()
    ]
    rows += [row("offering", o) for o in clinic.offerings.all()]
    return rows


def directory_export(*, format: str) -> str:
    """The whole directory as CSV or YAML, in the form `directory_import` reads back."""
    clinics = Clinic.objects.prefetch_related(
        "accreditations", "departments", "doctors__department", "offerings"
    )
    rows = [row for clinic in clinics for row in _rows_of(clinic)]
    if format == "csv":
        return write_csv(rows)
    if format == "yaml":
        return write_yaml(rows)
    raise ValueError(f"unknown format {format!r}; use csv or yaml")


@transaction.atomic
def exchange_rates_set(
    *, base: str, as_of: date, rates: Mapping[str, Decimal], source: str
) -> list[ExchangeRate]:
    """Store one day's rates against `base` (units of each currency per one `base`)."""
    stored = []
    for currency, rate in {base: Decimal(1), **rates}.items():
        row, _ = ExchangeRate.objects.update_or_create(
            base=base, currency=currency, as_of=as_of, defaults={"rate": rate, "source": source}
        )
        row.full_clean()
        stored.append(row)
    return stored


class ShortlistRefused(Exception):
    """The shortlist is empty, too long, or names clinics that are not in the directory."""


@transaction.atomic
def shortlist_save(*, case: Case, actor: User, clinic_slugs: Sequence[str]) -> Shortlist:
    """Save the clinics put forward for a case, in order, with an event on its timeline."""
    slugs = list(dict.fromkeys(clinic_slugs))
    if not 1 <= len(slugs) <= SHORTLIST_MAX:
        raise ShortlistRefused(
            gettext("Choose between 1 and %(most)s clinics.") % {"most": SHORTLIST_MAX}
        )
    clinics = {c.slug: c for c in Clinic.objects.filter(published=True, slug__in=slugs)}
    if missing := [slug for slug in slugs if slug not in clinics]:
        raise ShortlistRefused(
            gettext("Not in the directory: %(clinics)s.") % {"clinics": ", ".join(missing)}
        )
    shortlist = Shortlist.objects.create(case=case, saved_by=actor)
    ShortlistItem.objects.bulk_create(
        ShortlistItem(shortlist=shortlist, clinic=clinics[slug], position=position)
        for position, slug in enumerate(slugs, start=1)
    )
    events.shortlist_saved_event(
        case=case, actor=actor, shortlist_id=shortlist.pk, clinic_ids=slugs
    )
    return shortlist
