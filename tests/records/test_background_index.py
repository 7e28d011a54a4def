"""Discs are unpacked and indexed by the worker, not in the upload's request: a 2,000-file ZIP
indexes in a task with its progress on record, and a run killed part-way leaves no
half-indexed study and starts again."""

from __future__ import annotations

import errno
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pydicom
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pydicom.uid import generate_uid

from oncoroute.deid.synthetic import write_ct_study
from oncoroute.records import services
from oncoroute.records.models import Instance, Series, Study, Upload
from oncoroute.records.tasks import upload_index
from tests.records.helpers import upload_bytes

pytestmark = pytest.mark.django_db

FILES = 2000
ROOT = Path(__file__).resolve().parents[2]


def disc(tmp_path: Path, files: int = FILES) -> bytes:
    """A ZIP of ``files`` tiny CT slices in two series, with a folder per series as on a CD."""
    (template,) = write_ct_study(tmp_path / "one", 1, rows=8, cols=8, seed=9, n_series=1).files
    ds = pydicom.dcmread(template)
    series = [generate_uid(), generate_uid()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number in range(files):
            ds.SOPInstanceUID = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.SeriesInstanceUID = series[number % 2]
            ds.InstanceNumber = number + 1
            one = io.BytesIO()
            ds.save_as(one, enforce_file_format=True)
            archive.writestr(f"DICOM/S{number % 2}/IM{number:05d}", one.getvalue())
    return out.getvalue()


def imported_files(upload: Upload) -> list[str]:
    try:
        return default_storage.listdir(f"records/{upload.case_id}/imports/{upload.pk.hex}")[1]
    except FileNotFoundError:
        return []


class Killed(BaseException):
    """Stands for the worker being killed: nothing below catches it, as nothing catches SIGKILL."""


def half_stored_then(error: BaseException) -> Callable[[Path, str], str]:
    """``services.store_file`` storing half of the disc's files, then raising ``error``."""
    real_store = services.store_file
    stored = 0

    def store(path: Path, name: str) -> str:
        nonlocal stored
        if stored == FILES // 2:
            raise error
        stored += 1
        return real_store(path, name)

    return store


@pytest.fixture
def received(patient: Any, tmp_path: Path) -> Upload:
    """A 2,000-file disc whose last byte arrived: the request hands it to the worker."""
    upload = upload_bytes(
        case=patient.cases.get(), actor=patient, data=disc(tmp_path), filename="cd.zip", index=False
    )
    assert upload.state == Upload.State.PROCESSING
    assert not Study.objects.exists()  # nothing unpacked or indexed in the request
    return upload


def test_a_2000_file_disc_is_indexed_by_the_task(received: Upload, patient: Any) -> None:
    client = Client()
    client.force_login(patient)
    status = client.get(reverse("records_upload", args=[received.pk])).json()
    assert status["state"] == "processing"

    assert upload_index.call(upload_id=str(received.pk)) == "done"

    received.refresh_from_db()
    assert received.state == Upload.State.DONE
    assert received.result["instances"] == FILES, received.result
    assert received.index_done == received.index_total > 0
    assert Instance.objects.count() == FILES
    assert Series.objects.count() == 2
    assert len(imported_files(received)) == FILES
    status = client.get(reverse("records_upload", args=[received.pk])).json()
    assert status["state"] == "done" and "2000" in status["message"]


def test_a_run_killed_while_storing_leaves_nothing_half_indexed_and_resumes(
    received: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store = services.store_file
    monkeypatch.setattr(services, "store_file", half_stored_then(Killed()))
    with pytest.raises(Killed):
        upload_index.call(upload_id=str(received.pk))

    received.refresh_from_db()
    assert received.state == Upload.State.PROCESSING
    assert received.index_done > 0  # it had got that far
    assert not Study.objects.exists() and not Series.objects.exists()
    assert not Instance.objects.exists()
    assert len(imported_files(received)) == FILES // 2  # stored, never indexed

    monkeypatch.setattr(services, "store_file", real_store)
    assert services.uploads_resume_stalled(older_than=timedelta(hours=1)) == 0  # still fresh
    assert services.uploads_resume_stalled(older_than=timedelta(0)) == 1
    assert upload_index.call(upload_id=str(received.pk)) == "done"

    received.refresh_from_db()
    assert received.state == Upload.State.DONE
    assert Instance.objects.count() == FILES
    # What the killed run stored was removed: each image is stored once.
    assert sorted(imported_files(received)) == sorted(
        Path(name).name for name in Instance.objects.values_list("file", flat=True)
    )


def test_a_disc_that_meets_a_full_store_waits_and_is_indexed_when_there_is_room(
    received: Upload, patient: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store = services.store_file
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(services, "store_file", half_stored_then(full))
    assert upload_index.call(upload_id=str(received.pk)) == "waiting for storage"

    received.refresh_from_db()
    assert received.state == Upload.State.PROCESSING  # not failed: the disc is kept
    assert services.partial_path(received).exists()
    assert not Instance.objects.exists() and imported_files(received) == []
    client = Client()
    client.force_login(patient)
    client.cookies["django_language"] = "ru"
    status = client.get(reverse("records_upload", args=[received.pk])).json()
    translation.deactivate()
    assert status["state"] == "processing"
    assert "Ничего из отправленного не потеряно" in status["error"]

    monkeypatch.setattr(services, "store_file", real_store)
    assert services.uploads_resume_stalled(older_than=timedelta(0)) == 1
    assert upload_index.call(upload_id=str(received.pk)) == "done"
    received.refresh_from_db()
    assert received.state == Upload.State.DONE and received.error == ""
    assert Instance.objects.count() == FILES == len(imported_files(received))


def test_a_run_killed_while_unpacking_resumes_from_the_start(
    received: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read = services.dicom.read_header
    read = 0

    def read_then_die(path: Path) -> Any:
        nonlocal read
        read += 1
        if read == 300:
            raise Killed
        return real_read(path)

    monkeypatch.setattr(services.dicom, "read_header", read_then_die)
    with pytest.raises(Killed):
        upload_index.call(upload_id=str(received.pk))
    assert not Study.objects.exists()
    monkeypatch.setattr(services.dicom, "read_header", real_read)
    assert upload_index.call(upload_id=str(received.pk)) == "done"
    assert Instance.objects.count() == FILES


def test_a_run_taken_over_publishes_nothing(received: Upload) -> None:
    Upload.objects.filter(pk=received.pk).update(state=Upload.State.CANCELLED)
    assert upload_index.call(upload_id=str(received.pk)) == "not waiting"
    assert not Study.objects.exists()


# A real kill: the worker is another process, SIGKILLed part-way ---------------------------------

SETUP = """
import sys
from pathlib import Path
from tests.factories import submitted_case
from tests.records.helpers import upload_bytes
from tests.records.test_background_index import disc
case = submitted_case(email="kill@test.example", full_name="Kill Test")
upload = upload_bytes(
    case=case, actor=case.patient, data=disc(Path(sys.argv[1])), filename="cd.zip", index=False
)
print(upload.pk)
"""
INDEX = """
import sys
from oncoroute.records.services import upload_index
print(upload_index(upload_id=sys.argv[1]))
"""
# Queued again (a task row no worker here picks up), then run in this process as a worker would.
RESUME = """
import sys
from collections.abc import Callable
from datetime import timedelta
from oncoroute.records.models import Instance, Upload
from oncoroute.records.services import upload_index, uploads_resume_stalled
print(uploads_resume_stalled(older_than=timedelta(0)), upload_index(upload_id=sys.argv[1]))
upload = Upload.objects.get(pk=sys.argv[1])
print(upload.state, Instance.objects.count())
"""


def _django_process(var_dir: Path, code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ONCOROUTE_VAR_DIR": str(var_dir), "DJANGO_ALLOW_ASYNC_UNSAFE": "1"}
    env.pop("DATABASE_URL", None)
    program = "import django; django.setup()\n" + code
    return subprocess.Popen(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", program, *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "oncoroute.config.settings"},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finished(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-2000:]
    return out.strip().splitlines()[-1]


def _rows(database: Path, sql: str, *parameters: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchall()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_part_way_leaves_no_half_indexed_study_and_the_disc_resumes(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    migrate = subprocess.run(
        [sys.executable, "-m", "oncoroute.cli", "migrate", "-v", "0"],
        env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
             "ONCOROUTE_VAR_DIR": str(var)},
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    upload_id = _finished(_django_process(var, SETUP, str(tmp_path / "disc")))
    database = var / "oncoroute.sqlite3"
    key = upload_id.replace("-", "")

    worker = _django_process(var, INDEX, upload_id)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        done = _rows(database, "select index_done from records_upload where id = ?", key)
        if done and done[0][0] > FILES // 2:  # a quarter of the way: unpacking
            break
        assert worker.poll() is None, "the run ended before it could be killed"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=60)

    assert _rows(database, "select state from records_upload where id = ?", key) == [
        ("processing",)
    ]
    assert any((var / "media" / "partial").glob("*.unpacked/*"))  # what the kill left
    for count in (
        "select count(*) from records_study",
        "select count(*) from records_series",
        "select count(*) from records_instance",
    ):
        assert _rows(database, count) == [(0,)], count

    state, instances = _finished(_django_process(var, RESUME, upload_id)).split()
    assert (state, int(instances)) == ("done", FILES)
    assert _rows(database, "select count(*) from records_study") == [(1,)]
    imports = list((var / "media").rglob(f"imports/{key}/*"))
    assert len(imports) == FILES  # each image stored once: nothing the killed run left
    assert not any((var / "media" / "partial").glob("*.unpacked"))
