"""The demo's imaging: a CT disc of two synthetic series, sent by the demo patient through the
upload services as the page sends one, so that the worker unpacks, indexes and de-identifies it
and the viewer, the previews and the clinic's portal have images to show. Loading again changes
nothing."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

from oncoroute.cases.models import Case
from oncoroute.deid.synthetic import write_ct_study
from oncoroute.records import services
from oncoroute.records.models import Upload

DEMO_DISC_NAME = "CT-spine-disc.zip"


def records_demo_load(*, case: Case) -> bool:
    """Send the demo disc for ``case`` unless something was uploaded for it; whether it was."""
    if case.patient is None or Upload.objects.filter(case=case).exists():
        return False
    data = _demo_disc()
    upload = services.upload_start(
        case=case,
        actor=case.patient,
        filename=DEMO_DISC_NAME,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    upload = services.upload_chunk(
        upload=upload, start=0, stream=io.BytesIO(data), length=len(data)
    )
    services.upload_complete(upload=upload)
    return True


def _demo_disc() -> bytes:
    """A ZIP of 60 small CT slices in two series, laid out as on a CD."""
    with tempfile.TemporaryDirectory() as folder:
        study = write_ct_study(Path(folder), 60, rows=128, cols=128, seed=11, n_series=2)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for number, path in enumerate(study.files):
                archive.write(path, f"DICOM/IM{number:05d}")
        return buffer.getvalue()
