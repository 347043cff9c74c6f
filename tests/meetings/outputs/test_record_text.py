"""The record in words: headings and labels as each language writes them."""

import pytest
from django.utils import translation

from meetings.models import Round
from meetings.outputs.record import build_record
from meetings.outputs.record_markdown import to_markdown
from tests.meetings.outputs.read_back import opened, paragraphs, styled

pytestmark = pytest.mark.django_db


def test_french_puts_a_space_before_its_colons(small):
    Round.objects.filter(meeting=small["meeting"], number=1).update(
        title_en="Challenges", title_fr="Défis"
    )
    with translation.override("fr"):
        record = build_record(small["meeting"], internal=False)
        text = to_markdown(record)
        document = opened(record)
    assert "## Tour 1 : Défis\n" in text
    assert styled(document, "Heading 1")[1] == "Tour 1 : Défis"
    assert "Résumé : Ana: regional work." in paragraphs(document)  # typed text kept as typed
