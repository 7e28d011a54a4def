"""Thin views for records: the chunked-upload endpoints (JSON), the case panel and downloads."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoroute.accounts.decorators import coordinator_required, role_required
from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case
from oncoroute.config.unavailable import RETRY_AFTER_SECONDS
from oncoroute.records import selectors, services
from oncoroute.records.content import RecordRefused, human_size
from oncoroute.records.models import Series, Study, Upload

records_access = role_required(Role.PATIENT, Role.COORDINATOR)
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_UPLOAD_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
_DOCUMENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# The sentences the upload script shows, in the page's language (records/static/records/upload.js).
UPLOAD_MESSAGES = {
    "upload_of": _("Upload of {name}"),
    "waiting": _("Waiting…"),
    "cancel": _("Cancel"),
    "cancelled": _("Cancelled."),
    "uploading": _("Uploading…"),
    "could_not_start": _("The upload could not start."),
    "continuing": _("Continuing where it stopped…"),
    "cancelled_nothing_kept": _("Cancelled; nothing was kept."),
    "stopped": _("The upload was stopped."),
    "connection_lost": _("The connection was lost. Choose the same file again to continue."),
    "retrying": _("Connection trouble, retrying…"),
    "checking": _("Checking the file…"),
    "not_stored": _("The file could not be stored."),
    "stored": _("Stored."),
    "indexing": _("Unpacking and indexing: {done} of {total} files…"),
    "unpacking": _("Unpacking the disc…"),
    # Units as filesizeformat words them (the page words sizes with it), bytes shortened.
    "size_bytes": _("{size} B"),
    "size_kb": _("%s KB"),
    "size_mb": _("%s MB"),
    "size_gb": _("%s GB"),
}


def records_context(*, case: Case, user: User) -> dict[str, Any]:
    """What the records card of a case page shows; also used by its polling partial."""
    studies = list(selectors.studies_of_case(case=case))
    indexing = list(Upload.objects.filter(case=case, state=Upload.State.PROCESSING))
    return {
        "case": case,
        "studies": studies,
        "indexing": indexing,
        "documents": selectors.documents_of_case(case=case),
        "busy": bool(indexing) or any(s.deid_busy or _previews_pending(s) for s in studies),
        "is_coordinator": user.is_coordinator,
        "chunk_bytes": settings.RECORDS_CHUNK_BYTES,
        "max_upload": human_size(settings.RECORDS_MAX_UPLOAD_BYTES),
        "max_document": human_size(settings.RECORDS_MAX_DOCUMENT_BYTES),
        "upload_url_template": reverse("records_upload", args=[_UPLOAD_ID_PLACEHOLDER]),
        "upload_messages": {key: str(text) for key, text in UPLOAD_MESSAGES.items()},
    }


def _previews_pending(study: Study) -> bool:
    return any(s.preview_state == Series.Preview.PENDING for s in study.series.all())


def _upload_json(upload: Upload, **extra: Any) -> dict[str, Any]:
    urls = {
        "status": reverse("records_upload", args=[upload.pk]),
        "chunk": reverse("records_upload_chunk", args=[upload.pk]),
        "complete": reverse("records_upload_complete", args=[upload.pk]),
    }
    return {
        "id": str(upload.pk),
        "filename": upload.filename,
        "size": upload.size,
        "received": upload.received,
        "state": upload.state,
        "index_done": upload.index_done,
        "index_total": upload.index_total,
        "error": upload.error_shown,
        "result": upload.result,
        "urls": urls,
        **extra,
    }


def _refused(error: Exception, status: int = 422, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": str(error), **extra}, status=status)


def _unavailable(error: services.StorageUnavailable, upload: Upload | None = None) -> JsonResponse:
    """503: the storage is full or away; the upload, if any, stays open to be tried again."""
    extra = {"received": upload.received} if upload is not None else {}
    response = _refused(error, 503, **extra)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@require_POST
@records_access
def upload_start(request: HttpRequest, reference: str) -> JsonResponse:
    case = selectors.case_for_records(user=_user(request), reference=reference, action=None)
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        return _refused(RecordRefused(gettext_noop("The file size is missing.")))
    try:
        upload = services.upload_start(
            case=case,
            actor=_user(request),
            filename=request.POST.get("filename", ""),
            size=size,
            sha256=request.POST.get("sha256", ""),
        )
    except services.StorageUnavailable as error:
        return _unavailable(error)
    except RecordRefused as error:
        return _refused(error)
    return JsonResponse(_upload_json(upload), status=201)


@require_http_methods(["GET", "DELETE"])
@records_access
def upload_detail(request: HttpRequest, upload_id: uuid.UUID) -> JsonResponse:
    """GET tells how many bytes arrived (to resume); DELETE cancels the upload."""
    upload = selectors.upload_for_user(user=_user(request), upload_id=upload_id)
    if request.method == "DELETE":
        upload = services.upload_cancel(upload=upload)
    # The page asks while a disc is indexed: a run that stopped (a worker killed part-way)
    # starts again from the beginning.
    elif upload.state == Upload.State.PROCESSING and services.uploads_resume_stalled():
        upload.refresh_from_db()
    message = _stored_message(upload) if upload.state == Upload.State.DONE else ""
    return JsonResponse(_upload_json(upload, message=message))


@require_http_methods(["POST", "PUT"])
@records_access
def upload_chunk(request: HttpRequest, upload_id: uuid.UUID) -> JsonResponse:
    """One slice of the file; Content-Range says where it goes."""
    upload = selectors.upload_for_user(user=_user(request), upload_id=upload_id)
    match = _CONTENT_RANGE.match(request.headers.get("Content-Range", ""))
    if not match:
        required = gettext_noop("Content-Range: bytes START-END/TOTAL is required.")
        return _refused(RecordRefused(required), 400)
    start, end, total = (int(g) for g in match.groups())
    if total != upload.size or end < start:
        return _refused(RecordRefused(gettext_noop("The range does not fit this upload.")), 400)
    length = end - start + 1
    if int(request.headers.get("Content-Length") or 0) != length:
        return _refused(
            RecordRefused(gettext_noop("The chunk's length differs from its range.")), 400
        )
    try:
        upload = services.upload_chunk(upload=upload, start=start, stream=request, length=length)
    except services.StorageUnavailable as error:
        upload.refresh_from_db()
        return _unavailable(error, upload)
    except services.UploadConflict as conflict:
        return _refused(conflict, 409, received=conflict.received)
    except RecordRefused as error:
        return _refused(error)
    return JsonResponse(_upload_json(upload))


@require_POST
@records_access
def upload_complete(request: HttpRequest, upload_id: uuid.UUID) -> JsonResponse:
    upload = selectors.upload_for_user(user=_user(request), upload_id=upload_id)
    try:
        upload = services.upload_complete(upload=upload)
    except services.StorageUnavailable as error:
        upload.refresh_from_db()
        return _unavailable(error, upload)
    except services.UploadConflict as conflict:
        return _refused(conflict, 409, received=conflict.received)
    except RecordRefused as error:
        return _refused(error)
    return JsonResponse(_upload_json(upload, message=_stored_message(upload)))


def _stored_message(upload: Upload) -> str:
    if upload.state == Upload.State.PROCESSING:
        return gettext("Received. The disc is being unpacked and indexed; you may leave this page.")
    if upload.result.get("again"):
        return gettext("Already here: this file was uploaded before.")
    if upload.result.get("kind") == "document":
        return gettext("Stored.")
    count = upload.result.get("instances", 0)
    if not count:
        return gettext("Already here: every image of this file was uploaded before.")
    return ngettext(
        "Stored %(count)d image file; its shareable copy appears below when ready.",
        "Stored %(count)d image files; their shareable copy appears below when ready.",
        count,
    ) % {"count": count}


@require_GET
@records_access
def case_panel(request: HttpRequest, reference: str) -> HttpResponse:
    """The studies and documents of a case; the case page polls it while copies are made."""
    case = selectors.case_for_records(user=_user(request), reference=reference)
    context = records_context(case=case, user=_user(request))
    return render(request, "records/_panel.html", context)


# File views check the role through case_for_records (403 for other roles); role_required is
# typed for HttpResponse, which a streamed FileResponse is not.
def stored_file_response(name: str, **kwargs: Any) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404("The file is not available.")
    response = FileResponse(default_storage.open(name, "rb"), **kwargs)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def document_download(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    document = selectors.document_for_download(
        user=_user(request), reference=reference, document_id=document_id
    )
    return stored_file_response(
        document.file,
        as_attachment=True,
        filename=document.original_name,
        content_type=_DOCUMENT_TYPES[document.kind],
    )


@require_GET
def series_preview(request: HttpRequest, reference: str, series_id: int) -> FileResponse:
    series = selectors.preview_for_download(
        user=_user(request), reference=reference, series_id=series_id
    )
    return stored_file_response(series.preview, content_type="image/png")


@require_GET
def study_archive(request: HttpRequest, reference: str, study_id: int) -> FileResponse:
    """The de-identified copy: the only form in which a study leaves the service."""
    case, study = selectors.archive_for_download(
        user=_user(request), reference=reference, study_id=study_id
    )
    return stored_file_response(
        study.deid_archive,
        as_attachment=True,
        filename=f"{case.reference}-study-{study.pk}-deidentified.zip",
        content_type="application/zip",
    )


@require_POST
@coordinator_required
def study_deid_retry(request: HttpRequest, reference: str, study_id: int) -> HttpResponse:
    case = selectors.case_for_records(user=_user(request), reference=reference, action=None)
    services.study_deid_retry(study=selectors.study_of_case(case=case, study_id=study_id))
    return redirect(reverse("coordinator_case", args=[case.reference]) + "#records")
