from __future__ import annotations

import pytest

from oncoroute.deid.keyed import derive_date_shift, map_uid, shift_da, shift_dt
from oncoroute.deid.scrub import clean_text, identifying_tokens, token_pattern


def test_uid_mapping_is_keyed_stable_valid_and_spares_standard_uids() -> None:
    uid = "1.2.826.0.1.3680043.8.498.12345"
    assert map_uid(b"a", uid) == map_uid(b"a", uid)
    assert map_uid(b"a", uid) != map_uid(b"b", uid)
    assert map_uid(b"a", uid) != map_uid(b"a", uid + "6")
    assert map_uid(b"a", uid).startswith("2.25.") and len(map_uid(b"a", uid)) <= 64
    assert map_uid(b"a", "1.2.840.10008.5.1.4.1.1.2") == "1.2.840.10008.5.1.4.1.1.2"


def test_dates_shift_and_bad_dates_raise() -> None:
    assert shift_da("20240301", -1) == "20240229"
    assert shift_dt("20240301101500.5+0100", 10) == "20240311101500.5+0100"
    with pytest.raises(ValueError):
        shift_da("2024", 3)


def test_derived_shift_is_stable_and_never_zero() -> None:
    shifts = {derive_date_shift(b"k", f"P{i}") for i in range(200)}
    assert derive_date_shift(b"k", "P1") == derive_date_shift(b"k", "P1")
    assert all(-1200 < s <= -30 for s in shifts)


def test_clean_text_removes_known_values_and_identifier_shapes() -> None:
    tokens = token_pattern(identifying_tokens(["DOE^JANE", "Saint Lazarus"]))
    text = "Jane Doe seen 2024-03-05 at Saint Lazarus, MRN 4471923, jane@x.org; L2 lesion"
    assert clean_text(text, tokens) == "seen at , MRN , ; L2 lesion"
