import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from meetings import honorifics
from meetings.honorifics import Honorific, from_text, salutation, written
from meetings.outputs.record import build_record
from meetings.services.panel import update_panelist
from tests.factories import make_mechanism, make_meeting, make_panelist

BEFORE = [("meetings", "0017_meeting_quick_message")]
AFTER = [("meetings", "0018_honorific_keys")]


def test_every_language_writes_every_honorific_and_greets():
    languages = {code for code, _name in settings.LANGUAGES}
    assert set(honorifics.WRITTEN) == languages
    assert set(honorifics.SALUTATIONS) == languages
    keys = set(Honorific.values) - {"", "other"}
    for language in languages:
        assert set(honorifics.WRITTEN[language]) == keys, language
        assert set(honorifics.SALUTATIONS[language]) == {"f", "m", None}, language


@pytest.mark.parametrize(
    ("key", "en", "es", "fr", "pt"),
    [
        ("he", "H.E.", "S.E.", "S.E.", "S.Exa."),
        ("mr", "Mr.", "Sr.", "M.", "Sr."),
        ("ms", "Ms.", "Sra.", "Mme", "Sra."),
        ("mrs", "Mrs.", "Sra.", "Mme", "Sra."),
        ("dr_m", "Dr.", "Dr.", "Dr", "Dr."),
        ("dr_f", "Dr.", "Dra.", "Dr", "Dra."),
        ("amb_f", "Amb.", "Embajadora", "Ambassadrice", "Embaixadora"),
        ("prof_f", "Prof.", "Profa.", "Pr", "Profa."),
        ("", "", "", "", ""),
    ],
)
def test_an_honorific_is_written_as_the_readers_language_writes_it(key, en, es, fr, pt):
    assert [written(key, language=code) for code in ("en", "es", "fr", "pt")] == [en, es, fr, pt]
    with translation.override("es"):
        assert written(key) == es  # the active language by default


def test_a_typed_honorific_is_written_as_typed_in_every_language():
    for language in ("en", "es", "fr", "pt"):
        assert written("other", " Rev. ", language=language) == "Rev."


def test_a_language_without_a_table_writes_english():
    assert written("ms", language="de") == "Ms."
    assert written("ms", language="es-419") == "Sra."


def test_the_greeting_agrees_with_the_gender_the_honorific_tells():
    assert salutation("Sra. Ana Pérez", "ms", language="es") == "Estimada Sra. Ana Pérez:"
    assert salutation("Sr. Luis Gómez", "mr", language="es") == "Estimado Sr. Luis Gómez:"
    assert salutation("S.E. Ana Pérez", "he", language="es") == "Estimado/a S.E. Ana Pérez:"
    assert salutation("Rev. Ana Pérez", "other", language="es") == "Estimado/a Rev. Ana Pérez:"
    assert salutation("Mme Ana Pérez", "ms", language="fr") == "Chère Mme Ana Pérez,"
    assert salutation("M. Luis Gómez", "mr", language="fr") == "Cher M. Luis Gómez,"
    assert salutation("Ana Pérez", "", language="fr") == "Cher/Chère Ana Pérez,"


@pytest.mark.parametrize(
    ("text", "key", "other"),
    [
        ("Ms.", "ms", ""),
        ("ms", "ms", ""),
        ("Sra.", "ms", ""),
        ("Mme", "ms", ""),
        ("Mr", "mr", ""),
        ("M.", "mr", ""),
        ("H. E.", "he", ""),
        ("His Excellency", "he", ""),
        ("Dra.", "dr_f", ""),
        ("Embajadora", "amb_f", ""),
        ("Mrs.", "mrs", ""),
        ("Dr.", "other", "Dr."),  # a man or a woman: left as typed
        ("Ambassador", "other", "Ambassador"),
        ("Rev.  Father", "other", "Rev. Father"),
        ("", "", ""),
        ("   ", "", ""),
    ],
)
def test_a_free_text_honorific_becomes_its_key_only_when_it_names_one(text, key, other):
    assert from_text(text) == (key, other)


@pytest.mark.django_db
def test_other_needs_its_text_and_a_key_drops_it():
    panelist = make_panelist(make_meeting(), name="Ana Pérez")
    with pytest.raises(ValidationError) as refused:
        update_panelist(panelist, by=None, honorific="other", honorific_other=" ")
    assert "honorific_other" in refused.value.message_dict
    panelist.refresh_from_db()
    update_panelist(panelist, by=None, honorific="ms", honorific_other="Rev.")
    panelist.refresh_from_db()
    assert (panelist.honorific, panelist.honorific_other) == ("ms", "")


@pytest.mark.django_db
def test_an_unknown_key_is_refused():
    panelist = make_panelist(make_meeting(), name="Ana Pérez")
    with pytest.raises(ValidationError):
        update_panelist(panelist, by=None, honorific="Excma.")


@pytest.mark.django_db
def test_every_page_and_the_record_write_the_honorific_in_their_language():
    meeting = make_meeting()
    panelist = make_panelist(meeting, name="Ana Pérez", honorific="ms")
    with translation.override("fr"):
        assert panelist.display_name == "Mme Ana Pérez"
        record = build_record(meeting, internal=False)
    [seat] = record["panel"]
    assert (seat["name"], seat["honorific"]) == ("Mme Ana Pérez", "ms")
    with translation.override("es"):
        assert build_record(meeting, internal=False)["panel"][0]["name"] == "Sra. Ana Pérez"


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_free_texts_into_keys_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    meeting = make_old_meeting(old)
    mechanism = make_mechanism()  # the directory is not migrated here
    Panelist = old.get_model("meetings", "Panelist")
    typed = ["Ms.", "Sr.", "H.E.", "Dr.", "Dra.", "Ambassador", ""]
    ids = [
        Panelist.objects.create(
            meeting=meeting, mechanism_id=mechanism.pk, name="A", honorific=text
        ).pk
        for text in typed
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("meetings", "Panelist")
    assert [
        (row.honorific, row.honorific_other) for row in sorted(new.objects.all(), key=by_pk)
    ] == [
        ("ms", ""),
        ("mr", ""),
        ("he", ""),
        ("other", "Dr."),
        ("dr_f", ""),
        ("other", "Ambassador"),
        ("", ""),
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps.get_model("meetings", "Panelist")
    assert [back.objects.get(pk=pk).honorific for pk in ids] == [
        "Ms.",
        "Mr.",
        "H.E.",
        "Dr.",
        "Dr.",
        "Ambassador",
        "",
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def by_pk(row):
    return row.pk


def make_old_meeting(old_apps):
    Meeting = old_apps.get_model("meetings", "Meeting")
    return Meeting.objects.create(
        slug="old",
        title_en="Old",
        date="2022-05-17",
        start_time="10:00",
        end_time="12:00",
    )
