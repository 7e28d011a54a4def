"""The translation catalogues: `locale/<lang>/LC_MESSAGES/django.po` is the source, kept in git;
its compiled `.mo`, which Django reads, is made here with Babel, so no system tool is needed.

`make` compiles them at set-up (`pybabel compile`); `oncoroute run` and the tests call
`catalogues_compile()` too, which recompiles only a `.mo` older than its `.po`.
"""

from __future__ import annotations

from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def catalogues_compile(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every `.po` under `locale_dir` whose `.mo` is missing or stale; the ones made."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    made = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parents[1].name)
        partial = mo_path.with_suffix(".mo.partial")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        partial.replace(mo_path)
        made.append(mo_path)
    return made
