"""Jira exports as written, in every language the project has a table for, and in the ones it
has not: every language table in roadmap_audit/load/jira_fields.toml reads a header row in
that language; an export in a language with no table is read by its shape; the fields are
chosen as Jira users mean them (a team field, else the project; components are services)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from roadmap_audit.config import JiraConfig
from roadmap_audit.load import load_plan
from roadmap_audit.load.jira_csv import LANGUAGES, load_languages, looks_like_jira_csv

from .conftest import run_cli

# How Jira writes 30 September 2026 (a due date, shown with a time) in each language.
DATES = {
    "en": "30/Sep/26 12:00 AM",
    "es": "30/sep/26 12:00 AM",
    "fr": "30/sept./26 12:00 AM",
    "pt": "30/set/26 12:00 AM",
    "pl": "30/wrz/26 12:00 AM",
    "de": "30/Sep/26 12:00 AM",
    "ja": "2026/09/30 0:00",
    "ru": "30/сен/26 12:00 AM",
    "tr": "30/Eyl/26 12:00 AM",
}
DUE = dt.date(2026, 9, 30)
# Every table that names something; the "not found" ones hold only their source.
WITH_NAMES = sorted(lang for lang, table in LANGUAGES.items() if set(table) - {"source", "missing"})
# A header no language table knows, for a column whose name in that language was not found.
UNNAMED = {"key": "?1", "issue_id": "?2", "title": "?3"}


def write(tmp_path, rows, name="Jira.csv"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def by_key(plan):
    return {item.key: item for item in plan.items}


def first(table, field):
    return table[field][0] if field in table else None


def export_in(lang):
    """A two-issue export with the header row in `lang`: LED-2 is blocked by LED-1.

    Each column is one the language's table names; what it has no name for is left out, except the
    key, the issue id and the summary that every export has: those get a header no table knows, as a
    real export in that language would have for us, and are found by their values."""
    table = LANGUAGES[lang]
    columns = [
        ("title", "Migrate the ledger", "Cut over the reads"),
        ("key", "LED-1", "LED-2"),
        ("issue_id", "10001", "10002"),
        ("kind", "Epic", "Story"),
        ("status", "In Progress", "To Do"),
        ("owner", "Ana Silva", "Jun Park"),
        ("due", DATES.get(lang, ""), ""),
    ]
    kept = [
        (first(table, name) or UNNAMED.get(name), a, b)
        for name, a, b in columns
        if first(table, name) or name in UNNAMED
    ]
    header = [name for name, _, _ in kept]
    rows = [[a for _, a, _ in kept], [b for _, _, b in kept]]
    if "inward_link" in table:  # on LED-2: LED-1 blocks it
        header.append(f"{table['inward_link'][0]} (Blocks)")
        rows[0].append("")
        rows[1].append("LED-1")
    elif "outward_link" in table:  # on LED-1: it blocks LED-2
        header.append(f"{table['outward_link'][0]} (Blocks)")
        rows[0].append("LED-2")
        rows[1].append("")
    return [header, *rows]


# ------------------------------------------------------------------ one test per language table


@pytest.mark.parametrize("lang", WITH_NAMES)
def test_each_language_table_reads_an_export_written_in_it(lang, tmp_path):
    table = LANGUAGES[lang]
    path = write(tmp_path, export_in(lang))
    assert looks_like_jira_csv(path)
    plan = load_plan(path)
    got = by_key(plan)
    assert set(got) == {"LED-1", "LED-2"}
    assert (got["LED-1"].title, got["LED-2"].title) == ("Migrate the ledger", "Cut over the reads")
    if "kind" in table:
        assert (got["LED-1"].kind_raw, got["LED-2"].kind_raw) == ("Epic", "Story")
    if "status" in table:
        assert (got["LED-1"].status, got["LED-2"].status) == ("In Progress", "To Do")
    if "owner" in table:
        assert (got["LED-1"].owner, got["LED-2"].owner) == ("Ana Silva", "Jun Park")
    if "due" in table:
        assert (got["LED-1"].due, got["LED-2"].due) == (DUE, None)
    if "inward_link" in table or "outward_link" in table:
        assert got["LED-2"].depends_on == ["LED-1"] and got["LED-1"].depends_on == []
    assert {i.team for i in plan.items} == {"LED"}  # no team field: the project
    assert not any("no Issue key" in i.problem or "no Summary" in i.problem for i in plan.issues)
    assert plan.rows_read == 2 and len(plan.items) == 2


def test_the_languages_asked_for_are_read_by_name_or_said_to_be_missing():
    asked = {
        "de",
        "fr",
        "es",
        "pt",
        "it",
        "nl",
        "pl",
        "ru",
        "uk",
        "cs",
        "hu",
        "da",
        "fi",
        "nb",
        "sv",
        "tr",
        "ja",
        "ko",
        "zh-CN",
        "zh-TW",
    }
    assert asked <= set(LANGUAGES)
    for lang, table in LANGUAGES.items():
        assert table["source"].strip()
        if set(table) == {
            "source"
        }:  # a language whose headers were not found says so, and names nothing
            assert table["source"].startswith("not found"), lang
        elif (
            "key" not in table
        ):  # names found, but not the key's: it is read by its values and said so
            assert "issue key" in table["missing"], lang
    # the complete tables: every field of the per-language test is named
    for lang in ("en", "es", "fr", "pt", "pl"):
        assert {
            "key",
            "title",
            "kind",
            "status",
            "owner",
            "due",
            "inward_link",
            "outward_link",
        } <= set(LANGUAGES[lang]), lang


def test_the_known_cases_of_the_issue_are_in_the_tables():
    fr, pt, pl = LANGUAGES["fr"], LANGUAGES["pt"], LANGUAGES["pl"]
    assert (
        fr["key"][0],
        fr["title"][0],
        fr["kind"][0],
        fr["owner"][0],
        fr["due"][0],
        fr["status_category"][0],
    ) == (
        "Clé de ticket",
        "Résumé",
        "Type de ticket",
        "Personne assignée",
        "Date d'échéance",
        "Catégorie d'état",
    )
    assert (
        pt["key"][0],
        pt["title"][0],
        pt["kind"][0],
        pt["priority"][0],
        pt["owner"][0],
        pt["due"][0],
        pt["original_estimate"][0],
        pt["status_category"][0],
    ) == (
        "Chave da item",
        "Resumo",
        "Tipo de item",
        "Prioridade",
        "Responsável",
        "Data limite",
        "Estimativa original",
        "Categoria do status",
    )
    assert (pl["kind"][0], pl["priority"][0], pl["owner"][0]) == (
        "Typ zgłoszenia",
        "Priorytet",
        "Osoba przypisana",
    )


def test_a_name_that_means_two_fields_in_two_languages_is_refused(tmp_path):
    bad = tmp_path / "fields.toml"
    bad.write_text(
        '[xx]\nsource = "test"\ntitle = ["Status"]\n[yy]\nsource = "test"\nstatus = ["Status"]\n',
        encoding="utf-8",
    )
    load_languages(bad)  # the file itself reads; the clash is caught when the lookups are built
    import roadmap_audit.load.jira_csv as jira_csv

    saved = jira_csv.LANGUAGES
    try:
        jira_csv.LANGUAGES = load_languages(bad)
        with pytest.raises(
            ValueError, match="means title but also status|means status but also title"
        ):
            jira_csv._lookup()
    finally:
        jira_csv.LANGUAGES = saved
    unsourced = tmp_path / "unsourced.toml"
    unsourced.write_text('[xx]\nkey = ["Key"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no source"):
        load_languages(unsourced)


def test_a_polish_export_reads_its_type_priority_and_assignee(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [
                [
                    "Typ zgłoszenia",
                    "Podsumowanie",
                    "Klucz zgłoszenia",
                    "Id. zgłoszenia",
                    "Priorytet",
                    "Osoba przypisana",
                    "Status",
                    "Termin",
                    "Pole niestandardowe (Story point estimate)",
                ],
                [
                    "Bug",
                    "Fix the login",
                    "WEB-7",
                    "10070",
                    "High",
                    "Ola Nowak",
                    "Do zrobienia",
                    "12/lut/26 10:19 PM",
                    "3",
                ],
            ],
        )
    )
    item = plan.items[0]
    assert (item.key, item.kind_raw, item.priority, item.owner, item.due, item.estimate_points) == (
        "WEB-7",
        "Bug",
        "High",
        "Ola Nowak",
        dt.date(2026, 2, 12),
        3.0,
    )


def test_a_french_all_fields_export_reads_and_names_what_it_could_not_place(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [
                [
                    "Résumé",
                    "Clé de ticket",
                    "ID de ticket",
                    "Type de ticket",
                    "État",
                    "Priorité",
                    "Personne assignée",
                    "Rapporteur",
                    "Création",
                    "Date d'échéance",
                    "Observateurs",
                    "Observateurs",
                    "Catégorie d'état",
                    "Champs personnalisés (Story Points)",
                    "Lien du ticket entrant (Blocks)",
                ],
                [
                    "Migrer le registre",
                    "LED-1",
                    "10001",
                    "Epic",
                    "En cours",
                    "Haute",
                    "Ana Silva",
                    "Jun Park",
                    "01/sept./26 9:00 AM",
                    "30/sept./26 12:00 AM",
                    "a",
                    "b",
                    "En cours",
                    "8",
                    "",
                ],
                [
                    "Basculer les lectures",
                    "LED-2",
                    "10002",
                    "Story",
                    "À faire",
                    "Moyenne",
                    "Jun Park",
                    "Ana Silva",
                    "01/sept./26 9:00 AM",
                    "",
                    "",
                    "",
                    "À faire",
                    "",
                    "LED-1",
                ],
            ],
        )
    )
    got = by_key(plan)
    assert (got["LED-1"].estimate_points, got["LED-1"].priority, got["LED-2"].depends_on) == (
        8.0,
        "Haute",
        ["LED-1"],
    )
    note = next(i.problem for i in plan.issues if "not placed" in i.problem)
    assert (
        "'Observateurs'" in note and note.count("Observateurs") == 1
    )  # repeated columns named once
    assert "Rapporteur" not in note and "Création" not in note  # known, just not used by a plan


def test_a_russian_export_reads_its_names_and_its_blocks_link(tmp_path):
    # The header row as the public Russian export shows it (Server wording: "Ключ проблемы").
    plan = load_plan(
        write(
            tmp_path,
            [
                [
                    "Тема",
                    "Ключ проблемы",
                    "Тип задачи",
                    "Статус",
                    "Приоритет",
                    "Исполнитель",
                    "Компоненты",
                    "Исправить в версиях",
                    "Входящая связь задачи (Blocks)",
                    "Пользовательское поле (Story Points)",
                ],
                [
                    "Перенести реестр",
                    "LED-1",
                    "Эпик",
                    "В работе",
                    "High",
                    "Иванов",
                    "ledger",
                    "9.0",
                    "",
                    "5",
                ],
                [
                    "Переключить чтение",
                    "LED-2",
                    "Задача",
                    "Сделать",
                    "Medium",
                    "",
                    "api",
                    "9.0",
                    "LED-1",
                    "",
                ],
            ],
        )
    )
    got = by_key(plan)
    assert (got["LED-1"].title, got["LED-1"].kind_raw, got["LED-1"].status, got["LED-1"].owner) == (
        "Перенести реестр",
        "Эпик",
        "В работе",
        "Иванов",
    )
    assert (got["LED-1"].priority, got["LED-1"].services, got["LED-1"].estimate_points) == (
        "High",
        ["ledger"],
        5.0,
    )
    assert got["LED-2"].depends_on == ["LED-1"] and got["LED-1"].depends_on == []
    assert {i.team for i in plan.items} == {"LED"}  # components are services, never teams


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15/мар/25 12:00 AM", dt.date(2025, 3, 15)),
        ("01/май/26", dt.date(2026, 5, 1)),
        ("01/мая/26 10:00", dt.date(2026, 5, 1)),
        ("30/сент./26 12:00 AM", dt.date(2026, 9, 30)),
        ("30/сен/26 12:00 AM", dt.date(2026, 9, 30)),
        ("12/дек/24", dt.date(2024, 12, 12)),
    ],
)
def test_russian_month_abbreviations_read_as_dates(text, day):
    from roadmap_audit.load.dates import parse_date

    assert parse_date(text) == day


def test_a_chinese_export_is_read_with_its_id_found_by_its_values(tmp_path):
    # Only the key, summary and assignee are named in Chinese; the id column's name is not known, so the
    # file is recognised as an export by the id's values (before, by name only: not at all), and
    # "自定义字段(…)" has no space before its bracket.
    path = write(
        tmp_path,
        [
            ["概要", "问题关键字", "问题ID", "经办人", "自定义字段(Story Points)"],
            ["迁移账本", "LED-1", "10001", "张伟", "3"],
            ["切换读取", "LED-2", "10002", "", ""],
        ],
    )
    assert looks_like_jira_csv(path)
    plan = load_plan(path)
    got = by_key(plan)
    assert (got["LED-1"].title, got["LED-1"].owner, got["LED-1"].estimate_points) == (
        "迁移账本",
        "张伟",
        3.0,
    )
    unplaced = next(i.problem for i in plan.issues if "not placed" in i.problem)
    assert "'问题ID'" in unplaced and "zh-CN" in unplaced  # said, with what the table does not know


def test_a_korean_export_reads_its_names_and_finds_the_rest_by_shape(tmp_path):
    # The columns the public Korean export shows ("레이블" three times, as Jira repeats Labels), plus the
    # summary and id that every export has but whose Korean names were not found: those two get headers
    # no table knows and must be found by their values, and said to be.
    path = write(
        tmp_path,
        [
            [
                "?3",
                "이슈 키",
                "?2",
                "상태",
                "우선순위",
                "담당자",
                "보고자",
                "생성일",
                "레이블",
                "레이블",
                "레이블",
            ],
            [
                "원장 이전",
                "LED-1",
                "10001",
                "진행 중",
                "High",
                "김민준",
                "이서연",
                "01/Sep/26 9:00 AM",
                "db",
                "q3",
                "",
            ],
            [
                "읽기 전환",
                "LED-2",
                "10002",
                "할 일",
                "Medium",
                "",
                "이서연",
                "02/Sep/26 9:00 AM",
                "api",
                "",
                "",
            ],
        ],
    )
    assert looks_like_jira_csv(path)
    plan = load_plan(path)
    got = by_key(plan)
    assert set(got) == {"LED-1", "LED-2"}
    assert (got["LED-1"].title, got["LED-1"].status, got["LED-1"].priority, got["LED-1"].owner) == (
        "원장 이전",
        "진행 중",
        "High",
        "김민준",
    )
    assert (got["LED-1"].labels, got["LED-2"].labels, got["LED-2"].owner) == (
        ["db", "q3"],
        ["api"],
        None,
    )
    shape = next(i.problem for i in plan.issues if "by the shape" in i.problem)
    assert "'?3' as title" in shape and "'이슈 키'" not in shape  # the key was read by its name
    assert not any(
        "보고자" in i.problem or "생성일" in i.problem for i in plan.issues
    )  # known, unused


def test_a_turkish_export_reads_by_name_with_its_dates_and_its_done_category(tmp_path):
    # The header row of the public Turkish all-fields export (a subset, in its order), values as it writes
    # them: "Eyl" is September, "Tamamlandı" the done status category.
    header = [
        "Özet",
        "Konu anahtarı",
        "Konu kimliği",
        "Konu Türü",
        "Durum",
        "Proje anahtarı",
        "Öncelik",
    ]
    header += ["Atanan Kişi", "Raporlayan", "Oluşturulan", "Bitiş tarihi", "Orijinal tahmin"]
    header += ["Özel alan (Team)", "Durum Kategorisi"]
    rows = [
        ["Kayıt akışını test et", "KAN-16", "10015", "Görev", "Tamam", "KAN", "Medium", "Gül"],
        ["Giriş için UAT", "KAN-15", "10014", "Görev", "Acceptance", "KAN", "High", ""],
    ]
    rows[0] += ["Gül", "26/Eyl/26 4:35 PM", "30/Eyl/26 12:00 AM", "144000", "qa", "Tamamlandı"]
    rows[1] += ["Gül", "26/Eyl/26 4:35 PM", "", "", "qa", "Yapılacaklar"]
    path = write(tmp_path, [header, *rows])
    assert looks_like_jira_csv(path)
    plan = load_plan(path)
    got = by_key(plan)
    assert (got["KAN-16"].title, got["KAN-16"].kind_raw, got["KAN-16"].status) == (
        "Kayıt akışını test et",
        "Görev",
        "Tamam",
    )
    assert (got["KAN-16"].owner, got["KAN-16"].priority, got["KAN-16"].due) == (
        "Gül",
        "Medium",
        dt.date(2026, 9, 30),
    )
    assert got["KAN-16"].estimate_weeks is not None and got["KAN-15"].estimate_weeks is None
    assert (got["KAN-16"].done, got["KAN-15"].done) == (True, False)  # by Jira's own category
    assert {i.team for i in plan.items} == {"qa"}  # "Özel alan (Team)" is the team field
    assert not any("not placed" in i.problem or "by the shape" in i.problem for i in plan.issues)


def test_a_brazilian_export_marks_done_work_done_by_its_status_category(tmp_path):
    # As the public pt-BR export writes it: status "Concluído", category "Itens concluídos". The category
    # decides when an export has one; before it was known as done, every finished issue read as open.
    plan = load_plan(
        write(
            tmp_path,
            [
                [
                    "Resumo",
                    "Chave da item",
                    "ID da item",
                    "Tipo de item",
                    "Status",
                    "Chave do projeto",
                ]
                + ["Responsável", "Atualizado(a)", "Data limite", "Categoria do status"],
                ["Tela de login", "FA-1", "10003", "Tarefa", "Concluído", "FA", "Douglas"]
                + ["17/mai/26 8:40 PM", "27/abr/26 12:00 AM", "Itens concluídos"],
                [
                    "Gestão de fases",
                    "FA-29",
                    "10031",
                    "Tarefa",
                    "Tarefas pendentes",
                    "FA",
                    "Jonathas",
                ]
                + ["28/abr/26 3:30 PM", "22/mai/26 12:00 AM", "Itens Pendentes"],
            ],
        )
    )
    got = by_key(plan)
    assert (got["FA-1"].done, got["FA-29"].done) == (True, False)
    assert (got["FA-1"].due, got["FA-29"].due) == (dt.date(2026, 4, 27), dt.date(2026, 5, 22))
    assert not any("not placed" in i.problem for i in plan.issues)  # "Atualizado(a)" is known


def test_a_polish_export_reads_its_inward_blocks_link_and_its_estimates(tmp_path):
    # The public Polish exports write both link directions: "Wewnętrzne łącze zgłoszenia (Blocks)" (inward)
    # and "Zewnętrzne łącze do zgłoszenia (Blocks)" (outward).
    header = ["Podsumowanie", "Klucz zgłoszenia", "Id. zgłoszenia", "Typ zgłoszenia", "Status"]
    header += ["Klucz projektu", "Osoba przypisana", "Termin", "Pierwotne oszacowanie"]
    header += ["Wewnętrzne łącze zgłoszenia (Blocks)", "Kategoria statusu"]
    plan = load_plan(
        write(
            tmp_path,
            [
                header,
                ["Rejestracja", "KAP-1", "10001", "Zadanie", "Do zrobienia", "KAP", "Ola"]
                + ["30/wrz/26 12:00 AM", "28800", "", "Do zrobienia"],
                ["Logowanie", "KAP-2", "10002", "Zadanie", "Do zrobienia", "KAP", ""]
                + ["", "", "KAP-1", "Do zrobienia"],
            ],
        )
    )
    got = by_key(plan)
    assert got["KAP-2"].depends_on == ["KAP-1"] and got["KAP-1"].depends_on == []
    assert (got["KAP-1"].due, got["KAP-1"].estimate_weeks is not None) == (DUE, True)
    assert not any("not placed" in i.problem for i in plan.issues)


def test_a_german_all_fields_export_is_recognised_by_its_names(tmp_path):
    # The German all-fields header row (a subset): "Vorgangs-ID" is the issue id, so the file is a Jira export
    # by name alone, and the estimates and status category are read.
    header = ["Zusammenfassung", "Vorgangsschlüssel", "Vorgangs-ID", "Vorgangstyp", "Status"]
    header += ["Zugewiesene Person", "Erledigt", "Fälligkeitsdatum", "Ursprüngliche Schätzung"]
    header += ["Restschätzung", "Statuskategorie", "Übergeordnet", "Parent summary"]
    path = write(
        tmp_path,
        [
            header,
            ["Login", "INNT-22", "13732", "Story", "Zu erledigen", "Anna", "", "30/Sep/26 12:00 AM"]
            + ["144000", "72000", "To Do", "13712", "User Interface"],
        ],
    )
    assert looks_like_jira_csv(path)
    plan = load_plan(path)
    item = plan.items[0]
    assert (item.key, item.title, item.owner, item.due) == ("INNT-22", "Login", "Anna", DUE)
    assert item.estimate_weeks is not None and not item.done
    unplaced = [i.problem for i in plan.issues if "not placed" in i.problem]
    assert all("Vorgangs-ID" not in p and "Statuskategorie" not in p for p in unplaced)


def test_a_french_export_reads_the_parent_key_and_its_done_category(tmp_path):
    # As the public French Cloud exports write it: "Clé parent" beside "Parent" (the id), "Terminé" done.
    header = ["Résumé", "Clé de ticket", "ID de ticket", "Type de ticket", "État", "Clé de projet"]
    header += [
        "Mise à jour",
        "Résolu",
        "Estimation restante",
        "Catégorie d'état",
        "Parent",
        "Clé parent",
    ]
    plan = load_plan(
        write(
            tmp_path,
            [
                header,
                [
                    "Adapter",
                    "EE-113",
                    "10751",
                    "Sous-tâche",
                    "Terminé(e)",
                    "EE",
                    "05/août/25 2:47 PM",
                ]
                + ["05/août/25 2:47 PM", "", "Terminé", "10748", "EE-110"],
                ["Refactorer", "EE-110", "10748", "Tâche", "À faire", "EE", "15/juil./25 5:50 PM"]
                + ["", "7200", "A faire", "", ""],
            ],
        )
    )
    got = by_key(plan)
    assert (got["EE-113"].parent, got["EE-110"].parent) == ("EE-110", None)
    assert (got["EE-113"].done, got["EE-110"].done) == (True, False)
    assert not any("not placed" in i.problem for i in plan.issues)


def test_a_dutch_export_has_its_key_found_by_values_and_its_names_read(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [
                [
                    "Samenvatting",
                    "Sleutel",
                    "ID",
                    "Prioriteit",
                    "Melder",
                    "Aangemaakt",
                    "Aangepast veld (Story Points)",
                ],
                [
                    "Register verhuizen",
                    "LED-1",
                    "10001",
                    "Hoog",
                    "Ana Silva",
                    "01/sep/26 9:00 AM",
                    "8",
                ],
                ["Lezen omzetten", "LED-2", "10002", "Laag", "Jun Park", "02/sep/26 9:00 AM", ""],
            ],
        )
    )
    got = by_key(plan)
    assert (got["LED-1"].title, got["LED-1"].priority, got["LED-1"].estimate_points) == (
        "Register verhuizen",
        "Hoog",
        8.0,
    )
    shape = next(i.problem for i in plan.issues if "by the shape" in i.problem)
    assert (
        "'Sleutel' as key" in shape and "'Samenvatting'" not in shape
    )  # the summary was read by name


# ------------------------------------------------------------------ by shape


def _unknown_language_export(tmp_path):
    # Headers in a language whose system-field names were not found (Italian); values as Jira writes them.
    return write(
        tmp_path,
        [
            ["Riepilogo", "Chiave", "ID", "Tipo", "Stato", "Creato", "Collegamento (Blocks)"],
            [
                "Migrare il registro",
                "LED-1",
                "10001",
                "Epic",
                "In corso",
                "01/set/26 9:00 AM",
                "LED-2",
            ],
            ["Spostare le letture", "LED-2", "10002", "Story", "Da fare", "02/set/26 9:00 AM", ""],
            ["Spegnere il vecchio", "LED-3", "10003", "Story", "Da fare", "03/set/26 9:00 AM", ""],
        ],
    )


def test_an_export_in_a_language_with_no_table_is_read_by_its_shape(tmp_path):
    path = _unknown_language_export(tmp_path)
    assert looks_like_jira_csv(path)
    plan = load_plan(path)
    got = by_key(plan)
    assert set(got) == {"LED-1", "LED-2", "LED-3"}
    assert (
        got["LED-2"].title == "Spostare le letture" and got["LED-2"].ref.location == "Jira.csv!B3"
    )
    shape = next(i.problem for i in plan.issues if "by the shape" in i.problem)
    assert (
        "B 'Chiave' as key" in shape
        and "A 'Riepilogo' as title" in shape
        and "C 'ID' as issue_id" in shape
    )
    unplaced = next(i.problem for i in plan.issues if "not placed" in i.problem)
    for header in ("'Tipo'", "'Stato'", "'Creato'", "'Collegamento (Blocks)'"):
        assert header in unplaced
    link = next(i.problem for i in plan.issues if "Blocks link column" in i.problem)
    assert "'Collegamento (Blocks)'" in link and "not read as dependencies" in link
    assert all(not item.depends_on for item in plan.items)  # the direction is unknown: not guessed


def test_validate_reads_an_unknown_language_export_and_uses_every_row(tmp_path):
    result = run_cli("validate", str(_unknown_language_export(tmp_path)), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["rows_read"], report["rows_used"]) == (3, 3)


def test_a_hand_made_plan_with_jira_like_keys_is_not_taken_for_an_export(tmp_path):
    path = write(
        tmp_path,
        [
            ["Key", "Id", "Title", "Team", "Estimate", "Due"],
            ["PAY-1", "1", "Move the ledger", "payments", "3w", "2026-09-30"],
            ["PAY-2", "2", "Cut over", "payments", "2w", "2026-09-30"],
        ],
        name="plan.csv",
    )
    assert not looks_like_jira_csv(path)
    # ...even with Jira's ids and dates pasted in: its "Title" is a plan column the plan reader knows
    pasted = write(
        tmp_path,
        [
            ["Key", "Issue number", "Title", "Team", "Created"],
            ["PAY-1", "10001", "Move the ledger", "payments", "01/Sep/26 9:00 AM"],
            ["PAY-2", "10002", "Cut over", "payments", "02/Sep/26 9:00 AM"],
        ],
        name="pasted.csv",
    )
    assert not looks_like_jira_csv(pasted)
    assert {i.team for i in load_plan(pasted).items} == {"payments"}


# ------------------------------------------------------------------ fields as Jira users mean them


EN = ["Summary", "Issue key", "Issue id", "Issue Type", "Status"]


def test_a_server_export_with_components_and_no_team_field_invents_no_teams(tmp_path):
    # One project, issues spread over components: the project is the team; components are services.
    rows = [EN + ["Project key", "Component/s", "Component/s"]]
    components = [("Hadoop", ""), ("MySQL", "Salesforce"), ("- Spans Snaps -", ""), ("", "")]
    for n, (a, b) in enumerate(components, start=1):
        rows.append([f"Snap {n}", f"SNAP-{n}", str(10000 + n), "Bug", "Open", "SNAP", a, b])
    plan = load_plan(write(tmp_path, rows))
    got = by_key(plan)
    assert {item.team for item in plan.items} == {"SNAP"}
    assert got["SNAP-2"].services == ["MySQL", "Salesforce"] and got["SNAP-1"].services == [
        "Hadoop"
    ]
    out = tmp_path / "teams.xlsx"
    result = run_cli("template", str(out), "--from", str(tmp_path / "Jira.csv"))
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    teams = [
        row[0].value for row in load_workbook(out)["Teams"].iter_rows(min_row=2) if row[0].value
    ]
    assert "SNAP" in teams and not {"Hadoop", "MySQL", "Salesforce", "- Spans Snaps -"} & set(teams)


@pytest.mark.parametrize(
    "header",
    [
        "Team",
        "Team[Team]",
        "Custom field (Team)",
        "Custom field (Team[Team])",
        "Champs personnalisés (Équipe)",
        "Campo personalizado (Equipo)",
    ],
)
def test_the_team_comes_from_a_team_field_in_any_of_its_spellings(header, tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [
                EN + ["Components", header],
                ["A", "AB-1", "10001", "Story", "To Do", "billing", "payments"],
            ],
        )
    )
    assert (plan.items[0].team, plan.items[0].services) == ("payments", ["billing"])


def test_the_configured_team_field_then_the_project(tmp_path):
    path = write(
        tmp_path,
        [
            EN + ["Custom field (Pod)"],
            ["A", "AB-1", "10001", "Story", "To Do", "pod-a"],
            ["B", "AB-2", "10002", "Story", "To Do", ""],
        ],
    )
    got = by_key(load_plan(path, jira=JiraConfig(team_field="Pod")))
    assert (got["AB-1"].team, got["AB-2"].team) == ("pod-a", "AB")
    assert by_key(load_plan(path))["AB-1"].team == "AB"  # unnamed, "Pod" is not a team field


def test_a_size_named_field_holding_sizes_is_an_estimate(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [EN + ["Custom field (Size)"]]
            + [
                [f"Item {n}", f"AB-{n}", str(10000 + n), "Epic", "To Do", size]
                for n, size in enumerate(["L", "S", "M", "XS", ""], start=1)
            ],
        )
    )
    got = by_key(plan)
    assert [got[f"AB-{n}"].estimate_size for n in range(1, 6)] == ["L", "S", "M", "XS", None]
    assert got["AB-1"].estimate_raw == "L"


def test_a_size_named_field_holding_numbers_is_not_an_estimate(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [EN + ["Custom field (Company size)"]]
            + [
                [f"Item {n}", f"AB-{n}", str(10000 + n), "Epic", "To Do", size]
                for n, size in enumerate(["50", "200", "M"], start=1)
            ],
        )
    )
    assert all(item.estimate_size is None for item in plan.items)
    notes = [i.problem for i in plan.issues if "named like a size" in i.problem]
    assert len(notes) == 1 and "only 1 of its 3 values" in notes[0]


def test_a_team_size_field_is_never_a_t_shirt_size(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [EN + ["Custom field (Team size)"], ["A", "AB-1", "10001", "Epic", "To Do", "M"]],
        )
    )
    assert plan.items[0].estimate_size is None


@pytest.mark.parametrize("option", ["points_field", "story_points_field"])
def test_story_points_from_the_usual_names_and_the_configured_field(option, tmp_path):
    path = write(
        tmp_path,
        [
            EN + ["Custom field (Effort pts)", "Custom field (Story Point-Schätzung)"],
            ["A", "AB-1", "10001", "Story", "To Do", "13", ""],
            ["B", "AB-2", "10002", "Story", "To Do", "", "5"],
        ],
    )
    usual = by_key(load_plan(path))
    assert (usual["AB-1"].estimate_points, usual["AB-2"].estimate_points) == (None, 5.0)
    configured = by_key(load_plan(path, jira=JiraConfig(**{option: "Effort pts"})))
    assert configured["AB-1"].estimate_points == 13.0


def test_a_json_export_reads_a_size_field_and_keeps_components_as_services(tmp_path):
    page = {
        "issues": [
            {
                "id": str(10000 + n),
                "key": f"AB-{n}",
                "fields": {
                    "summary": f"Item {n}",
                    "issuetype": {"name": "Epic"},
                    "status": {"name": "To Do"},
                    "components": [{"name": "Hadoop"}],
                    "customfield_10500": {"value": size},
                },
            }
            for n, size in enumerate(["L", "XS"], start=1)
        ],
        "names": {"customfield_10500": "Size"},
    }
    path = tmp_path / "search.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    got = by_key(load_plan(path))
    assert (got["AB-1"].estimate_size, got["AB-2"].estimate_size) == ("L", "XS")
    assert {i.team for i in got.values()} == {"AB"} and got["AB-1"].services == ["Hadoop"]


# ------------------------------------------------------------------ the README's French example

FRENCH_EXPORT = [
    [
        "Résumé",
        "Clé de ticket",
        "ID de ticket",
        "Type de ticket",
        "État",
        "Priorité",
        "Personne assignée",
        "Rapporteur",
        "Création",
        "Date d'échéance",
        "Observateurs",
        "Catégorie d'état",
        "Champs personnalisés (Équipe)",
        "Champs personnalisés (Story Points)",
        "Lien du ticket entrant (Blocks)",
        "Lien de ticket sortant (Blocks)",
    ],
    [
        "Migrer le registre des paiements",
        "PAY-1",
        "10001",
        "Epic",
        "En cours",
        "Haute",
        "Ana Silva",
        "Jun Park",
        "01/sept./26 9:00 AM",
        "30/sept./26 12:00 AM",
        "Jun Park",
        "En cours",
        "paiements",
        "13",
        "",
        "PAY-2",
    ],
    [
        "Basculer les lectures",
        "PAY-2",
        "10002",
        "Story",
        "À faire",
        "Moyenne",
        "Jun Park",
        "Ana Silva",
        "02/sept./26 9:00 AM",
        "15/oct./26 12:00 AM",
        "",
        "À faire",
        "paiements",
        "5",
        "PAY-1",
        "",
    ],
    [
        "Arrêter l'ancien registre",
        "PAY-3",
        "10003",
        "Story",
        "À faire",
        "Basse",
        "",
        "Ana Silva",
        "02/sept./26 9:00 AM",
        "",
        "",
        "À faire",
        "",
        "3",
        "",
        "",
    ],
]


def test_the_readme_shows_what_validate_says_of_a_french_export(tmp_path):
    from .conftest import ROOT

    write(tmp_path, FRENCH_EXPORT, name="export-jira.csv")
    result = run_cli("validate", "export-jira.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ roadmap-audit validate export-jira.csv\n", 1)[1].split("```", 1)[0]
    # every line the README shows is what validate prints (validate may print more, e.g. the header row)
    assert shown.strip() and set(shown.splitlines()) <= set(result.stdout.splitlines())
    plan = load_plan(tmp_path / "export-jira.csv")
    got = by_key(plan)
    assert (got["PAY-1"].team, got["PAY-3"].team, got["PAY-2"].depends_on) == (
        "paiements",
        "PAY",
        ["PAY-1"],
    )
    assert (got["PAY-1"].due, got["PAY-1"].estimate_points, got["PAY-1"].done) == (DUE, 13.0, False)
