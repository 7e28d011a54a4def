"""Reads on records, always through a case the user may see."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.cases.selectors import case_for_coordinator, case_for_patient
from oncoroute.records.models import Document, Series, Study, Upload


def case_for_records(*, user: User, reference: str) -> Case:
    """The case whose records ``user`` may read: any for a coordinator, their own for a patient."""
    if user.is_coordinator:
        return case_for_coordinator(reference=reference)
    if user.is_patient:
        return case_for_patient(user=user, reference=reference)
    raise PermissionDenied


def upload_for_user(*, user: User, upload_id: uuid.UUID) -> Upload:
    """An upload is continued, asked about or cancelled only by the person who started it."""
    upload = Upload.objects.select_related("case").filter(pk=upload_id, uploaded_by=user).first()
    if upload is None:
        raise Http404("No such upload.")
    case_for_records(user=user, reference=str(upload.case.reference))
    return upload


def studies_of_case(*, case: Case) -> QuerySet[Study]:
    series = Series.objects.annotate(instance_count=Count("instances")).order_by("number", "pk")
    return (
        Study.objects.filter(case=case)
        .annotate(series_count=Count("series", distinct=True))
        .annotate(instance_count=Count("series__instances"))
        .prefetch_related(Prefetch("series", queryset=series))
        .order_by("-created_at", "-pk")
    )


def documents_of_case(*, case: Case) -> QuerySet[Document]:
    return Document.objects.filter(case=case).select_related("uploaded_by")


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
