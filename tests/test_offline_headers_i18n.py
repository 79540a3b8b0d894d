"""Headings named by a word they hold, in many languages, and the list shapes of real pages."""

from __future__ import annotations

import pytest

from extractor.offline.headers_i18n import keyword_kind
from extractor.offline.lines import split_lines
from extractor.offline.sections import find_sections, header_kind


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("twój zakres obowiązków", "responsibilities"),
        ("qualifikationserfordernisse", "required"),
        ("was du tun wirst", "responsibilities"),
        ("wen wir suchen", "required"),
        ("das wird geboten", "benefits"),
        ("nasze wymagania", "required"),
        ("to oferujemy", "benefits"),
        ("inhoud werkzaamheden", "responsibilities"),
        ("wat bieden wij", "benefits"),
        ("det är meriterande om du", "preferred"),
        ("岗位职责", "responsibilities"),
        ("任职要求", "required"),
        ("福利待遇", "benefits"),
        ("preferred qualifications", "preferred"),
        ("about the company", None),
    ],
)
def test_keyword_kind(key: str, kind: str | None) -> None:
    assert keyword_kind(key) == kind


@pytest.mark.parametrize(
    ("line", "before_list", "kind"),
    [
        ("Core job duties include:", False, "responsibilities"),
        ("In this role, you'll be...", True, "responsibilities"),
        ("We're eager to be in touch because you have...", True, "required"),
        ("**Responsibilities**", False, "responsibilities"),
        ("#### Das wird geboten", False, "benefits"),
        ("【岗位职责】", False, "responsibilities"),
        ("【职位描述】", False, "other"),
        ('typeContratLibelle: "Mission intérimaire - 6 Mois",', True, None),
        ("Our duties are described on the intranet.", False, None),
    ],
)
def test_header_kind_by_words(line: str, before_list: bool, kind: str | None) -> None:
    assert header_kind(line, before_list=before_list, words=True) == kind


def _items(text: str, kind: str) -> list[str]:
    found = find_sections(split_lines(text))
    for item in found.items[kind]:
        assert " ".join(text[item.start : item.end].split()) == item.text
    return [item.text for item in found.items[kind]]


def test_bullet_mark_alone_on_its_line_marks_the_next() -> None:
    text = "Nasze wymagania\n-\nZnajomość Linux\n-\nSQL\nTo oferujemy\n-\nPrywatna opieka\n"
    assert _items(text, "required") == ["Znajomość Linux", "SQL"]
    assert _items(text, "benefits") == ["Prywatna opieka"]


def test_letter_o_as_bullet() -> None:
    text = "Profil :\no Débutants acceptés\no Permis B\n"
    assert _items(text, "required") == ["Débutants acceptés", "Permis B"]


def test_wrapped_bullet_continues_on_the_next_line() -> None:
    text = "Aufgaben:\n* Beratung der Teams zu Methoden,\nWerkzeugen und Verfahren\n* Reporting\n"
    assert _items(text, "responsibilities") == [
        "Beratung der Teams zu Methoden, Werkzeugen und Verfahren",
        "Reporting",
    ]


def test_subheading_inside_a_section_keeps_it_open() -> None:
    text = "Requisitos\n- Profesional graduado.\nIdiomas\n- Inglés avanzado.\n"
    assert _items(text, "required") == ["Profesional graduado.", "Inglés avanzado."]


def test_cjk_run_in_lists_and_preferred_endings() -> None:
    text = "【岗位职责】\n接听电话；回访客户；更新资料。\n【资质要求】\n全职，大专及以上学历，医药专业优先。\n"
    assert _items(text, "responsibilities") == ["接听电话", "回访客户", "更新资料"]
    assert _items(text, "required") == ["全职", "大专及以上学历"]
    assert _items(text, "preferred") == ["医药专业优先"]


def test_digest_keeps_the_first_role_only() -> None:
    text = (
        "岗位职责：\n1、负责客户维护\n任职要求：\n1、两年经验\n"
        "岗位职责：\n1、负责平台运营\n任职要求：\n1、本科学历\n"
    )
    assert _items(text, "responsibilities") == ["负责客户维护"]
    assert _items(text, "required") == ["两年经验"]
