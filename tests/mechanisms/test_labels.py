"""A mechanism named by its acronym and name, once where they are the same."""

import pytest
from django.utils import translation

from mechanisms.models import Mechanism, acronym_and_name


@pytest.mark.parametrize(
    ("acronym", "name", "label"),
    [
        (
            "CSM",
            "South American Conference on Migration",
            "CSM — South American Conference on Migration",
        ),
        ("Proceso de Quito", "Proceso de Quito", "Proceso de Quito"),
        ("Quito  process", "Quito Process", "Quito Process"),
        ("GCM", "", "GCM"),
    ],
)
def test_acronym_and_name(acronym, name, label):
    assert acronym_and_name(acronym, name) == label


def test_the_quito_process_is_named_once_in_every_language(seeded):
    quito = Mechanism.objects.get(acronym_en="Quito Process")
    for language in ("en", "es", "fr", "pt"):
        with translation.override(language):
            assert " — " not in str(quito), language
    with translation.override("es"):
        assert str(quito) == "Proceso de Quito"
