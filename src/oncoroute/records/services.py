"""Writes on records: uploads in chunks, storing documents and studies, de-identified copies."""

from __future__ import annotations

import fcntl
import logging
import secrets
import shutil
import tempfile
import time
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO, Protocol, cast

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, Message
from oncoroute.cases.services import message_send
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.privacy.keys import unwrap
from oncoroute.records import cleaning, content, dicom, drawing, events, frames, partial
from oncoroute.records.content import Kind, RecordRefused
from oncoroute.records.models import (
    CaseRecords,
    Document,
    HeldImage,
    Instance,
    Series,
    Study,
    Upload,
    ViewerImage,
)
from oncoroute.records.storage import delete_stored, store_bytes, store_file, store_stream, work_dir

logger = logging.getLogger(__name__)

MAX_CHUNK_BYTES = 16 * 1024 * 1024
_BLOCK = 1024 * 1024
_DOCUMENT_KINDS = {Kind.PDF: "pdf", Kind.JPEG: "jpg", Kind.PNG: "png"}
_ZIP_DAMAGED = gettext_noop("The ZIP file is damaged or uses an unsupported format.")
_NOT_ACCEPTED = gettext_noop(
    "This kind of file is not accepted: please upload a PDF, a JPEG or PNG photo, "
    "a ZIP of an imaging CD, or DICOM files."
)
# Shown while a received disc waits for the storage (Upload.error of an upload still processing).
STORAGE_WAIT = gettext_noop(
    "We cannot store files at the moment. Nothing you sent is lost: the disc will be "
    "unpacked on its own when there is room again."
)


_Progress = Callable[[int, int], None]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class StorageUnavailable(Exception):
    """The disk or the bucket refused a write (full, or unreachable). Nothing of the step is
    kept but what had arrived before it: the upload stays open, to be sent or finished again."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "We cannot store files at the moment. Nothing you sent is lost: "
                "please try again in a few minutes."
            )
        )


class UploadConflict(Exception):
    """A chunk that does not start where the upload stands, or an upload no longer open."""

    def __init__(self, message: str, *, received: int) -> None:
        super().__init__(message)
        self.received = received


def partial_path(upload: Upload) -> Path:
    return work_dir() / f"{upload.pk}.part"


def _sealer(upload: Upload) -> partial.Sealer:
    data_key = upload.case.data_key_resolve()
    return partial.Sealer(key=unwrap(data_key), key_id=data_key.pk, upload_id=str(upload.pk))


def case_records_get(*, case: Case) -> CaseRecords:
    """The case's records settings, creating its one date shift the first time."""
    shift = -(secrets.randbelow(3650) + 1)
    records, _ = CaseRecords.objects.get_or_create(case=case, defaults={"date_shift_days": shift})
    return records


def upload_start(*, case: Case, actor: User, filename: str, size: int, sha256: str = "") -> Upload:
    """Open an upload of ``size`` bytes; its chunks go to a partial file until completed."""
    filename = content.clean_filename(filename)
    if size <= 0:
        raise RecordRefused(gettext_noop("The file is empty."))
    if size > settings.RECORDS_MAX_UPLOAD_BYTES:
        raise RecordRefused(
            gettext_noop("The file is %(size)s; one upload may be at most %(limit)s."),
            {
                "size": content.human_size(size),
                "limit": content.human_size(settings.RECORDS_MAX_UPLOAD_BYTES),
            },
        )
    sha256 = sha256.strip().lower()
    if sha256 and (len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256)):
        raise RecordRefused(
            gettext_noop("The checksum must be 64 hexadecimal characters (SHA-256).")
        )
    uploads_cleanup_stale()
    if shutil.disk_usage(work_dir()).free < size:
        raise StorageUnavailable
    try:
        with transaction.atomic():
            # One account's uploads start one after the other, so that two cannot both pass
            # the caps.
            User.objects.select_for_update().get(pk=actor.pk)
            _check_unfinished_uploads(actor, size)
            upload = Upload.objects.create(
                case=case, uploaded_by=actor, filename=filename, size=size, sha256_expected=sha256
            )
            partial.create(partial_path(upload), _sealer(upload))
    except OSError as error:
        raise StorageUnavailable from error
    return upload


def _check_unfinished_uploads(actor: User, size: int) -> None:
    """Refuse an upload that would leave the account too many unfinished uploads, or bytes."""
    held = Upload.objects.filter(uploaded_by=actor, state=Upload.State.RECEIVING).aggregate(
        count=Count("pk"), reserved=Sum("size")
    )
    values = {
        "count": held["count"],
        "hours": settings.RECORDS_STALE_UPLOAD_HOURS,
        "limit": content.human_size(settings.RECORDS_MAX_OPEN_UPLOAD_BYTES),
    }
    if held["count"] >= settings.RECORDS_MAX_OPEN_UPLOADS:
        raise RecordRefused(
            ngettext(
                "You have %(count)d unfinished upload. Please let it finish or cancel it before "
                "starting another; choosing the same file again resumes it, and unfinished "
                "uploads are dropped after %(hours)d hours.",
                "You have %(count)d unfinished uploads. Please let one finish or cancel it before "
                "starting another; choosing the same file again resumes it, and unfinished "
                "uploads are dropped after %(hours)d hours.",
                held["count"],
            )
            % values
        )
    if (held["reserved"] or 0) + size > settings.RECORDS_MAX_OPEN_UPLOAD_BYTES:
        raise RecordRefused(
            _(
                "With this file your unfinished uploads would hold more than %(limit)s, the most "
                "one account may have waiting. Please let one finish or cancel it first; "
                "choosing the same file again resumes it, and unfinished uploads are dropped "
                "after %(hours)d hours."
            )
            % values
        )


def upload_chunk(*, upload: Upload, start: int, stream: Readable, length: int) -> Upload:
    """Write ``length`` bytes read from ``stream`` at ``start``, which must be the bytes received.

    A connection that breaks mid-chunk keeps what arrived: the client asks for the offset and
    sends the rest.
    """
    if length > MAX_CHUNK_BYTES:
        raise RecordRefused(
            gettext_noop("A chunk may be at most %(limit)s."),
            {"limit": content.human_size(MAX_CHUNK_BYTES)},
        )
    sealer = _sealer(upload)
    path = partial_path(upload)
    try:
        # Unbuffered: after a failed write no buffered bytes wait to land past the truncation.
        fp = path.open("r+b", buffering=0)
    except FileNotFoundError:
        raise UploadConflict(
            _("This upload is no longer open."), received=upload.received
        ) from None
    with fp:
        # A file lock, not a row lock: a slow phone may take a minute to send a chunk, and no
        # database transaction may stay open that long (SQLite would lock out every writer).
        try:
            fcntl.flock(fp, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadConflict(
                _("Another part of this file is being received."), received=upload.received
            ) from None
        upload.refresh_from_db()
        _check_chunk(upload, start, length)
        _seek_partial(fp, sealer, upload)
        written, end = 0, fp.tell()
        try:
            while written < length:
                block = stream.read(min(_BLOCK, length - written))
                if not block:
                    break
                if start + written == 0:
                    _refuse_unknown_kind(upload, block)
                try:
                    partial.append(fp, sealer, start + written, block)
                except OSError as error:
                    # A full disk: this block may be half-written; the ones before are whole.
                    raise StorageUnavailable from error
                written, end = written + len(block), fp.tell()
        finally:
            fp.truncate(end)
            moved = Upload.objects.filter(
                pk=upload.pk, state=Upload.State.RECEIVING, received=start
            ).update(received=start + written, updated_at=timezone.now())
    if not moved:
        upload.refresh_from_db()
        raise UploadConflict(_("This upload is no longer open."), received=upload.received)
    upload.refresh_from_db()
    return upload


def _refuse_unknown_kind(upload: Upload, head: bytes) -> None:
    """Refuse a file we do not take at its first bytes, not after the whole of it was sent."""
    if len(head) >= min(content.HEAD_BYTES, upload.size) and content.sniff(head) is None:
        _fail(upload, _NOT_ACCEPTED)
        raise RecordRefused(_NOT_ACCEPTED)


def _seek_partial(fp: IO[bytes], sealer: partial.Sealer, upload: Upload) -> None:
    """Place ``fp`` after what was received; what a crash wrote past it is overwritten."""
    try:
        partial.seek_after(fp, sealer, upload.received)
    except partial.PartialDamaged as damaged:
        _fail(upload, damaged.english)
        raise


def _check_chunk(upload: Upload, start: int, length: int) -> None:
    if upload.state != Upload.State.RECEIVING:
        raise UploadConflict(_("This upload is no longer open."), received=upload.received)
    if start != upload.received:
        raise UploadConflict(
            _("The chunk does not start where the upload stands."), received=upload.received
        )
    if start + length > upload.size:
        raise RecordRefused(gettext_noop("The chunk goes past the size announced for the file."))


@dataclass
class _Staged:
    """Files checked and read, ready to be moved into storage in one short transaction."""

    kind: Kind
    sha256: str
    dicoms: list[tuple[Path, dicom.Header, str]] = field(default_factory=list)
    skipped: int = 0


def upload_complete(*, upload: Upload) -> Upload:
    """Check the whole file and store it as a document or as imaging; refuse it otherwise.

    The heavy work (checksums, unpacking, headers) happens before the transaction; the
    transaction only moves checked files into place and writes rows, so a failure at any
    point leaves neither rows nor stored files behind.
    """
    path = partial_path(upload)
    staging = work_dir() / f"{upload.pk}.unpacked"
    stored: list[str] = []
    try:
        with _open_partial(upload, path) as source:
            if content.sniff(source.read(content.HEAD_BYTES)) == Kind.ZIP:
                # What the central directory tells (bombs, paths, links, counts) is refused here;
                # unpacking and reading thousands of files is the worker's.
                _zip_directory_check(source, upload.size)
                return _index_in_background(upload)
            source.seek(0)
            staged = _stage(upload, source, staging)
            with transaction.atomic():
                locked = Upload.objects.select_for_update().get(pk=upload.pk)
                if locked.state != Upload.State.RECEIVING:
                    raise UploadConflict(
                        _("This upload is no longer open."), received=locked.received
                    )
                _store(locked, source, staged, stored)
    except UploadConflict:
        delete_stored(stored)
        raise
    except OSError as error:
        # The disk or the bucket is full or away: the file received stays, to finish later.
        delete_stored(stored)
        raise StorageUnavailable from error
    except RecordRefused as refusal:
        delete_stored(stored)
        _fail(upload, refusal.english)
        raise
    except Exception:
        delete_stored(stored)
        _fail(upload, gettext_noop("The file could not be stored; please try again."))
        raise
    finally:
        content.remove_tree(staging)
    path.unlink(missing_ok=True)
    return locked


def _open_partial(upload: Upload, path: Path, state: str = Upload.State.RECEIVING) -> IO[bytes]:
    """The received file, decrypted as it is read, once every byte of it has arrived."""
    sealer = _sealer(upload)
    upload.refresh_from_db()
    if upload.state != state:
        raise UploadConflict(_("This upload is no longer open."), received=upload.received)
    if upload.received != upload.size:
        raise UploadConflict(_("The upload is not complete yet."), received=upload.received)
    return partial.open_reader(path, sealer, upload.size)


def _stage(
    upload: Upload, source: IO[bytes], staging: Path, progress: _Progress | None = None
) -> _Staged:
    sha256 = content.sha256_of_stream(source)
    if upload.sha256_expected and sha256 != upload.sha256_expected:
        raise RecordRefused(
            gettext_noop("The file arrived damaged (its checksum differs); please upload it again.")
        )
    source.seek(0)
    kind = content.sniff(source.read(content.HEAD_BYTES))
    source.seek(0)
    if kind is None:
        raise RecordRefused(_NOT_ACCEPTED)
    if kind in _DOCUMENT_KINDS:
        if upload.size > settings.RECORDS_MAX_DOCUMENT_BYTES:
            raise RecordRefused(
                gettext_noop("A document (PDF or photo) may be at most %(limit)s."),
                {"limit": content.human_size(settings.RECORDS_MAX_DOCUMENT_BYTES)},
            )
        return _Staged(kind=kind, sha256=sha256)
    staging.mkdir(parents=True, exist_ok=True)
    if kind == Kind.DICOM:
        # Read and stored from a plain copy in the private staging folder, like a ZIP's members.
        files = [content.copy_stream(source, staging / "upload.dcm")]
    else:
        files = _unpack(source, upload.size, staging, progress)
    return _read_dicoms(_Staged(kind=kind, sha256=sha256), files, progress)


def _zip_limits() -> content.ZipLimits:
    return content.ZipLimits(
        max_total_bytes=settings.RECORDS_MAX_UNPACKED_BYTES,
        max_ratio=settings.RECORDS_MAX_ZIP_RATIO,
        max_files=settings.RECORDS_MAX_ZIP_FILES,
    )


def _unpack(
    source: IO[bytes], size: int, staging: Path, progress: _Progress | None = None
) -> list[Path]:
    try:
        with zipfile.ZipFile(source) as archive:
            content.check_zip(archive, compressed_size=size, limits=_zip_limits())
            unpacked = (lambda done, total: progress(done, 2 * total)) if progress else None
            return content.extract_zip(archive, staging, limits=_zip_limits(), progress=unpacked)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise RecordRefused(_ZIP_DAMAGED) from error


def _zip_directory_check(source: IO[bytes], size: int) -> None:
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            content.check_zip(archive, compressed_size=size, limits=_zip_limits())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise RecordRefused(_ZIP_DAMAGED) from error


def _read_dicoms(staged: _Staged, files: list[Path], progress: _Progress | None = None) -> _Staged:
    seen: set[str] = set()
    for number, file in enumerate(files):
        if progress is not None:
            progress(len(files) + number, 2 * len(files))
        header = None
        if content.sniff_file(file) == Kind.DICOM:
            try:
                header = dicom.read_header(file)
            except Exception:  # a damaged file among hundreds is skipped, not fatal
                header = None
        if header is None or header.sop_uid in seen:
            staged.skipped += 1
            continue
        seen.add(header.sop_uid)
        staged.dicoms.append((file, header, content.sha256_of(file)))
    if not staged.dicoms:
        raise RecordRefused(gettext_noop("No DICOM images were found in this upload."))
    return staged


def _store(upload: Upload, source: IO[bytes], staged: _Staged, stored: list[str]) -> list[Study]:
    studies: list[Study] = []
    upload.sha256 = staged.sha256
    if staged.kind in _DOCUMENT_KINDS:
        known = Document.objects.filter(case=upload.case, sha256=staged.sha256).first()
        if known is not None:
            # The same file sent again: kept once, and the family is told it is already here.
            upload.result = {"kind": "document", "document": known.pk, "again": True}
            upload.state = Upload.State.DONE
            upload.save(update_fields=["state", "sha256", "result", "updated_at"])
            return []
        name = (
            f"records/{upload.case_id}/documents/{uuid.uuid4().hex}.{_DOCUMENT_KINDS[staged.kind]}"
        )
        stored.append(store_stream(source, name))
        document = Document.objects.create(
            case=upload.case,
            uploaded_by=upload.uploaded_by,
            kind=staged.kind.value,
            original_name=upload.filename,
            file=stored[-1],
            size=upload.size,
            sha256=upload.sha256,
        )
        upload.result = {"kind": "document", "document": document.pk}
        files = 1
    else:
        studies, added = _store_dicoms(upload, staged, stored)
        upload.result = {
            "kind": "imaging",
            "studies": [s.pk for s in studies],
            "instances": added,
            "skipped": staged.skipped + len(staged.dicoms) - added,
        }
        files = added
    upload.state = Upload.State.DONE
    upload.save(update_fields=["state", "sha256", "result", "updated_at"])
    events.record_uploaded_event(
        case=upload.case,
        actor=upload.uploaded_by,
        upload_id=str(upload.pk),
        kind="document" if staged.kind in _DOCUMENT_KINDS else "imaging",
        size=upload.size,
        files=files,
    )
    for study in studies:
        _queue_deid(study)
    _queue_previews(studies)
    return studies


def _store_dicoms(upload: Upload, staged: _Staged, stored: list[str]) -> tuple[list[Study], int]:
    by_study: dict[str, list[tuple[Path, dicom.Header, str]]] = defaultdict(list)
    for item in staged.dicoms:
        by_study[item[1].study_uid].append(item)
    studies, added = [], 0
    for study_uid, items in by_study.items():
        study = _study_for(upload.case, study_uid, items[0][1])
        known = set(Instance.objects.filter(series__study=study).values_list("sop_uid", flat=True))
        series_by_uid: dict[str, Series] = {}
        for file, header, sha256 in items:
            if header.sop_uid in known:
                continue
            series = series_by_uid.get(header.series_uid) or _series_for(study, header)
            series_by_uid[header.series_uid] = series
            folder = _imports_dir(upload) if upload.state == Upload.State.PROCESSING else None
            name = f"{folder or study.storage_dir}/{uuid.uuid4().hex}.dcm"
            stored.append(store_file(file, name))
            Instance.objects.create(
                series=series,
                sop_uid=header.sop_uid,
                number=header.instance_number,
                position=header.position,
                has_pixels=header.has_pixels,
                file=stored[-1],
                size=default_storage.size(stored[-1]),
                sha256=sha256,
                upload=upload,
            )
            added += 1
        if series_by_uid:
            _index_study(study)
            studies.append(study)
    return studies, added


def _study_for(case: Case, study_uid: str, header: dicom.Header) -> Study:
    study, _ = Study.objects.get_or_create(
        case=case,
        study_uid=study_uid,
        defaults={"study_date": header.study_date, "description": header.study_description},
    )
    return study


def _series_for(study: Study, header: dicom.Header) -> Series:
    series, _ = Series.objects.get_or_create(
        study=study,
        series_uid=header.series_uid,
        defaults={
            "number": header.series_number,
            "modality": header.modality,
            "body_part": header.body_part,
            "description": header.series_description,
            "series_date": header.series_date,
            "preview_state": Series.Preview.PENDING,
        },
    )
    # New images change which slice is in the middle.
    if series.preview or series.preview_state != Series.Preview.PENDING:
        delete_stored([series.preview])
        series.preview, series.preview_state = "", Series.Preview.PENDING
        series.save(update_fields=["preview", "preview_state"])
    return series


def _index_study(study: Study) -> None:
    series = study.series.all()
    study.modalities = ", ".join(sorted({s.modality for s in series if s.modality}))[:100]
    study.body_parts = ", ".join(sorted({s.body_part for s in series if s.body_part}))[:200]
    study.save(update_fields=["modalities", "body_parts"])


def _queue_previews(studies: list[Study]) -> None:
    from oncoroute.records.tasks import series_previews_draw

    pending = Series.objects.filter(study__in=studies, preview_state=Series.Preview.PENDING)
    ids = list(pending.values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: series_previews_draw.enqueue(series_ids=ids))


def _fail(upload: Upload, message: str) -> None:
    """Mark the upload refused with ``message`` in English (a msgid, or ``refusal.english``).

    A disc's refusal is stored by the worker, which has no page language (or, run at once,
    whichever the request had): kept in English, it is translated by the page that shows it
    (``Upload.error_shown``), into the language its reader chose.
    """
    partial_path(upload).unlink(missing_ok=True)
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.state in {Upload.State.RECEIVING, Upload.State.PROCESSING}:
            locked.state, locked.error = Upload.State.FAILED, message[:300]
            locked.save(update_fields=["state", "error", "updated_at"])


def upload_cancel(*, upload: Upload) -> Upload:
    """Stop an upload and throw away what arrived of it."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.state == Upload.State.RECEIVING:
            upload.state = Upload.State.CANCELLED
            upload.save(update_fields=["state", "updated_at"])
    partial_path(upload).unlink(missing_ok=True)
    return upload


def uploads_cleanup_stale(*, older_than: timedelta | None = None) -> int:
    """Cancel uploads that stopped receiving long ago and delete their partial files."""
    age = older_than or timedelta(hours=settings.RECORDS_STALE_UPLOAD_HOURS)
    stale = Upload.objects.filter(state=Upload.State.RECEIVING, updated_at__lt=timezone.now() - age)
    count = 0
    for upload in stale:
        upload_cancel(upload=upload)
        count += 1
    return count


def series_previews_render(*, series_ids: list[int]) -> None:
    """Draw the middle image of each series as a PNG, or record why it is not drawn.

    Run by the worker, never in a request: decoding is bounded by the image's header first,
    then done in a child process under a memory limit.
    """
    for series in Series.objects.filter(pk__in=series_ids).select_related("study"):
        images = list(series.instances.filter(has_pixels=True).order_by("number", "position", "pk"))
        state, png = _preview_of(images[len(images) // 2]) if images else (Series.Preview.NONE, b"")
        name = f"records/{series.study.case_id}/previews/{series.pk}.png"
        _preview_save(series.pk, state, store_bytes(png, name) if png else "")


def _preview_of(image: Instance) -> tuple[Series.Preview, bytes]:
    try:
        with default_storage.open(image.file, "rb") as fp:
            geometry = dicom.read_geometry(cast(IO[bytes], fp))
            if geometry.frame_bytes > settings.RECORDS_PREVIEW_MAX_FRAME_BYTES:
                return Series.Preview.TOO_LARGE, b""
            fp.seek(0)
            # The child reads a plain copy, readable by this user only, removed when drawn.
            with tempfile.NamedTemporaryFile(dir=work_dir(), suffix=".dcm") as plain:
                shutil.copyfileobj(fp, plain)
                plain.flush()
                png = drawing.draw(
                    Path(plain.name),
                    memory_bytes=settings.RECORDS_PREVIEW_MEMORY_BYTES,
                    seconds=settings.RECORDS_PREVIEW_SECONDS,
                )
    except Exception as error:  # compressed syntaxes without a decoder, odd layouts, limits
        logger.warning("no preview for image %s: %s", image.pk, type(error).__name__)
        return Series.Preview.FAILED, b""
    return Series.Preview.DRAWN, png


def _preview_save(series_id: int, state: Series.Preview, name: str) -> None:
    with transaction.atomic():
        series = Series.objects.select_for_update().filter(pk=series_id).first()
        if series is None:  # erased while it was drawn
            delete_stored([name])
            return
        replaced = series.preview
        series.preview, series.preview_state = name, state
        series.save(update_fields=["preview", "preview_state"])
    if replaced != name:
        delete_stored([replaced])


def _queue_deid(study: Study) -> None:
    study = Study.objects.select_for_update().get(pk=study.pk)
    study.deid_generation += 1
    fields = ["deid_generation"]
    # A queued run reads the newest files when it starts; a running one notices the new
    # generation when it ends and queues itself again.
    if study.deid_state in {Study.Deid.DONE, Study.Deid.FAILED}:
        study.deid_state = Study.Deid.QUEUED
        study.deid_error = ""
        fields += ["deid_state", "deid_error"]
        _enqueue_deid_on_commit(study.pk)
    elif study.deid_generation == 1:
        _enqueue_deid_on_commit(study.pk)
    study.save(update_fields=fields)


def _enqueue_deid_on_commit(study_id: int) -> None:
    from oncoroute.records.tasks import study_deidentify

    transaction.on_commit(lambda: study_deidentify.enqueue(study_id=study_id))


@transaction.atomic
def study_deid_retry(*, study: Study) -> Study:
    """Queue a failed de-identification again."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    if study.deid_state == Study.Deid.FAILED:
        study.deid_state = Study.Deid.QUEUED
        study.deid_error = ""
        study.save(update_fields=["deid_state", "deid_error"])
        _enqueue_deid_on_commit(study.pk)
    return study


def study_deid_progress(*, study_id: int, generation: int, done: int, total: int) -> None:
    Study.objects.filter(pk=study_id, deid_generation=generation).update(
        deid_done=done, deid_total=total
    )


def study_deid_begin(*, study_id: int) -> Study | None:
    """Mark the run as started; None when the study is not waiting for one.

    A study left running is one whose worker died mid-run (only its own task ever runs it, and
    a later upload bumps the generation instead of queueing a second run): the task, run again,
    starts it afresh. Once done or failed, a run again does nothing."""
    with transaction.atomic():
        study = Study.objects.select_for_update().select_related("case").get(pk=study_id)
        if study.deid_state not in (Study.Deid.QUEUED, Study.Deid.RUNNING):
            return None
        study.deid_state = Study.Deid.RUNNING
        study.deid_done = 0
        study.deid_total = Instance.objects.filter(series__study=study).count()
        study.save(update_fields=["deid_state", "deid_done", "deid_total"])
    return study


@dataclass(frozen=True)
class DeidResult:
    """A finished run's archive and its counts, ready to publish."""

    archive: Path
    size: int
    sha256: str
    summary: dict[str, int]


def study_deid_finish(
    *, study: Study, generation: int, result: DeidResult | None, error: str
) -> bool:
    """Publish the run's archive, or record its failure; False if newer files made it stale."""
    old_archive = ""
    with transaction.atomic():
        locked = Study.objects.select_for_update().get(pk=study.pk)
        if locked.deid_generation != generation:
            locked.deid_state = Study.Deid.QUEUED
            locked.save(update_fields=["deid_state"])
            _enqueue_deid_on_commit(locked.pk)
            return False
        if result is None:
            locked.deid_state = Study.Deid.FAILED
            locked.deid_error = error[:300]
            locked.save(update_fields=["deid_state", "deid_error"])
            return True
        old_archive = locked.deid_archive
        name = f"records/{locked.case_id}/deidentified/study-{locked.pk}-{uuid.uuid4().hex[:8]}.zip"
        locked.deid_archive = store_file(result.archive, name)
        locked.deid_archive_size = result.size
        locked.deid_archive_sha256 = result.sha256
        locked.deid_summary = result.summary
        locked.deid_state = Study.Deid.DONE
        locked.deid_done = locked.deid_total
        locked.deid_at = timezone.now()
        locked.save()
        events.study_deidentified_event(
            case=locked.case,
            study_id=locked.pk,
            written=result.summary["written"],
            held_back=result.summary["held_back"],
            archive_bytes=result.size,
        )
    delete_stored([old_archive])
    return True


MAX_MESSAGE_ATTACHMENTS = 5


@dataclass
class _Attachment:
    file: UploadedFile[bytes]
    name: str
    size: int
    kind: Kind
    sha256: str


def _attachment_checked(file: UploadedFile[bytes]) -> _Attachment:
    """The records app's checks for a document, in the words of the person attaching it."""
    name, size = file.name or "", file.size or 0
    if size > settings.RECORDS_MAX_DOCUMENT_BYTES:
        raise RecordRefused(
            _("%(name)s is too large: a document (PDF or photo) may be at most %(limit)s.")
            % {
                "name": content.clean_filename(name),
                "limit": content.human_size(settings.RECORDS_MAX_DOCUMENT_BYTES),
            }
        )
    file.seek(0)
    kind = content.sniff(file.read(content.HEAD_BYTES))
    if kind not in _DOCUMENT_KINDS:
        raise RecordRefused(
            _(
                "%(name)s cannot be attached: please attach a PDF or a JPEG or PNG photo. "
                "Imaging discs (ZIP or DICOM files) go through “Medical records” on your page."
            )
            % {"name": content.clean_filename(name)}
        )
    file.seek(0)
    return _Attachment(file, name, size, kind, content.sha256_of_stream(cast(IO[bytes], file)))


def message_with_attachments_send(
    *, case: Case, author: User, side: str, body: str, files: list[UploadedFile[bytes]]
) -> Message:
    """Send a message with its attachments, each checked and stored (sealed with the case's
    key) as a document of the case's records. Any refusal leaves no message and no file."""
    if len(files) > MAX_MESSAGE_ATTACHMENTS:
        raise RecordRefused(
            _("At most %(count)d files can be attached to one message.")
            % {"count": MAX_MESSAGE_ATTACHMENTS}
        )
    checked = [_attachment_checked(f) for f in files]
    stored: list[str] = []
    try:
        with transaction.atomic():
            message = message_send(
                case=case, author=author, side=side, body=body, with_attachments=bool(checked)
            )
            for attachment in checked:
                _attachment_store(message, author, attachment, stored)
    except Exception:
        delete_stored(stored)
        raise
    return message


def _attachment_store(
    message: Message, author: User, attachment: _Attachment, stored: list[str]
) -> Document:
    case = message.case
    attachment.file.seek(0)
    name = f"records/{case.pk}/documents/{uuid.uuid4().hex}.{_DOCUMENT_KINDS[attachment.kind]}"
    stored.append(store_stream(cast(IO[bytes], attachment.file), name))
    document = Document.objects.create(
        case=case,
        uploaded_by=author,
        kind=attachment.kind.value,
        original_name=content.clean_filename(attachment.name),
        file=stored[-1],
        size=attachment.size,
        sha256=attachment.sha256,
        message=message,
    )
    events.record_uploaded_event(
        case=case,
        actor=author,
        upload_id=f"message-{message.pk}",
        kind="document",
        size=attachment.size,
        files=1,
    )
    return document


def boxes_or_nothing_to_hide(boxes: list[cleaning.Box], *, nothing_to_hide: bool) -> None:
    """A release without a box is a coordinator's statement that nothing identifies the patient,
    never a click made before the boxes were drawn."""
    if not boxes and not nothing_to_hide:
        raise RecordRefused(
            gettext_noop(
                "Draw a box over every piece of text that identifies the patient, or tick that "
                "there is none."
            )
        )


def document_share_release(
    *, document: Document, actor: User, boxes: list[cleaning.Box], nothing_to_hide: bool = False
) -> Document:
    """Make and keep the copy of ``document`` that clinics may receive: every page redrawn from
    its pixels with ``boxes`` blacked out, flattened, with no text layer and no metadata."""
    boxes_or_nothing_to_hide(boxes, nothing_to_hide=nothing_to_hide)
    with default_storage.open(document.file, "rb") as fp:
        original = fp.read()
    data, kind = cleaning.shared_copy(original, document.kind, boxes)
    name = (
        f"records/{document.case_id}/shared/{uuid.uuid4().hex}.{'pdf' if kind == 'pdf' else 'jpg'}"
    )
    stored = store_bytes(data, name)
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            replaced = locked.shared_file
            locked.shared_file, locked.shared_kind = stored, kind
            locked.shared_boxes = [box.to_stored() for box in boxes]
            locked.shared_by, locked.shared_at = actor, timezone.now()
            locked.save(
                update_fields=[
                    "shared_file",
                    "shared_kind",
                    "shared_boxes",
                    "shared_by",
                    "shared_at",
                ]
            )
            audit_record(
                actor=actor,
                action=Action.SHARE,
                obj=locked,
                detail={"copy": "redacted", "boxes": len(boxes), "bytes": len(data)},
            )
    except Exception:
        delete_stored([stored])
        raise
    delete_stored([replaced])
    return locked


def document_share_withdraw(*, document: Document, actor: User) -> Document:
    """Stop sharing a document: its released copy is deleted."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        replaced = locked.shared_file
        locked.shared_file, locked.shared_kind, locked.shared_boxes = "", "", []
        locked.shared_by, locked.shared_at = None, None
        locked.save(
            update_fields=["shared_file", "shared_kind", "shared_boxes", "shared_by", "shared_at"]
        )
        audit_record(actor=actor, action=Action.UPDATE, obj=locked, detail={"copy": "withdrawn"})
    delete_stored([replaced])
    return locked


# Held-back images: reviewed by a coordinator before any of them is shared ---------------------


def held_images_record(
    *, study: Study, held: list[tuple[Instance, str, Path]], scratch: Path
) -> list[HeldImage]:
    """Keep the de-identified files the core held back, each with a picture to review it by.

    An image already reviewed keeps its decision; a pending one takes the newest copy.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    kept = []
    for instance, reason, path in held:
        current = HeldImage.objects.filter(instance=instance).first()
        if current is not None and current.state != HeldImage.State.PENDING:
            kept.append(current)
            continue
        name = f"{study.storage_dir}/held/{uuid.uuid4().hex}.dcm"
        stored = store_file(path, name)
        preview, error, count = _held_preview(study, path, scratch)
        with transaction.atomic():
            row, created = HeldImage.objects.select_for_update().get_or_create(
                instance=instance,
                defaults={"study": study, "reason": reason[:200], "deid_file": stored},
            )
            replaced = [] if created else [row.deid_file, row.preview]
            row.deid_file, row.reason = stored, reason[:200]
            row.preview, row.preview_error, row.frames = preview, error, count
            row.save()
        delete_stored([n for n in replaced if n not in (stored, preview)])
        kept.append(row)
    return kept


def _held_preview(study: Study, path: Path, scratch: Path) -> tuple[str, str, int]:
    """A PNG of the first frame, drawn from the de-identified file by the decoding child."""
    (decoded,) = frames.decode_files(
        [path],
        scratch,
        memory_bytes=settings.RECORDS_PREVIEW_MEMORY_BYTES,
        max_frame_bytes=settings.RECORDS_PREVIEW_MAX_FRAME_BYTES,
        seconds=settings.RECORDS_PREVIEW_SECONDS,
    )
    if not decoded.ok:
        return "", decoded.reason[:200], 0
    array_file = scratch / f"{decoded.index}{frames.SUFFIX}"
    stack = frames.load(array_file.read_bytes())
    array_file.unlink()
    png = frames.window_png(
        stack[0], centre=decoded.centre, width=decoded.width, inverted=decoded.inverted
    )
    name = f"records/{study.case_id}/held-previews/{uuid.uuid4().hex}.png"
    return store_bytes(png, name), "", decoded.frames


def held_images_released(*, study: Study) -> list[HeldImage]:
    released = HeldImage.objects.filter(study=study, state=HeldImage.State.RELEASED)
    return list(released.exclude(released_file="").select_related("instance"))


def held_images_released_into(*, study: Study, folder: Path) -> list[tuple[HeldImage, Path]]:
    """Copy the masked files of the study's released images into ``folder``; each with its
    copy's path."""
    copied = []
    for held in held_images_released(study=study):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"IM{held.pk:06d}.dcm"
        with default_storage.open(held.released_file, "rb") as source:
            target.write_bytes(source.read())
        copied.append((held, target))
    return copied


def held_image_review(
    *,
    held: HeldImage,
    actor: User,
    release: bool,
    boxes: list[cleaning.Box],
    nothing_to_hide: bool = False,
) -> HeldImage:
    """A coordinator's decision on a held-back image: release it with ``boxes`` blacked out on
    every frame (done by the worker), or keep it withheld (a released copy is taken back)."""
    if release:
        boxes_or_nothing_to_hide(boxes, nothing_to_hide=nothing_to_hide)
    with transaction.atomic():
        locked = HeldImage.objects.select_for_update().get(pk=held.pk)
        if locked.state == HeldImage.State.RELEASING:
            raise RecordRefused(gettext_noop("This image is being masked; please wait for it."))
        was_released = locked.state == HeldImage.State.RELEASED
        locked.mask = [box.to_stored() for box in boxes] if release else locked.mask
        locked.state = HeldImage.State.RELEASING if release else HeldImage.State.WITHHELD
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.save(update_fields=["mask", "state", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action=Action.SHARE if release else Action.UPDATE,
            obj=locked,
            detail={"held_image": "release" if release else "withhold", "boxes": len(boxes)},
        )
        if release:
            from oncoroute.records.tasks import held_image_release

            held_id = locked.pk
            transaction.on_commit(lambda: held_image_release.enqueue(held_id=held_id))
        elif was_released:
            # Taken back: the next copy of the study is made without it.
            _queue_deid(locked.study)
    return locked


def held_image_mask(*, held_id: int) -> str:
    """Write the masked, reviewed copy of a held image and remake the study's shared copy."""
    held = HeldImage.objects.select_related("study").get(pk=held_id)
    if held.state != HeldImage.State.RELEASING:
        return "not releasing"
    boxes = [cleaning.Box.from_stored(raw) for raw in held.mask]
    with tempfile.TemporaryDirectory(dir=work_dir()) as scratch:
        source, target = Path(scratch, "in.dcm"), Path(scratch, "out.dcm")
        with default_storage.open(held.deid_file, "rb") as fp:
            source.write_bytes(fp.read())
        frames.mask_dicom(source, boxes, target)
        stored = store_file(target, f"{held.study.storage_dir}/held/{uuid.uuid4().hex}.dcm")
    with transaction.atomic():
        locked = HeldImage.objects.select_for_update().get(pk=held_id)
        if locked.state != HeldImage.State.RELEASING:  # withheld meanwhile
            transaction.on_commit(lambda: delete_stored([stored]))
            return "changed"
        replaced = locked.released_file
        locked.released_file, locked.state = stored, HeldImage.State.RELEASED
        locked.save(update_fields=["released_file", "state"])
        _queue_deid(locked.study)
    delete_stored([replaced])
    return "released"


# The viewer: frames of the de-identified copy, decoded once -----------------------------------


def viewer_images_prepare(
    *, study: Study, images: list[tuple[Instance, Path]], scratch: Path
) -> int:
    """Decode the de-identified files of ``images`` in a limited child and keep their frames
    for the viewer, replacing what an earlier copy of the study left; how many can be shown."""
    scratch.mkdir(parents=True, exist_ok=True)
    decoded = frames.decode_files(
        [path for _instance, path in images],
        scratch,
        memory_bytes=settings.RECORDS_PREVIEW_MEMORY_BYTES,
        max_frame_bytes=settings.RECORDS_PREVIEW_MAX_FRAME_BYTES,
        seconds=settings.RECORDS_PREVIEW_SECONDS + len(images),
    )
    rows: list[ViewerImage] = []
    stored: list[str] = []
    try:
        for (instance, _path), result in zip(images, decoded, strict=True):
            row = ViewerImage(series_id=instance.series_id, order=0, error=result.reason[:200])
            if result.ok:
                array_file = scratch / f"{result.index}{frames.SUFFIX}"
                name = f"records/{study.case_id}/viewer/{uuid.uuid4().hex}{frames.SUFFIX}"
                stored.append(store_file(array_file, name))
                array_file.unlink()
                row.file = stored[-1]
                for attribute in ("number", "position", "frames", "rows", "columns", "colour"):
                    setattr(row, attribute, getattr(result, attribute))
                row.inverted, row.centre, row.width = result.inverted, result.centre, result.width
            rows.append(row)
        _viewer_order(rows)
        with transaction.atomic():
            old = ViewerImage.objects.filter(series__study=study)
            replaced = list(old.exclude(file="").values_list("file", flat=True))
            old.delete()
            ViewerImage.objects.bulk_create(rows)
    except Exception:
        delete_stored(stored)
        raise
    delete_stored(replaced)
    return sum(1 for row in rows if row.file)


def _viewer_order(rows: list[ViewerImage]) -> None:
    """Slices in the order of their position along the patient (head first), else by number."""
    by_series: dict[int, list[ViewerImage]] = defaultdict(list)
    for row in rows:
        by_series[row.series_id].append(row)
    for members in by_series.values():
        if all(row.position is not None for row in members if row.file):
            members.sort(key=lambda r: (r.file == "", -(r.position or 0.0), r.number or 0))
        else:
            members.sort(key=lambda r: (r.file == "", r.number is None, r.number or 0))
        for order, row in enumerate(members):
            row.order = order


# Discs (ZIPs) are unpacked and indexed by the worker ---------------------------------------------

_PROGRESS_SECONDS = 0.5


def _imports_dir(upload: Upload) -> str:
    """Where a background run stores a disc's files: one folder per upload, so that what a
    killed run stored without indexing can be found and removed when it runs again."""
    return f"records/{upload.case_id}/imports/{upload.pk.hex}"


def _index_in_background(upload: Upload) -> Upload:
    """Hand a received ZIP to the worker: the request answers at once, the page follows along."""
    from oncoroute.records.tasks import upload_index

    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.state != Upload.State.RECEIVING:
            raise UploadConflict(_("This upload is no longer open."), received=locked.received)
        locked.state, locked.index_done, locked.index_total = Upload.State.PROCESSING, 0, 0
        locked.save(update_fields=["state", "index_done", "index_total", "updated_at"])
        upload_id = str(locked.pk)
        transaction.on_commit(lambda: upload_index.enqueue(upload_id=upload_id))
    return locked


def upload_index(*, upload_id: uuid.UUID | str) -> str:
    """Unpack and index a received disc, then store its images and rows in one transaction.

    A run killed part-way has written no row: its scratch folder and any file it stored are
    removed when the upload is indexed again (``uploads_resume_stalled``), from the start.
    """
    token = uuid.uuid4().hex
    claimed = Upload.objects.filter(pk=upload_id, state=Upload.State.PROCESSING).update(
        index_token=token, index_done=0, index_total=0, updated_at=timezone.now()
    )
    if not claimed:
        return "not waiting"
    upload = Upload.objects.select_related("case").get(pk=upload_id)
    if upload.error:  # the storage it waited for
        upload.error = ""
        upload.save(update_fields=["error"])
    staging = work_dir() / f"{upload.pk}.unpacked"
    content.remove_tree(staging)
    _imports_orphans_delete(upload)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if time.monotonic() - last < _PROGRESS_SECONDS:
            return
        last = time.monotonic()
        moved = Upload.objects.filter(pk=upload.pk, index_token=token).update(
            index_done=done, index_total=total, updated_at=timezone.now()
        )
        if not moved:
            raise UploadConflict(_("Another run took this upload over."), received=upload.size)

    stored: list[str] = []
    try:
        with _open_partial(upload, partial_path(upload), Upload.State.PROCESSING) as source:
            staged = _stage(upload, source, staging, progress)
            with transaction.atomic():
                locked = Upload.objects.select_for_update().get(pk=upload.pk)
                if locked.state != Upload.State.PROCESSING or locked.index_token != token:
                    raise UploadConflict(_("Another run took this upload over."), received=0)
                locked.index_done = locked.index_total = max(locked.index_total, 1)
                _store(locked, source, staged, stored)
                Upload.objects.filter(pk=locked.pk).update(
                    index_done=locked.index_done, index_total=locked.index_total
                )
    except UploadConflict:
        delete_stored(stored)
        return "taken over"
    except RecordRefused as refusal:
        delete_stored(stored)
        _fail(upload, refusal.english)
        return "refused"
    except OSError as error:
        # The disk or the bucket is full or away: the disc received stays, to be indexed again.
        delete_stored(stored)
        logger.warning("indexing upload %s waits for storage: %s", upload.pk, type(error).__name__)
        _index_waits(upload, token)
        return "waiting for storage"
    except Exception as error:
        delete_stored(stored)
        logger.error("indexing upload %s failed: %s", upload.pk, type(error).__name__)
        _fail(upload, gettext_noop("The file could not be stored; please try again."))
        return "failed"
    finally:
        content.remove_tree(staging)
    partial_path(upload).unlink(missing_ok=True)
    return "done"


def _index_waits(upload: Upload, token: str) -> None:
    """Leave the disc to be indexed again (``uploads_resume_stalled``), saying why it waits."""
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.state == Upload.State.PROCESSING and locked.index_token == token:
            locked.index_done = locked.index_total = 0
            locked.error = STORAGE_WAIT
            locked.save(update_fields=["index_done", "index_total", "error", "updated_at"])


def _imports_orphans_delete(upload: Upload) -> None:
    """Files a killed run stored for this upload without indexing them."""
    folder = _imports_dir(upload)
    try:
        _dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    known = set(Instance.objects.filter(file__startswith=folder).values_list("file", flat=True))
    delete_stored([f"{folder}/{name}" for name in names if f"{folder}/{name}" not in known])


def uploads_resume_stalled(*, older_than: timedelta | None = None) -> int:
    """Queue again the discs whose indexing stopped (a worker killed or restarted part-way)."""
    from oncoroute.records.tasks import upload_index

    age = (
        older_than
        if older_than is not None
        else timedelta(seconds=settings.RECORDS_INDEX_STALL_SECONDS)
    )
    stalled = Upload.objects.filter(
        state=Upload.State.PROCESSING, updated_at__lte=timezone.now() - age
    )
    count = 0
    for upload_id in stalled.values_list("pk", flat=True):
        # Touched first, so that pollers asking again meanwhile do not queue it twice.
        Upload.objects.filter(pk=upload_id).update(updated_at=timezone.now())
        upload_index.enqueue(upload_id=str(upload_id))
        count += 1
    return count
