"""Timeline events of the records; their data holds ids, counts and sizes, never health values."""

from __future__ import annotations

from oncoroute.accounts.models import User
from oncoroute.cases.events import case_event
from oncoroute.cases.models import Case, CaseEvent


def record_uploaded_event(
    *, case: Case, actor: User | None, upload_id: str, kind: str, size: int, files: int
) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.RECORD_UPLOADED,
        actor=actor,
        visible_to_patient=True,
        upload=upload_id,
        record_kind=kind,
        bytes=size,
        files=files,
    )


def study_deidentified_event(
    *, case: Case, study_id: int, written: int, held_back: int, archive_bytes: int
) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.STUDY_DEIDENTIFIED,
        actor=None,
        visible_to_patient=True,
        study=study_id,
        written=written,
        held_back=held_back,
        bytes=archive_bytes,
    )
