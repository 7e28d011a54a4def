"""Reads on records, always through a case the user may see."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from oncoroute.accounts.decorators import role_refused
from oncoroute.accounts.models import User
from oncoroute.cases.access import case_for
from oncoroute.cases.models import Case
from oncoroute.privacy.audit import Action, audit_denied, audit_record
from oncoroute.records.models import Document, HeldImage, Series, Study, Upload


def case_for_records(*, user: User, reference: str, action: str | None = Action.READ) -> Case:
    """The case whose originals ``user`` may read: any for a coordinator, their own for a patient.

    Clinic doctors never reach originals, even of a case shared with them: 403.
    """
    if not (user.is_coordinator or user.is_patient):
        raise role_refused(user, "records")
    return case_for(user=user, reference=reference, action=action, editable=True)


def _downloaded(user: User, obj: Study | Series | Document, what: str) -> None:
    audit_record(actor=user, action=Action.DOWNLOAD, obj=obj, detail={"file": what})


@contextmanager
def _refusal_audited(user: User, label: str, object_id: int) -> Iterator[None]:
    """Another case's file asked for under one's own reference is a refusal like any other."""
    try:
        yield
    except Http404:
        audit_denied(actor=user, object_type=label, object_id=str(object_id))
        raise


def document_for_download(*, user: User, reference: str, document_id: int) -> Document:
    """A document of a case the user may read; the download is audited."""
    case = case_for_records(user=user, reference=reference, action=None)
    with _refusal_audited(user, "records.document", document_id):
        document = document_of_case(case=case, document_id=document_id)
    _downloaded(user, document, "original")
    return document


def preview_for_download(*, user: User, reference: str, series_id: int) -> Series:
    case = case_for_records(user=user, reference=reference, action=None)
    with _refusal_audited(user, "records.series", series_id):
        series = series_of_case(case=case, series_id=series_id)
    _downloaded(user, series, "preview")
    return series


def archive_for_download(*, user: User, reference: str, study_id: int) -> tuple[Case, Study]:
    case = case_for_records(user=user, reference=reference, action=None)
    with _refusal_audited(user, "records.study", study_id):
        study = study_of_case(case=case, study_id=study_id)
    _downloaded(user, study, "deidentified_archive")
    return case, study


def upload_for_user(*, user: User, upload_id: uuid.UUID) -> Upload:
    """An upload is continued, asked about or cancelled only by the person who started it."""
    upload = Upload.objects.select_related("case").filter(pk=upload_id, uploaded_by=user).first()
    if upload is None:
        audit_denied(actor=user, object_type="records.upload", object_id=str(upload_id))
        raise Http404("No such upload.")
    case_for_records(user=user, reference=str(upload.case.reference), action=None)
    return upload


def _held_count(*states: str) -> Coalesce:
    """How many images of the study are held back in one of ``states`` (a subquery: a join
    would multiply the other counts)."""
    held = (
        HeldImage.objects.filter(study=OuterRef("pk"), state__in=states)
        .values("study")
        .annotate(count=Count("pk"))
        .values("count")[:1]
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), 0)


def studies_of_case(*, case: Case) -> QuerySet[Study]:
    series = Series.objects.annotate(instance_count=Count("instances")).order_by("number", "pk")
    waiting = (HeldImage.State.PENDING, HeldImage.State.RELEASING)
    return (
        Study.objects.filter(case=case)
        .annotate(series_count=Count("series", distinct=True))
        .annotate(instance_count=Count("series__instances"))
        .annotate(held_waiting=_held_count(*waiting))
        .annotate(held_withheld=_held_count(HeldImage.State.WITHHELD))
        .select_related("case__data_key")
        .prefetch_related(Prefetch("series", queryset=series))
        .order_by("-created_at", "-pk")
    )


def documents_of_case(*, case: Case) -> QuerySet[Document]:
    return Document.objects.filter(case=case).select_related("uploaded_by", "case__data_key")


def study_of_case(*, case: Case, study_id: int) -> Study:
    study = Study.objects.filter(case=case, pk=study_id).first()
    if study is None:
        raise Http404("No such study.")
    return study


def series_of_case(*, case: Case, series_id: int) -> Series:
    series = Series.objects.filter(study__case=case, pk=series_id).first()
    if series is None:
        raise Http404("No such series.")
    return series


def document_of_case(*, case: Case, document_id: int) -> Document:
    document = Document.objects.filter(case=case, pk=document_id).first()
    if document is None:
        raise Http404("No such document.")
    return document


def series_previews_for_clinics(studies: QuerySet[Study]) -> QuerySet[Series]:
    """The series of ``studies`` whose preview a clinic may see. A preview is drawn from an
    uploaded image, not from the de-identified copy, so a series with an image held back for
    review (its pixels may show the patient's name) never shows one, masked or not."""
    return (
        Series.objects.filter(study__in=studies)
        .exclude(preview="")
        .exclude(instances__held__isnull=False)
    )
