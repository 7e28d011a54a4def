from __future__ import annotations

from pathlib import Path

import pytest

from oncoroute.deid.synthetic import SyntheticStudy, write_ct_study

SECRET = b"test-installation-secret-0123456789"
SHIFT = -120


@pytest.fixture(scope="session")
def study_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SyntheticStudy]:
    root = tmp_path_factory.mktemp("study")
    study = write_ct_study(root, 12, rows=32, cols=32, seed=7, n_series=3)
    return root, study


@pytest.fixture(scope="session")
def deidentified(
    study_dir: tuple[Path, SyntheticStudy], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    from oncoroute.deid import deidentify_study

    out = tmp_path_factory.mktemp("out")
    deidentify_study(study_dir[0], out, secret=SECRET, date_shift_days=SHIFT, jobs=2)
    return out
