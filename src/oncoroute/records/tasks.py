"""Background work on records, run by the Django tasks worker."""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_noop
from django_tasks import task

from oncoroute.deid import FileOutcome, deidentify_study, verify
from oncoroute.deid.study import DeidSummary, rebuild_dicomdir, write_manifest
from oncoroute.records import services
from oncoroute.records.content import sha256_of
from oncoroute.records.models import Instance, Study
from oncoroute.records.storage import work_dir

logger = logging.getLogger(__name__)

REVIEW_DIR = "_review"
_PROGRESS_SECONDS = 0.5


@task()
def study_deidentify(*, study_id: int) -> str:
    """Make the study's shareable copy: de-identify, verify, zip with its manifest, publish."""
    study = services.study_deid_begin(study_id=study_id)
    if study is None:
        return "not queued"
    generation = study.deid_generation
    run = work_dir() / f"deid-{study.pk}-{uuid.uuid4().hex[:8]}"
    try:
        result = _deidentify(study, generation, run)
        # English msgids: the worker has no page language; the page translates them when shown
        # (Study.deid_error_shown).
        failed = gettext_noop("The de-identified copy failed its check and was not published.")
        message = "" if result else failed
    except Exception as error:
        # Only the type: messages from DICOM parsing can quote header values.
        logger.error("de-identification of study %s failed: %s", study.pk, type(error).__name__)
        result, message = None, gettext_noop("The de-identified copy could not be made.")
    try:
        published = services.study_deid_finish(
            study=study, generation=generation, result=result, error=message
        )
    finally:
        shutil.rmtree(run, ignore_errors=True)
    if not published:
        return "stale"
    return "done" if result else "failed"


@task()
def upload_index(*, upload_id: str) -> str:
    """Unpack and index a received disc (ZIP), reporting progress, all or nothing."""
    return services.upload_index(upload_id=upload_id)


@task()
def held_image_release(*, held_id: int) -> str:
    """Black out the reviewed boxes on every frame and make the image part of the copy."""
    return services.held_image_mask(held_id=held_id)


@task()
def series_previews_draw(*, series_ids: list[int]) -> str:
    """Draw the previews of series that received images: never in the upload's request."""
    services.series_previews_render(series_ids=series_ids)
    return "done"


def _deidentify(study: Study, generation: int, run: Path) -> services.DeidResult | None:
    instances = list(Instance.objects.filter(series__study=study))
    in_dir = _originals(instances, run / "in")
    out_dir = run / "out"
    records = services.case_records_get(case=study.case)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if done == total or time.monotonic() - last > _PROGRESS_SECONDS:
            last = time.monotonic()
            services.study_deid_progress(
                study_id=study.pk, generation=generation, done=done, total=total
            )

    summary = deidentify_study(
        in_dir,
        out_dir,
        secret=settings.DEID_SECRET.encode(),
        date_shift_days=records.date_shift_days,
        jobs=settings.RECORDS_DEID_JOBS,
        progress=progress,
        dicomdir=False,  # made below, once the released images have joined
    )
    # Held-back files may carry burned-in text: kept for a coordinator's review, never shared
    # as they are. Those a coordinator released with a mask join the copy in their masked form.
    by_name = {Path(instance.file).name: instance for instance in instances}
    held = [
        (by_name[Path(o.source).name], o.reason or "", out_dir / o.output)
        for o in summary.held_back
        if o.output and Path(o.source).name in by_name
    ]
    services.held_images_record(study=study, held=held, scratch=run / "held")
    shutil.rmtree(out_dir / REVIEW_DIR, ignore_errors=True)
    released = _join_released(study, summary, out_dir)
    summary.dicomdir = rebuild_dicomdir(out_dir, summary.written)
    write_manifest(out_dir, summary)
    check = verify(in_dir, out_dir)
    if not check.ok:
        logger.error("study %s: %d identifying values survived", study.pk, len(check.survivors))
        return None
    archive = run / "deidentified.zip"
    _zip(out_dir, archive)
    # The viewer shows exactly what was verified and zipped: written and released images.
    shown = [
        (by_name[Path(o.source).name], out_dir / o.output)
        for o in summary.written
        if o.output and Path(o.source).name in by_name
    ]
    try:
        services.viewer_images_prepare(study=study, images=shown, scratch=run / "viewer")
    except Exception as error:  # the copy stands without the viewer's frames
        logger.error("viewer frames of study %s failed: %s", study.pk, type(error).__name__)
    return services.DeidResult(
        archive=archive,
        size=archive.stat().st_size,
        sha256=sha256_of(archive),
        summary={
            "files_in": summary.files_in,
            "written": len(summary.written),
            "held_back": len(summary.held_back),
            "released": released,
            "errors": len(summary.errors),
        },
    )


def _join_released(study: Study, summary: DeidSummary, out_dir: Path) -> int:
    """The images a coordinator released take their held-back entries' place in the copy:
    written, in their masked form, listed in the DICOMDIR and the manifest like the others."""
    held_back = {Path(outcome.source).name: outcome for outcome in summary.held_back}
    copied = services.held_images_released_into(study=study, folder=out_dir / "REVIEWED")
    for held, path in copied:
        name = Path(held.instance.file).name
        outcome = held_back.get(name)
        if outcome is None:  # not among this run's files: listed all the same
            outcome = FileOutcome(source=name, status="written")
            summary.outcomes.append(outcome)
        outcome.status, outcome.output = "written", str(path.relative_to(out_dir))
        outcome.reason = "released after review, with its boxes blacked out"
    return len(copied)


def _originals(instances: list[Instance], scratch: Path) -> Path:
    """The study's stored files decrypted into a scratch folder, removed with the run."""
    scratch.mkdir(parents=True)
    for name in (instance.file for instance in instances):
        with (
            default_storage.open(name, "rb") as source,
            (scratch / Path(name).name).open("wb") as sink,
        ):
            shutil.copyfileobj(source, sink)
    return scratch


def _zip(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(root, name)
                out.write(path, path.relative_to(folder).as_posix())
