"""The record's tables as the documents show them: times in the meeting's zone (a turn still
running, given on another day, published before planned ends were kept), attendance in the
record's language."""

import datetime as dt

import pytest
from django.utils import translation

from meetings.models import Panelist, PanelistStatus
from meetings.outputs.record import build_record
from meetings.outputs.record_markdown import to_markdown
from tests.meetings.outputs.read_back import opened, table_text

pytestmark = pytest.mark.django_db


def test_markdown_and_docx_give_attendance_in_the_records_language(small):
    Panelist.objects.filter(pk=small["eva"].pk).update(status=PanelistStatus.INVITED)
    with translation.override("es"):
        record = build_record(small["meeting"], internal=False)
        text = to_markdown(record)
        document = opened(record)
    assert text.endswith(
        "## Asistencia\n\n"
        "| Mecanismo | Panelista | Respuesta a la invitación | Intervino |\n"
        "|---|---|---|---|\n"
        "| CRM | Ana Pérez | Confirmado | sí |\n"
        "| CSM | Luis Gómez | Confirmado | sí |\n"
        "| CSM | Eva Ruiz | Invitado | no |\n"
    )
    assert table_text(document.tables[-1])[-1] == ["CSM", "Eva Ruiz", "Invitado", "no"]


def test_a_turn_still_running_is_shown_without_an_end(small):
    record = build_record(small["meeting"], internal=False)
    record["rounds"][1]["entries"][0]["ended_at"] = None  # Ana still speaking in round 2
    text = to_markdown(record)
    assert "| 2 | RCM — Ana Pérez | 10:24–10:31 | 10:26–… | 7:00 | 7:30 | 0:30 |\n" in text
    assert "| 2 | 1 | 10:24–10:39 | 10:26–… |" in text


def test_a_record_published_before_planned_ends_were_kept_still_exports(small):
    record = build_record(small["meeting"], internal=False)
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            del entry["planned_end"]
    assert "| 1 | RCM — Ana Pérez | 10:10–… | 10:10–10:16 |" in to_markdown(record)
    assert table_text(opened(record).tables[0])[1] == ["1", "1", "RCM — Ana Pérez", "10:10–…"]


def test_turns_given_on_another_day_than_the_meetings_say_which_day(small):
    record = build_record(small["meeting"], internal=False)
    entry = record["rounds"][0]["entries"][0]  # Ana's first turn, given a day late
    for key in ("started_at", "ended_at"):
        later = dt.datetime.fromisoformat(entry[key]) + dt.timedelta(days=1)
        entry[key] = later.isoformat().replace("+00:00", "Z")
    text = to_markdown(record)
    assert "| 1 | RCM — Ana Pérez | 10:10–10:17 | May 18, 2030, 10:10–10:16 |" in text
    assert "| 1 | CSM — Luis Gómez | 10:17–10:24 | 10:17–" in text  # on the day: the time alone
