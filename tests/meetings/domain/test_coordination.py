"""Suggestions of the mechanisms an answer proposes to coordinate with, found in its text.

The seeded directory is the reference: acronyms match as whole words with their case, names
in any of the four languages whatever the case and accents, the speaker's own mechanism never.
"""

import pytest

from mechanisms.models import Mechanism
from meetings.domain.coordination import merged_choice, named, suggest


@pytest.fixture
def directory(seeded):
    return [named(mechanism) for mechanism in Mechanism.objects.all()]


@pytest.mark.parametrize(
    "text",
    [
        "We propose joint work with the CRM.",
        "CRM",
        "(CRM) and its member states",
        "La CRM, en su reunión anual.",
    ],
)
def test_an_acronym_in_the_text_is_found(directory, text):
    assert suggest(text, directory) == ["rcm"]


@pytest.mark.parametrize(
    "text",
    [
        "we work with the crm on this",  # another case: a word, not the acronym
        "Crm",
        "Several CRMs exist in the world.",  # part of a longer word
        "XCRM and CRMX",
        "the CRM-led initiative",  # joined by a hyphen to a word
    ],
)
def test_an_acronym_counts_only_as_a_whole_word_with_its_case(directory, text):
    assert suggest(text, directory) == []


def test_both_acronyms_of_a_mechanism_lead_to_it(directory):
    assert suggest("The RCM (CRM in Spanish).", directory) == ["rcm"]
    assert suggest("El PMM y el PMR.", directory) == ["gcm", "gcr"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Trabajamos con el Proceso de Quito.", "quito-process"),
        ("trabajamos con el proceso de quito", "quito-process"),
        ("PROCESO DE QUITO", "quito-process"),
        ("We joined the Quito Process in 2018.", "quito-process"),
        ("Según el Pacto Mundial para la Migración, ...", "gcm"),
        ("según el pacto mundial para la migracion", "gcm"),
        ("El PACTO MUNDIAL PARA LA MIGRACIÓN", "gcm"),
        ("la Conferencia Suramericana sobre Migraciones", "csm"),
        ("el Proceso Puebla", "rcm"),
        ("the Global Compact on Refugees", "gcr"),
        ("la Plataforma R4V", "r4v"),
    ],
)
def test_a_name_is_found_in_english_or_spanish_whatever_the_case_and_accents(directory, text, slug):
    assert suggest(text, directory) == [slug]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Nous travaillons avec le Processus de Quito.", "quito-process"),
        ("selon le pacte mondial sur les migrations", "gcm"),
        ("Trabalhamos com o Processo de Quito.", "quito-process"),
        ("o Pacto Global para a Migração Segura, Ordenada e Regular", "gcm"),
        ("a Conferência Sul-Americana sobre Migrações", "csm"),
        ("O PGM e o PGR.", "gcm"),
    ],
)
def test_a_name_or_acronym_is_found_in_french_or_portuguese_too(directory, text, slug):
    assert suggest(text, directory)[0] == slug


def test_a_name_counts_only_as_whole_words(directory):
    assert suggest("the Quito Processes", directory) == []
    assert suggest("Proceso de Quitoa", directory) == []


def test_the_speakers_own_mechanism_is_left_out(directory):
    text = "The CRM works with the CSM and the Proceso de Quito."
    assert suggest(text, directory) == ["rcm", "csm", "quito-process"]
    assert suggest(text, directory, own="rcm") == ["csm", "quito-process"]
    assert suggest("Proceso de Quito", directory, own="quito-process") == []


def test_the_mechanisms_come_in_the_order_given_each_once(directory):
    text = "GCR, GCM, GCM again, CSM and the Global Compact on Refugees."
    assert suggest(text, directory) == ["csm", "gcm", "gcr"]
    assert suggest(text, list(reversed(directory))) == ["gcr", "gcm", "csm"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The weather in Washington was pleasant and the coffee was good.",
        "Gracias, señora presidenta, por la invitación a esta reunión.",
        "We will camp near the cmc building on the road to quito.",
    ],
)
def test_nothing_is_found_in_unrelated_text(directory, text):
    assert suggest(text, directory) == []


def test_a_short_name_held_as_an_acronym_matches_as_a_name(directory):
    quito = next(mechanism for mechanism in directory if mechanism.slug == "quito-process")
    assert quito.acronyms == ()
    assert "Quito Process" in quito.names and "Proceso de Quito" in quito.names


@pytest.mark.parametrize(
    ("saved", "seen", "chosen", "result"),
    [
        ({1}, set(), {2}, {1, 2}),  # someone marked 1 meanwhile: kept, and 2 added
        ({1, 2}, {1, 2}, {2}, {2}),  # unticking what the page showed removes it
        ({1}, {1, 2}, {1, 2}, {1}),  # 2 removed meanwhile, untouched here: stays removed
        ({3}, {1}, {1}, {3}),  # nothing changed on the page: what is saved stays
        (set(), set(), set(), set()),
    ],
)
def test_a_forms_ticks_change_only_what_it_changed(saved, seen, chosen, result):
    assert merged_choice(saved, seen, chosen) == result
