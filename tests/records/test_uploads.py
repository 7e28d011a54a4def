from __future__ import annotations

import fcntl
import hashlib
import io
import stat
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from oncoroute.cases.models import CaseEvent
from oncoroute.records import services
from oncoroute.records.content import RecordRefused
from oncoroute.records.models import Document, Instance, Study, Upload
from tests.records.conftest import partial_files, stored_files
from tests.records.helpers import JPEG, PDF, PNG, upload_bytes
from tests.records.studies import study_zip

pytestmark = pytest.mark.django_db


def test_a_pdf_is_stored_with_its_checksum_and_an_event(patient: Any, media_root: Path) -> None:
    upload = upload_bytes(
        case=patient.cases.get(), actor=patient, data=PDF, filename="report.pdf", chunk=10
    )
    document = Document.objects.get()
    assert upload.state == Upload.State.DONE
    assert document.kind == "pdf"
    assert document.original_name == "report.pdf"
    assert document.sha256 == upload.sha256 == hashlib.sha256(PDF).hexdigest()
    assert default_storage.open(document.file).read() == PDF
    event = CaseEvent.objects.get(kind=CaseEvent.Kind.RECORD_UPLOADED)
    assert event.actor == patient
    assert event.data == {
        "upload": str(upload.pk),
        "record_kind": "document",
        "bytes": len(PDF),
        "files": 1,
    }
    assert partial_files(media_root) == []


@pytest.mark.parametrize(("data", "kind"), [(JPEG, "jpeg"), (PNG, "png")])
def test_photos_of_reports_are_documents(patient: Any, data: bytes, kind: str) -> None:
    upload_bytes(case=patient.cases.get(), actor=patient, data=data, filename="photo")
    assert Document.objects.get().kind == kind


def test_the_name_does_not_decide_the_type(patient: Any, media_root: Path) -> None:
    with pytest.raises(RecordRefused, match="not accepted"):
        upload_bytes(
            case=patient.cases.get(), actor=patient, data=b"just text " * 20, filename="scan.pdf"
        )
    upload = Upload.objects.get()
    assert upload.state == Upload.State.FAILED
    assert "not accepted" in upload.error
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []
    assert partial_files(media_root) == []


def test_an_upload_larger_than_the_limit_is_refused_at_the_start(
    patient: Any, settings: Any
) -> None:
    settings.RECORDS_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(RecordRefused, match="at most 1000 bytes"):
        services.upload_start(case=patient.cases.get(), actor=patient, filename="x", size=1001)
    assert Upload.objects.count() == 0


def test_a_document_larger_than_its_limit_is_refused(
    patient: Any, settings: Any, media_root: Path
) -> None:
    settings.RECORDS_MAX_DOCUMENT_BYTES = 40
    with pytest.raises(RecordRefused, match="at most 40 bytes"):
        upload_bytes(case=patient.cases.get(), actor=patient, data=PDF)
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_damaged_transfer_is_caught_by_its_checksum(patient: Any, media_root: Path) -> None:
    with pytest.raises(RecordRefused, match="checksum"):
        upload_bytes(case=patient.cases.get(), actor=patient, data=PDF, sha256="0" * 64)
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_chunk_must_start_where_the_upload_stands(patient: Any) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    services.upload_chunk(upload=upload, start=0, stream=io.BytesIO(PDF[:10]), length=10)
    with pytest.raises(services.UploadConflict) as conflict:
        services.upload_chunk(upload=upload, start=20, stream=io.BytesIO(PDF[20:]), length=5)
    assert conflict.value.received == 10


def test_a_broken_connection_keeps_what_arrived(patient: Any) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    # The client announced 30 bytes but the connection broke after 12.
    upload = services.upload_chunk(upload=upload, start=0, stream=io.BytesIO(PDF[:12]), length=30)
    assert upload.received == 12
    services.upload_chunk(
        upload=upload, start=12, stream=io.BytesIO(PDF[12:]), length=len(PDF) - 12
    )
    services.upload_complete(upload=upload)
    assert default_storage.open(Document.objects.get().file).read() == PDF


def test_completing_an_unfinished_upload_is_refused(patient: Any) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    with pytest.raises(services.UploadConflict, match="not complete"):
        services.upload_complete(upload=upload)
    assert Upload.objects.get().state == Upload.State.RECEIVING
    assert services.partial_path(upload).exists()


def test_two_chunks_of_one_upload_are_never_written_at_once(patient: Any) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    with services.partial_path(upload).open("r+b") as busy:
        fcntl.flock(busy, fcntl.LOCK_EX)
        with pytest.raises(services.UploadConflict, match="being received"):
            services.upload_chunk(upload=upload, start=0, stream=io.BytesIO(PDF), length=len(PDF))
    assert Upload.objects.get().received == 0


def test_stale_uploads_are_cancelled_and_their_partial_files_deleted(
    patient: Any, media_root: Path
) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    services.upload_chunk(upload=upload, start=0, stream=io.BytesIO(PDF[:10]), length=10)
    Upload.objects.update(updated_at=timezone.now() - timedelta(days=2))
    assert services.uploads_cleanup_stale() == 1
    assert Upload.objects.get().state == Upload.State.CANCELLED
    assert partial_files(media_root) == []


def _zip_with(members: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _assert_nothing_stored(media_root: Path) -> None:
    assert Study.objects.count() == 0
    assert Instance.objects.count() == 0
    assert Upload.objects.get().state == Upload.State.FAILED
    assert stored_files(media_root) == []
    assert partial_files(media_root) == []


def test_a_zip_bomb_is_refused_and_nothing_is_stored(patient: Any, media_root: Path) -> None:
    bomb = _zip_with({"IMG0001": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(RecordRefused, match="ZIP bomb"):
        upload_bytes(case=patient.cases.get(), actor=patient, data=bomb, filename="cd.zip")
    _assert_nothing_stored(media_root)


def test_a_zip_over_the_unpacked_size_cap_is_refused(
    patient: Any, settings: Any, media_root: Path
) -> None:
    settings.RECORDS_MAX_UNPACKED_BYTES = 1000
    archive = _zip_with({"a": b"x" * 600, "b": b"y" * 600})
    with pytest.raises(RecordRefused, match="would unpack to"):
        upload_bytes(case=patient.cases.get(), actor=patient, data=archive)
    _assert_nothing_stored(media_root)


def test_a_zip_with_too_many_files_is_refused(
    patient: Any, settings: Any, media_root: Path
) -> None:
    settings.RECORDS_MAX_ZIP_FILES = 3
    archive = _zip_with({f"f{i}": b"x" for i in range(4)})
    with pytest.raises(RecordRefused, match="holds 4 files"):
        upload_bytes(case=patient.cases.get(), actor=patient, data=archive)
    _assert_nothing_stored(media_root)


@pytest.mark.parametrize(
    ("members", "symlink", "message"),
    [
        ({"../../outside.dcm": b"x"}, None, "leaves its folder"),
        ({"/var/abs.dcm": b"x"}, None, "absolute path"),
        ({"ok.dcm": b"x"}, "link.dcm", "link"),
    ],
)
def test_a_zip_that_escapes_its_folder_is_refused(
    patient: Any,
    media_root: Path,
    tmp_path: Path,
    members: dict[str, bytes],
    symlink: str | None,
    message: str,
) -> None:
    with pytest.raises(RecordRefused, match=message):
        upload_bytes(
            case=patient.cases.get(), actor=patient, data=_zip_with(members, symlink=symlink)
        )
    _assert_nothing_stored(media_root)
    assert not (tmp_path / "outside.dcm").exists()


def test_a_zip_without_dicom_images_is_refused(patient: Any, media_root: Path) -> None:
    """Known only once unpacked: the worker refuses it, and the page reads why."""
    upload = upload_bytes(
        case=patient.cases.get(), actor=patient, data=_zip_with({"readme.txt": b"hi" * 10})
    )
    assert upload.state == Upload.State.FAILED
    assert "No DICOM images" in upload.error
    _assert_nothing_stored(media_root)


def test_a_failure_while_storing_leaves_nothing_behind(
    patient: Any, media_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, _ = study_zip(tmp_path, n_slices=4)
    calls = {"n": 0}
    real = services.store_file

    def flaky(path: Path, name: str) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            # Not a storage error: a full store waits instead (test_background_index).
            raise RuntimeError("broken")
        return real(path, name)

    monkeypatch.setattr(services, "store_file", flaky)
    upload = upload_bytes(case=patient.cases.get(), actor=patient, data=archive.read_bytes())
    assert upload.state == Upload.State.FAILED  # in the worker, which says so on the page
    _assert_nothing_stored(media_root)
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.RECORD_UPLOADED).exists()


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("re\x00port\r\n.pdf", "report.pdf"),
        ("scan\t2024\x7f.pdf", "scan2024.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u2066mri\u2069 \u200eresult\u200f.pdf", "mri result.pdf"),
        ("folder/\u202e\u200b\ufeff", "file"),
    ],
)
def test_control_and_bidirectional_characters_never_reach_a_stored_name(
    patient: Any, sent: str, stored: str
) -> None:
    upload = upload_bytes(case=patient.cases.get(), actor=patient, data=PDF, filename=sent)
    assert Upload.objects.get(pk=upload.pk).filename == stored
    assert Document.objects.get().original_name == stored


def test_partial_files_are_readable_by_the_service_alone(patient: Any) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    services.upload_chunk(upload=upload, start=0, stream=io.BytesIO(PDF[:10]), length=10)
    path = services.partial_path(upload)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_partial_file_changed_on_disk_is_refused(patient: Any, media_root: Path) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    services.upload_chunk(upload=upload, start=0, stream=io.BytesIO(PDF), length=len(PDF))
    path = services.partial_path(upload)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(RecordRefused, match="damaged"):
        services.upload_complete(upload=upload)
    assert Upload.objects.get().state == Upload.State.FAILED
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []
    assert partial_files(media_root) == []


def test_what_a_crash_wrote_past_the_received_bytes_is_overwritten(patient: Any) -> None:
    upload = services.upload_start(
        case=patient.cases.get(), actor=patient, filename="a.pdf", size=len(PDF)
    )
    services.upload_chunk(upload=upload, start=0, stream=io.BytesIO(PDF[:10]), length=10)
    with services.partial_path(upload).open("ab") as fp:
        fp.write(b"\x00\x00\x00\x09half a block")
    services.upload_chunk(
        upload=upload, start=10, stream=io.BytesIO(PDF[10:]), length=len(PDF) - 10
    )
    services.upload_complete(upload=upload)
    assert default_storage.open(Document.objects.get().file).read() == PDF


def test_a_zip_sent_in_small_parts_is_read_across_them(patient: Any, tmp_path: Path) -> None:
    archive, _ = study_zip(tmp_path, n_slices=4)
    upload_bytes(case=patient.cases.get(), actor=patient, data=archive.read_bytes(), chunk=4000)
    assert Instance.objects.count() == 4
