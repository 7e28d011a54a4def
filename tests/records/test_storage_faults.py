"""A full disk or an unreachable bucket during an upload: a clear answer, what arrived kept,
nothing half-stored, and the same upload finished once the storage is back."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path
from typing import IO, Any

import pytest
from django.http import UnreadablePostError
from django.utils import translation

from oncoroute.records import partial, services
from oncoroute.records.models import Document, Upload
from tests.records.conftest import partial_files, stored_files
from tests.records.helpers import PDF
from tests.records.test_views import send, signed_in, start

pytestmark = pytest.mark.django_db

DATA = PDF * (3 * 1024 * 1024 // len(PDF))  # three blocks and a bit


def _disk_full(error_number: int = errno.ENOSPC) -> OSError:
    return OSError(error_number, "No space left on device")


def test_a_disk_that_fills_during_a_chunk_keeps_the_whole_blocks_and_resumes(
    patient: Any, patient_case: Any, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_append = partial.append
    blocks = {"written": 0}

    def fills_after_one_block(fp: IO[bytes], sealer: Any, offset: int, block: bytes) -> None:
        if blocks["written"] == 1:
            fp.write(b"\x00" * 1000)  # the kernel took part of the record, then refused
            raise _disk_full()
        real_append(fp, sealer, offset, block)
        blocks["written"] += 1

    client = signed_in(patient)
    upload = start(client, patient_case, len(DATA)).json()
    monkeypatch.setattr(services.partial, "append", fills_after_one_block)
    answer = send(client, upload, DATA, 0, len(DATA))

    assert answer.status_code == 503
    assert answer["Retry-After"]
    assert "try again" in answer.json()["error"]
    kept = answer.json()["received"]
    assert kept == services._BLOCK
    assert Upload.objects.get().state == Upload.State.RECEIVING

    monkeypatch.setattr(services.partial, "append", real_append)
    assert send(client, upload, DATA[kept:], kept, len(DATA)).json()["received"] == len(DATA)
    assert client.post(upload["urls"]["complete"]).status_code == 200
    assert Document.objects.get().sha256 == hashlib.sha256(DATA).hexdigest()
    assert partial_files(media_root) == []


def test_a_storage_failure_on_completing_stores_nothing_and_the_upload_can_finish_later(
    patient: Any, patient_case: Any, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuses(source: IO[bytes], name: str) -> str:
        raise _disk_full()

    client = signed_in(patient)
    upload = start(client, patient_case, len(DATA)).json()
    send(client, upload, DATA, 0, len(DATA))
    real_store = services.store_stream
    monkeypatch.setattr(services, "store_stream", refuses)
    answer = client.post(upload["urls"]["complete"])

    assert answer.status_code == 503
    assert "Nothing you sent is lost" in answer.json()["error"]
    assert stored_files(media_root) == []
    assert not Document.objects.exists()
    assert Upload.objects.get().state == Upload.State.RECEIVING

    monkeypatch.setattr(services, "store_stream", real_store)
    assert client.post(upload["urls"]["complete"]).status_code == 200
    assert Document.objects.get().sha256 == hashlib.sha256(DATA).hexdigest()


def test_an_upload_larger_than_the_free_space_is_refused_before_a_byte_is_sent(
    patient: Any, patient_case: Any, media_root: Path, settings: Any
) -> None:
    free = services.shutil.disk_usage(services.work_dir()).free
    settings.RECORDS_MAX_UPLOAD_BYTES = 4 * free
    # Twice the free space: other work on the machine may free some meanwhile.
    answer = start(signed_in(patient), patient_case, 2 * free)
    assert answer.status_code == 503
    assert "cannot store files" in answer.json()["error"]
    assert not Upload.objects.exists()
    assert partial_files(media_root) == []


def test_the_answer_is_in_the_family_language(
    patient: Any, patient_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuses(source: IO[bytes], name: str) -> str:
        raise _disk_full(errno.EDQUOT)

    client = signed_in(patient)
    client.cookies["django_language"] = "ru"
    upload = start(client, patient_case, len(PDF)).json()
    send(client, upload, PDF, 0, len(PDF))
    monkeypatch.setattr(services, "store_stream", refuses)
    try:
        answer = client.post(upload["urls"]["complete"])
    finally:
        translation.deactivate()  # the request left Russian on for this thread
    assert answer.status_code == 503
    assert "Ничего из отправленного не потеряно" in answer.json()["error"]


class _DropsAfterOneBlock:
    """A request body whose sender goes away after the first block."""

    def __init__(self, data: bytes) -> None:
        self.data, self.reads = data, 0

    def read(self, size: int = -1, /) -> bytes:
        self.reads += 1
        if self.reads > 1:
            raise UnreadablePostError("the client went away")
        return self.data[:size]


def test_a_sender_that_goes_away_mid_chunk_is_not_taken_for_a_full_disk(
    patient: Any, patient_case: Any
) -> None:
    upload = services.upload_start(
        case=patient_case, actor=patient, filename="report.pdf", size=len(DATA)
    )
    with pytest.raises(UnreadablePostError):
        services.upload_chunk(
            upload=upload, start=0, stream=_DropsAfterOneBlock(DATA), length=len(DATA)
        )
    upload.refresh_from_db()
    # What arrived is kept, for the page to send the rest.
    assert upload.received == services._BLOCK
    assert upload.state == Upload.State.RECEIVING
