from django.utils import translation

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
