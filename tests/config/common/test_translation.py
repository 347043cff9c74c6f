from django.utils import translation

from mechanisms.models import Mechanism
from tests.factories import make_mechanism


def test_translated_field_reads_the_active_language(db):
    mechanism = make_mechanism(name_en="Regional Conference", name_es="Conferencia Regional")
    with translation.override("es"):
        assert mechanism.name == "Conferencia Regional"
    with translation.override("en"):
        assert mechanism.name == "Regional Conference"


def test_translated_field_falls_back_to_english_when_empty_or_unknown(db):
    mechanism = make_mechanism(name_en="Regional Conference", name_es="")
    with translation.override("es"):
        assert mechanism.name == "Regional Conference"
    with translation.override("de"):
        assert mechanism.name == "Regional Conference"


def test_a_regional_variant_of_a_language_reads_its_column(db):
    mechanism = make_mechanism(name_en="Regional Conference", name_es="Conferencia Regional")
    with translation.override("es-mx"):
        assert mechanism.name == "Conferencia Regional"


def test_a_translated_text_is_stored_in_its_languages_columns_alone(db):
    columns = [field.column for field in Mechanism._meta.concrete_fields]
    assert "name" not in columns
    assert {"name_en", "name_es", "name_fr", "name_pt"} <= set(columns)
