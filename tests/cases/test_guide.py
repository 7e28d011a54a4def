"""The knowledge pages: in English and Russian, every paragraph with its sources, a 'last
reviewed' date, the warning signs first and linked from every page's footer, and none of the
public article's medical errors (SPEC §11)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oncoroute.cases.guide import PAGES, SOURCES

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁё]{4,}")


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("slug", [page.slug for page in PAGES])
def test_each_page_reads_in_both_languages_with_sources_and_a_review_date(
    client: Client, slug: str, language: str
) -> None:
    response = client.get(reverse("guide_page", args=[slug]), headers={"accept-language": language})
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context["page"]
    assert page.sources, "a page without sources"
    for number, key, citation in page.sources:
        assert f'id="source-{key}"' in html
        assert citation.replace("'", "&#x27;") in html
        assert f'<a href="#source-{key}">{number}</a>' in html
    if language == "en":
        assert "Last reviewed 7 Dec 2026" in html
    else:
        assert "7 декабря 2026" in html
        main = html[html.index("<main") : html.index("</main>")]
        assert CYRILLIC.search(main)
        assert "Last reviewed" not in main


def test_every_paragraph_cites_a_known_source() -> None:
    for page in PAGES:
        for section in page.sections:
            for paragraph in section.paragraphs:
                assert paragraph.sources, f"{page.slug}: {paragraph.text}"
                assert set(paragraph.sources) <= set(SOURCES)


def test_the_warning_signs_come_first_and_every_footer_links_them(client: Client) -> None:
    assert PAGES[0].slug == "warning-signs"
    index = client.get(reverse("guide_index")).content.decode()
    assert index.index("Warning signs of spinal cord compression") < index.index(
        "What spinal metastases are"
    )
    link = f'href="{reverse("guide_page", args=["warning-signs"])}"'
    for path in ("/", "/clinics/", reverse("guide_page", args=["prognosis"]), "/nowhere/"):
        footer = client.get(path).content.decode().split('<footer class="site">')[1]
        assert link in footer, path


def _text(language: str) -> str:
    with translation.override(language):
        return " ".join(
            str(paragraph.text)
            for page in PAGES
            for section in page.sections
            for paragraph in section.paragraphs
        )


def test_the_articles_errors_are_not_repeated() -> None:
    text = _text("en")
    assert "laparoscop" not in text.lower()  # §11a
    assert "Neither removes the tumour, and no plates are used." in text  # §11c, §11d
    assert "reduce pain" in text  # §11b
    assert "every six weeks, up to six doses" in text  # §11g (177Lu-PSMA-617)
    assert "every eight weeks, four doses" in text  # §11g (177Lu-DOTATATE)
    assert "six injections four weeks apart" in text  # §11h
    assert not re.search(r"\b22 ?%|4–15 ?%", text)  # §11i: no optimistic five-year figures
    assert "memory problems are not caused by the spine" in text  # §11k
    assert "adenocarcinoma" not in text and "thyroid cancer" not in text.lower()  # §11l


def test_an_unknown_page_is_a_404(client: Client) -> None:
    assert client.get(reverse("guide_page", args=["no-such-topic"])).status_code == 404
