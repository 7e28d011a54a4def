"""Russian is complete for everything a patient or relative reads: every message of their pages,
forms and emails has a Russian translation that is neither empty nor fuzzy, and the compiled
catalogue is the one Django serves."""

from __future__ import annotations

import re
from collections import Counter

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from oncoroute.cases.vocabulary import CONSENT_TEXTS
from tests.i18n.messages import PO_RU, patient_messages


def russian_catalogue() -> Catalog:
    with PO_RU.open("rb") as po_file:
        return read_po(po_file, locale="ru")


def test_every_message_on_patient_pages_has_a_russian_translation() -> None:
    catalogue = russian_catalogue()
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy: nothing would compile"
    problems = []
    for (msgid, context), sources in sorted(patient_messages().items(), key=str):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalogue.get(key, context=context)
        where = ", ".join(sorted(set(sources)))
        if message is None:
            problems.append(f"missing from the .po (run makemessages): {key!r} in {where}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {key!r} in {where}")
        elif isinstance(message.string, tuple):
            if len(message.string) != catalogue.num_plurals or not all(message.string):
                problems.append(f"plural forms missing: {key!r} in {where}")
        elif not message.string:
            problems.append(f"untranslated: {key!r} in {where}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_has_the_plural_rule_of_djangos_own_russian() -> None:
    assert russian_catalogue().num_plurals == 4


def test_django_serves_the_compiled_russian() -> None:
    with translation.override("ru"):
        assert translation.gettext("Send my request") == "Отправить заявку"
        counts = [
            translation.ngettext("%(images)s image", "%(images)s images", n) % {"images": n}
            for n in (1, 3, 5, 21)
        ]
    assert counts == ["1 снимок", "3 снимка", "5 снимков", "21 снимок"]


def test_the_consent_is_written_out_in_every_language_of_the_pages() -> None:
    assert set(CONSENT_TEXTS) == {code for code, _name in settings.LANGUAGES}


def test_each_message_is_in_the_catalogue_once() -> None:
    # A second entry for a msgid makes msgfmt refuse the whole catalogue.
    entries = re.findall(r'^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)', PO_RU.read_text(), re.M)
    twice = [msgid for (context, msgid), count in Counter(entries).items() if count > 1]
    assert not twice
