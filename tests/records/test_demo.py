"""The demo comes with imaging: a CT disc sent by the demo patient, which the worker unpacks and
de-identifies, so that the viewer and the clinic's portal have images from the first start."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from oncoroute.records.models import Instance, Study, Upload, ViewerImage
from oncoroute.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_demo_disc_is_indexed_and_de_identified_by_the_worker(
    settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDS_DEID_JOBS = 1
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", stdout=out)
    assert "Demo imaging" in out.getvalue()
    upload = Upload.objects.get()
    assert upload.state == Upload.State.PROCESSING  # the worker's to do, not the command's
    assert upload.case == Referral.objects.get().case

    with django_capture_on_commit_callbacks(execute=True):  # the disc, then its copy
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    study = Study.objects.get()
    assert Upload.objects.get().state == Upload.State.DONE
    assert Instance.objects.count() == 60 and study.series.count() == 2
    assert study.deid_state == Study.Deid.DONE and study.deid_summary["written"] == 60
    assert ViewerImage.objects.exclude(file="").count() == 60

    call_command("demo_data", stdout=StringIO())
    assert Upload.objects.count() == 1  # loading again sends nothing more
