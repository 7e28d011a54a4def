"""Documents leave only as a coordinator's redacted, flattened copy: a PDF and a JPEG with a
canary name in their metadata and text reach the clinic without it."""

from __future__ import annotations

import io
import json
import zlib
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from fpdf import FPDF
from PIL import Image, ImageDraw

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.records.models import Document
from oncoroute.referrals.models import Referral
from oncoroute.referrals.services import referral_send
from tests.clinics.builders import clinic, rates
from tests.factories import person

pytestmark = pytest.mark.django_db

CANARY = "Zhukovskaya Canary"
# The name's line on the page, as fractions of the page: the coordinator's box covers it.
NAME_BOX = {"page": 0, "x0": 0.02, "y0": 0.06, "x1": 0.9, "y1": 0.16}


def canary_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_title(CANARY)
    pdf.set_author(CANARY)
    pdf.set_subject(f"Report of {CANARY}")
    pdf.set_keywords(CANARY)
    pdf.set_creator(CANARY)
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    pdf.text(20, 30, f"Patient: {CANARY}")
    pdf.text(20, 80, "MRI: lytic lesion at L2")
    data = bytes(pdf.output())
    assert CANARY.encode() in data
    return data


def canary_jpeg() -> bytes:
    image = Image.new("RGB", (800, 600), "white")
    ImageDraw.Draw(image).text((40, 60), f"Patient: {CANARY}", fill="black", font_size=40)
    exif = Image.Exif()
    exif[0x013B] = CANARY  # Artist
    exif[0x010E] = f"Report of {CANARY}"  # ImageDescription
    exif[0x0112] = 1
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=CANARY.encode())
    return out.getvalue()


def stored_document(case: Case, kind: str, data: bytes) -> Document:
    name = default_storage.save(f"records/{case.pk}/documents/x.{kind}", ContentFile(data))
    return Document.objects.create(
        case=case, kind=kind, original_name=f"{CANARY}.{kind}", file=name, size=len(data),
        sha256="0" * 64,
    )  # fmt: skip


@pytest.fixture
def referral(patient_case: Case, patient: Any, coordinator: Any) -> tuple[Referral, Any]:
    rates()
    clinic_x = clinic("clinic-x", name="Clinic X", country="TR")
    consent_give(
        case=patient_case, actor=patient, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic_x
    )
    referral = referral_send(
        case=patient_case, clinic=clinic_x, actor=coordinator, question="SBRT or surgery?",
        deadline=patient_case.created_at.replace(year=2099),
    )  # fmt: skip
    doctor = person(Role.CLINIC_DOCTOR, "doctor@clinic-x.example", first_name="Xavier")
    doctor.clinic = clinic_x
    doctor.save()
    return referral, doctor


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def every_stream_of(pdf_bytes: bytes) -> bytes:
    """The file and every stream in it decompressed: where a name could hide."""
    found = [pdf_bytes]
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                raw = obj.read_raw_bytes()
                try:
                    found.append(zlib.decompress(raw))
                except zlib.error:
                    found.append(raw)
    return b"".join(found)


def release(coordinator: Any, document: Document, boxes: list[dict[str, Any]]) -> None:
    """Release with ``boxes``; none means the coordinator ticked that nothing identifies."""
    url = reverse("records_document_share", args=[document.case.reference, document.pk])
    client = signed_in(coordinator)
    assert client.get(url).status_code == 200
    page = client.get(
        reverse("records_document_page", args=[document.case.reference, document.pk, 0])
    )
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    sent = {"action": "release", "boxes": json.dumps(boxes)}
    response = client.post(url, sent if boxes else {**sent, "nothing_to_hide": "1"})
    assert response.status_code == 302


def test_a_pdf_leaves_without_the_name_in_its_metadata_or_text(
    patient_case: Case, coordinator: Any, referral: tuple[Referral, Any]
) -> None:
    document = stored_document(patient_case, "pdf", canary_pdf())
    doctor_url = reverse("referral_document", args=[referral[0].pk, document.pk])
    assert signed_in(referral[1]).get(doctor_url).status_code == 404  # nothing released yet

    release(coordinator, document, [NAME_BOX])

    response = signed_in(referral[1]).get(doctor_url)
    assert response.status_code == 200
    shared = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert shared.startswith(b"%PDF")
    assert CANARY.encode() not in every_stream_of(shared)
    assert CANARY.lower().encode() not in every_stream_of(shared).lower()
    with pikepdf.open(io.BytesIO(shared)) as pdf:
        assert dict(pdf.docinfo) == {}
        assert "/Metadata" not in pdf.Root
    text = pdfium.PdfDocument(shared)[0].get_textpage().get_text_range()
    assert text == ""  # flattened: no text layer at all
    assert "attachment" in response["Content-Disposition"]
    assert CANARY not in response["Content-Disposition"]
    document.refresh_from_db()
    assert document.shared_boxes == [NAME_BOX]


def test_a_jpeg_leaves_without_exif_or_comment_and_with_the_box_black(
    patient_case: Case, coordinator: Any, referral: tuple[Referral, Any]
) -> None:
    document = stored_document(patient_case, "jpeg", canary_jpeg())
    box = {"page": 0, "x0": 0.0, "y0": 0.05, "x1": 1.0, "y1": 0.25}
    release(coordinator, document, [box])

    response = signed_in(referral[1]).get(
        reverse("referral_document", args=[referral[0].pk, document.pk])
    )
    shared = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert CANARY.encode() not in shared
    image = Image.open(io.BytesIO(shared))
    assert image.format == "JPEG"
    assert not image.getexif() and "comment" not in image.info and "exif" not in image.info
    band = image.convert("L").crop((0, 40, 800, 140))
    assert band.getextrema()[1] < 40


def test_a_withdrawn_copy_no_longer_reaches_the_clinic(
    patient_case: Case, coordinator: Any, referral: tuple[Referral, Any]
) -> None:
    document = stored_document(patient_case, "pdf", canary_pdf())
    release(coordinator, document, [])
    shared_name = Document.objects.get(pk=document.pk).shared_file
    url = reverse("records_document_share", args=[patient_case.reference, document.pk])
    signed_in(coordinator).post(url, {"action": "withdraw"})
    assert not default_storage.exists(shared_name)
    doctor_url = reverse("referral_document", args=[referral[0].pk, document.pk])
    assert signed_in(referral[1]).get(doctor_url).status_code == 404


def test_boxes_off_the_document_change_nothing(patient_case: Case, coordinator: Any) -> None:
    document = stored_document(patient_case, "pdf", canary_pdf())
    url = reverse("records_document_share", args=[patient_case.reference, document.pk])
    bad = json.dumps([{**NAME_BOX, "page": 3}])
    response = signed_in(coordinator).post(url, {"action": "release", "boxes": bad})
    assert response.status_code == 422
    assert Document.objects.get(pk=document.pk).shared_file == ""


def test_a_release_without_a_box_needs_the_tick_that_nothing_identifies(
    patient_case: Case, coordinator: Any
) -> None:
    document = stored_document(patient_case, "pdf", canary_pdf())
    url = reverse("records_document_share", args=[patient_case.reference, document.pk])
    response = signed_in(coordinator).post(url, {"action": "release", "boxes": "[]"})
    assert response.status_code == 422
    assert "tick that there is none" in response.content.decode()
    assert Document.objects.get(pk=document.pk).shared_file == ""
