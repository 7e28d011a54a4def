from __future__ import annotations

import pytest
from django.utils import translation

from oncoroute.records.content import Kind, RecordRefused, human_size, safe_member_path, sniff
from tests.records.helpers import JPEG, PDF, PNG


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PDF, Kind.PDF),
        (JPEG, Kind.JPEG),
        (PNG, Kind.PNG),
        (b"PK\x03\x04" + b"\x00" * 40, Kind.ZIP),
        (b"\x00" * 128 + b"DICM" + b"\x02\x00", Kind.DICOM),
    ],
)
def test_the_kind_of_a_file_comes_from_its_first_bytes(head: bytes, kind: Kind) -> None:
    assert sniff(head[:132]) == kind


@pytest.mark.parametrize(
    "head", [b"", b"hello, this is a text file", b"GIF89a....", b"MZ\x90\x00", b"PK\x05\x06"]
)
def test_anything_else_is_not_taken(head: bytes) -> None:
    assert sniff(head) is None


@pytest.mark.parametrize(
    "name", ["../evil.dcm", "a/../../evil.dcm", "/etc/passwd", "C:/Windows/x", "..\\x.dcm"]
)
def test_a_member_path_that_leaves_the_folder_is_refused(name: str) -> None:
    with pytest.raises(RecordRefused):
        safe_member_path(name)


def test_a_member_path_inside_the_folder_is_kept() -> None:
    assert str(safe_member_path("DICOM\\PT0\\ST0\\IM1")) == "DICOM/PT0/ST0/IM1"


def test_sizes_read_as_people_read_them_in_their_language() -> None:
    with translation.override("en"):
        assert human_size(512) == "512 bytes"
        assert human_size(50 * 1024**2) == "50.0 MB"
        assert human_size(2 * 1024**3) == "2.0 GB"
    with translation.override("ru"):
        assert human_size(512) == "512 байт"
        assert human_size(9933) == "9,7 КБ"
        assert human_size(2 * 1024**3) == "2,0 ГБ"
