"""Why an upload was refused reaches its reader in their language: at once, in the answer to the
request (the request's language), and later, when a disc refused by the worker (which has no
page language) is shown on the page (stored in English, translated for whoever reads it)."""

from __future__ import annotations

import ast
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oncoroute.records.models import Study, Upload
from tests.records.helpers import index_in_worker

pytestmark = pytest.mark.django_db

RECORDS = Path(__file__).resolve().parents[2] / "src" / "oncoroute" / "records"
NO_DICOM_EN = "No DICOM images were found in this upload."
NO_DICOM_RU = "В загруженном файле не нашлось снимков в формате DICOM."


@pytest.fixture
def reader(patient: Any) -> Iterator[Any]:
    """A signed-in browser of the patient in a chosen language (``reader("ru")``)."""

    def make(language: str) -> Client:
        client = Client()
        client.force_login(patient)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        return client

    try:
        yield make
    finally:
        translation.deactivate()  # the last request's language must not reach later tests


def _zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _send_whole(client: Client, case: Any, data: bytes, name: str) -> Any:
    """Start, send in one chunk and complete an upload through the page's endpoints."""
    url = reverse("records_upload_start", args=[case.reference])
    upload = client.post(url, {"filename": name, "size": len(data)}).json()
    sent = client.post(
        upload["urls"]["chunk"],
        data=data,
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
    )
    assert sent.status_code == 200
    return client.post(upload["urls"]["complete"])


def test_an_empty_file_is_refused_in_russian(reader: Any, patient_case: Any) -> None:
    url = reverse("records_upload_start", args=[patient_case.reference])
    answer = reader("ru").post(url, {"filename": "снимок.pdf", "size": 0})
    assert answer.status_code == 422
    assert answer.json()["error"] == "Файл пустой."
    answer = reader("en").post(url, {"filename": "scan.pdf", "size": 0})
    assert answer.json()["error"] == "The file is empty."


def test_a_file_of_a_kind_not_taken_is_refused_in_russian(reader: Any, patient_case: Any) -> None:
    client, data = reader("ru"), b"MZ" + b"\x00" * 200
    url = reverse("records_upload_start", args=[patient_case.reference])
    upload = client.post(url, {"filename": "scan.pdf", "size": len(data)}).json()
    answer = client.post(  # refused at its first bytes, not once all of it was sent
        upload["urls"]["chunk"],
        data=data,
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("Файлы такого типа мы не принимаем.")
    # What is kept on the upload is the English msgid, to be worded for whoever reads it.
    assert Upload.objects.get().error.startswith("This kind of file is not accepted")


def test_a_refusal_with_values_names_them_in_russian(
    reader: Any, patient_case: Any, settings: Any
) -> None:
    settings.RECORDS_MAX_ZIP_FILES = 3
    archive = _zip_with({f"f{i}.dcm": b"x" for i in range(4)})
    answer = _send_whole(reader("ru"), patient_case, archive, "disc.zip")
    assert answer.status_code == 422
    assert answer.json()["error"] == "Файлов в ZIP-архиве: 4, а принять мы можем не больше 3."


def test_a_disc_refused_by_the_worker_reads_in_the_readers_language(
    reader: Any, patient_case: Any
) -> None:
    russian, english = reader("ru"), reader("en")
    answer = _send_whole(russian, patient_case, _zip_with({"readme.txt": b"hi" * 10}), "cd.zip")
    assert answer.status_code == 200
    assert answer.json()["state"] == "processing"
    # The worker may run with any language active (or none): it stores the English msgid.
    with translation.override("ru"):
        index_in_worker(Upload.objects.get())
    upload = Upload.objects.get()
    assert upload.state == Upload.State.FAILED
    assert upload.error == NO_DICOM_EN
    status = answer.json()["urls"]["status"]
    assert russian.get(status).json()["error"] == NO_DICOM_RU
    assert english.get(status).json()["error"] == NO_DICOM_EN


def test_a_failed_shareable_copy_says_why_in_the_readers_language(patient_case: Any) -> None:
    study = Study(
        case=patient_case,
        deid_state=Study.Deid.FAILED,
        deid_error="The de-identified copy could not be made.",
    )
    with translation.override("ru"):
        assert study.deid_error_shown == "Не удалось сделать обезличенную копию."
    with translation.override("en"):
        assert study.deid_error_shown == "The de-identified copy could not be made."
    assert Study(case=patient_case).deid_error_shown == ""


_REFUSALS = {"RecordRefused", "UploadConflict"}
_MARKERS = {"gettext_noop", "gettext", "_", "ngettext"}


def _unmarked_refusals(path: Path) -> list[str]:
    """Refusals raised with a plain string (or f-string) rather than a marked msgid."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in _REFUSALS):
            continue
        if not node.args:
            continue
        message = node.args[0]
        if isinstance(message, ast.BinOp):  # _("... %(x)s") % {...}
            message = message.left
        marked = isinstance(message, ast.Call) and getattr(message.func, "id", "") in _MARKERS
        if not marked and not isinstance(message, ast.Name):  # a name holds a marked msgid
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_every_refusal_in_records_is_marked_for_translation() -> None:
    unmarked = [
        where for path in sorted(RECORDS.glob("*.py")) for where in _unmarked_refusals(path)
    ]
    assert not unmarked, f"refusals not marked for translation: {unmarked}"
