"""Coordinators' pages on records: documents redacted and released for clinics, held-back
images reviewed, and the image viewer. Staff pages, in English for now, every string marked."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoroute.accounts.decorators import coordinator_required, role_refused
from oncoroute.accounts.models import User
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.records import cleaning, selectors, services, viewer
from oncoroute.records.content import RecordRefused
from oncoroute.records.models import Document, HeldImage, Series, Study
from oncoroute.records.views import stored_file_response

_DOCUMENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# Documents made fit to share (coordinators) ----------------------------------------------------


def _coordinator_document(request: HttpRequest, reference: str, document_id: int) -> Document:
    user = _user(request)
    if not user.is_coordinator:
        raise role_refused(user, "document sharing")
    case = selectors.case_for_records(user=user, reference=reference, action=None)
    return selectors.document_of_case(case=case, document_id=document_id)


@require_http_methods(["GET", "POST"])
@coordinator_required
def document_share(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """Draw boxes over what identifies the patient, then release the flattened copy (or stop
    sharing it). Clinics only ever receive the released copy."""
    document = _coordinator_document(request, reference, document_id)
    error, status = "", 200
    try:
        pages = cleaning.page_count(_original_bytes(document), document.kind)
    except cleaning.DocumentUnreadable as unreadable:
        pages, error, status = 0, str(unreadable), 422
    if request.method == "POST" and not error:
        if request.POST.get("action") == "withdraw":
            services.document_share_withdraw(document=document, actor=_user(request))
            messages.success(request, gettext("The document is no longer shared."))
            return redirect(request.path)
        try:
            boxes = cleaning.boxes_parse(json.loads(request.POST.get("boxes") or "[]"), pages=pages)
            services.document_share_release(
                document=document,
                actor=_user(request),
                boxes=boxes,
                nothing_to_hide=_nothing_to_hide(request),
            )
        except (ValueError, cleaning.DocumentUnreadable, RecordRefused) as refused:
            error, status = str(refused), 422
        else:
            messages.success(request, gettext("The redacted copy is released to the clinics."))
            return redirect(request.path)
    context = {
        "case": document.case,
        "document": document,
        "pages": range(pages),
        "error": error,
        "boxes_json": json.dumps(document.shared_boxes),
    }
    return render(request, "records/staff/document_share.html", context, status=status)


def _original_bytes(document: Document) -> bytes:
    if not default_storage.exists(document.file):
        raise Http404("The file is not available.")
    with default_storage.open(document.file, "rb") as fp:
        return bytes(fp.read())


@require_GET
@coordinator_required
def document_page(
    request: HttpRequest, reference: str, document_id: int, page: int
) -> HttpResponse:
    """One page of the original drawn as an image, to draw the boxes on (coordinators only)."""
    document = _coordinator_document(request, reference, document_id)
    try:
        (image,) = cleaning.pages_draw(_original_bytes(document), document.kind, only=page)
    except cleaning.DocumentUnreadable:
        raise Http404("No such page.") from None
    response = HttpResponse(cleaning.png_of(image), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def document_shared_copy(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    """The released copy, as the clinics receive it."""
    document = _coordinator_document(request, reference, document_id)
    return shared_document_response(document, f"{document.case.reference}-document-{document.pk}")


def shared_document_response(document: Document, stem: str) -> FileResponse:
    if not document.shared_file:
        raise Http404("This document is not shared.")
    extension = "pdf" if document.shared_kind == "pdf" else "jpg"
    return stored_file_response(
        document.shared_file,
        as_attachment=True,
        filename=f"{stem}-redacted.{extension}",
        content_type=_DOCUMENT_TYPES[document.shared_kind or "pdf"],
    )


def _nothing_to_hide(request: HttpRequest) -> bool:
    """The box ticked to release a picture with no box drawn (records/staff/_nothing_to_hide)."""
    return request.POST.get("nothing_to_hide") == "1"


# Held-back images: the review screen -------------------------------------------------------------


def _coordinator_study(request: HttpRequest, reference: str, study_id: int) -> Study:
    case = selectors.case_for_records(user=_user(request), reference=reference, action=None)
    return selectors.study_of_case(case=case, study_id=study_id)


def _held_image(request: HttpRequest, reference: str, held_id: int) -> HeldImage:
    case = selectors.case_for_records(user=_user(request), reference=reference, action=None)
    held = HeldImage.objects.filter(study__case=case, pk=held_id).select_related("study").first()
    if held is None:
        raise Http404("No such image.")
    return held


@require_GET
@coordinator_required
def study_review(request: HttpRequest, reference: str, study_id: int) -> HttpResponse:
    """Every image of a study held back for possible burned-in text, each to be masked and
    released or kept withheld. Nothing here reaches a clinic before that."""
    study = _coordinator_study(request, reference, study_id)
    held = list(study.held_images.select_related("instance__series", "reviewed_by"))
    for image in held:
        image.mask_json = json.dumps(image.mask)  # type: ignore[attr-defined]
    context = {"case": study.case, "study": study, "held_images": held}
    return render(request, "records/staff/study_review.html", context)


@require_GET
def held_image_preview(request: HttpRequest, reference: str, held_id: int) -> FileResponse:
    """The first frame of a held-back image, drawn from its de-identified copy."""
    if not _user(request).is_coordinator:
        raise role_refused(_user(request), "held image")
    held = _held_image(request, reference, held_id)
    return stored_file_response(held.preview, content_type="image/png")


@require_POST
@coordinator_required
def held_image_decide(request: HttpRequest, reference: str, held_id: int) -> HttpResponse:
    held = _held_image(request, reference, held_id)
    back = redirect("records_study_review", reference=reference, study_id=held.study_id)
    release = request.POST.get("action") == "release"
    if request.POST.get("action") not in {"release", "withhold"}:
        messages.error(request, gettext("Choose to release the image or to keep it withheld."))
        return back
    try:
        boxes = cleaning.boxes_parse(json.loads(request.POST.get("boxes") or "[]"), pages=1)
        services.held_image_review(
            held=held,
            actor=_user(request),
            release=release,
            boxes=boxes,
            nothing_to_hide=_nothing_to_hide(request),
        )
    except (ValueError, RecordRefused) as refused:
        messages.error(request, str(refused))
        return back
    if release:
        messages.success(
            request,
            gettext("The image is being masked; it joins the shareable copy when that is remade."),
        )
    else:
        messages.success(request, gettext("The image stays withheld: no clinic will receive it."))
    return back


# The image viewer (coordinators; the clinics' is referrals.viewer_views) --------------------------


def _viewable_study(request: HttpRequest, study_id: int) -> Study:
    study = Study.objects.select_related("case").filter(pk=study_id).first()
    if study is None:
        raise Http404("No such study.")
    selectors.case_for_records(
        user=_user(request), reference=str(study.case.reference), action=None
    )
    return study


@require_GET
@coordinator_required
def study_viewer(request: HttpRequest, study_id: int) -> HttpResponse:
    """Scroll the de-identified study's series slice by slice, two side by side."""
    study = _viewable_study(request, study_id)
    audit_record(actor=_user(request), action=Action.READ, obj=study, detail={"viewer": "open"})
    context = viewer_page_context(
        study=study,
        frame_url=reverse("records_series_frame", args=[0, 0]),
        back_url=reverse("coordinator_case", args=[study.case.reference]) + "#records",
    )
    return render(request, "records/staff/viewer.html", context)


# What viewer.js writes on the page, translated here; it keeps the English when one is absent.
# Counts stand after a colon, so that no sentence needs a plural form.
VIEWER_MESSAGES = {
    "slice": _("Slice {index} / {count}"),
    "position": _("position {mm} mm"),
    "image": _("image {number}"),
    "window": _("W {width} / L {level}"),
    "none_shown": _("No slice of this series can be shown."),
    "held": _("Images held back until a coordinator checks them for text in the pixels: {count}."),
    "masking": _("Images being masked after review, shown once that is done: {count}."),
    "withheld": _("Images a coordinator kept out of the shared copy: {count}."),
    "skipped": _("Images that cannot be shown here: {count}."),
    "no_pixels": _("This series holds no image, only other objects (a report, for example)."),
    "unknown": _(
        "Nothing is wrong with the viewer: the de-identified copy holds no image of this series."
    ),
}


def viewer_page_context(*, study: Study, frame_url: str, back_url: str) -> dict[str, Any]:
    return {
        "study": study,
        "series_data": viewer.series_for_viewer(study),
        "presets": viewer.PRESETS,
        "viewer_messages": {key: str(text) for key, text in VIEWER_MESSAGES.items()},
        # The page puts the series id and the frame number in place of the two zeros.
        "frame_url": frame_url,
        "back_url": back_url,
    }


@require_GET
@coordinator_required
def series_frame(request: HttpRequest, series_id: int, frame: int) -> HttpResponse:
    series = Series.objects.select_related("study").filter(pk=series_id).first()
    if series is None:
        raise Http404("No such series.")
    _viewable_study(request, series.study_id)
    return viewer.frame_response(request, series, frame)
