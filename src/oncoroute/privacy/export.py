"""'Download my data': one ZIP with every record of the patient and their files, decrypted:
data.json (readable UTF-8) and summary.txt, the same in plain words in the reader's language."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import PurePosixPath
from typing import IO, Any

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.privacy.residency import transfer_record

CASE_FIELDS = (
    "reference",
    "state",
    "full_name",
    "email",
    "phone",
    "language",
    "writer_role",
    "patient_name",
    "patient_age",
    "patient_sex",
    "primary_cancer",
    "primary_cancer_other",
    "spine_regions",
    "symptoms",
    "current_treatment",
    "past_treatment",
    "wants",
    "preferred_countries",
    "message",
    "data_region",
    "created_at",
    "closed_at",
)


def _case_data(case: Case, files: list[tuple[str, str]]) -> dict[str, Any]:
    from oncoroute.records.models import Document, Instance

    data: dict[str, Any] = {name: getattr(case, name) for name in CASE_FIELDS}
    data["country"] = str(case.country)
    data["consents"] = [
        {
            "purpose": c.purpose,
            "clinic": c.clinic.name if c.clinic else None,
            "country": str(c.country) or None,
            "text_version": c.text_version,
            "text_sha256": c.text_sha256,
            "language": c.language,
            "given_at": c.given_at,
            "withdrawn_at": c.withdrawn_at,
        }
        for c in case.consents.select_related("clinic")
    ]
    data["timeline"] = [
        {"at": e.created_at, "what": e.get_kind_display(), "details": e.data}
        for e in case.events.filter(visible_to_patient=True)
    ]
    # Findings as entered; scores reach a patient only through a clinician who reviewed them.
    data["clinical_findings"] = [
        {"recorded_at": s.recorded_at, "findings": s.findings} for s in case.triage_snapshots.all()
    ]
    data["shared_with"] = [
        {"clinic": s.clinic.name, "country": str(s.clinic.country), "at": s.shared_at}
        for s in case.shares.select_related("clinic")
    ]
    data["documents"] = []
    for document in Document.objects.filter(case=case):
        path = f"files/{case.reference}/documents/{document.pk}-{_safe(document.original_name)}"
        files.append((document.file, path))
        data["documents"].append({"name": document.original_name, "file": path})
    instances = Instance.objects.filter(series__study__case=case).select_related("series__study")
    for instance in instances:
        path = f"files/{case.reference}/imaging/study-{instance.series.study_id}/{instance.pk}.dcm"
        files.append((instance.file, path))
    return data


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in PurePosixPath(name).name)[:80]


def patient_export(*, user: User) -> IO[bytes]:
    """A ZIP (data.json + files) of the patient's cases; every case's export is audited."""
    cases = list(Case.objects.visible_to(user).filter(patient=user).select_related("data_key"))
    files: list[tuple[str, str]] = []
    data = {
        "exported_at": timezone.now(),
        "account": {"email": user.email, "name": user.get_full_name()},
        "cases": [_case_data(case, files) for case in cases],
        "recipients": _recipients(cases),
    }
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Russian and every other script as themselves, not as \u escapes.
        text = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        archive.writestr("data.json", text.encode("utf-8"))
        archive.writestr("summary.txt", export_summary(user=user, cases=cases).encode("utf-8"))
        for name, path in files:
            with default_storage.open(name, "rb") as source, archive.open(path, "w") as sink:
                while block := source.read(1024 * 1024):
                    sink.write(block)
    for case in cases:
        audit_record(actor=user, action=Action.EXPORT, obj=case, detail={"files": len(files)})
        transfer_record(actor=user, case=case, destination="subject", reason="data export")
    out.seek(0)
    return out


def _recipients(cases: list[Case]) -> list[str]:
    shares = (share for case in cases for share in case.shares.select_related("clinic"))
    return sorted({f"{share.clinic.name} ({share.clinic.country})" for share in shares})


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def export_summary(*, user: User, cases: list[Case]) -> str:
    """The export in plain words: each case, what was told, consents, who received the case,
    the timeline and the files. data.json holds the same and more, for machines."""
    lines = [
        _("Your data at oncoroute, exported on %(date)s") % {"date": _when(timezone.now())},
        _("Account: %(email)s") % {"email": user.email},
        _("The full record, for other programs, is in data.json; your files are in files/."),
    ]
    for case in cases:
        lines += ["", "=" * 60, _("Case %(reference)s") % {"reference": case.reference}]
        facts = [
            (_("Status"), case.patient_status),
            (_("Patient"), case.patient_full_name),
            (_("Written by"), f"{case.full_name} ({case.get_writer_role_display()})"),
            (_("Country"), str(case.country.name)),
            (_("Primary cancer"), case.primary_cancer_text),
            (_("Received"), _when(case.created_at)),
        ]
        lines += [f"{label}: {value}" for label, value in facts if value]
        lines += ["", _("Consents:")]
        for consent in case.consents.select_related("clinic"):
            state = (
                _("withdrawn %(date)s") % {"date": _when(consent.withdrawn_at)}
                if consent.withdrawn_at
                else _("given %(date)s") % {"date": _when(consent.given_at)}
            )
            clinic = f" — {consent.clinic.name}" if consent.clinic else ""
            lines.append(f"- {consent.get_purpose_display()}{clinic}: {state}")
        shares = list(case.shares.select_related("clinic"))
        lines += ["", _("Shared, without your name, with:")]
        lines += [
            f"- {s.clinic.name} ({s.clinic.country.name}), {_when(s.shared_at)}" for s in shares
        ]
        if not shares:
            lines.append("- " + _("nobody"))
        lines += ["", _("Timeline:")]
        lines += [
            f"- {_when(e.created_at)}: {e.get_kind_display()}"
            for e in case.events.filter(visible_to_patient=True)
        ]
    return "\n".join(lines) + "\n"
