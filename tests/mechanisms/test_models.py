"""The directory's natural keys: what names a state, an organisation or a mechanism across
databases (its code or its slug), so that serialised rows refer to them without ids."""

import json

import pytest
from django.core import serializers

from mechanisms.models import Mechanism, MemberState, Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "key"),
    [(MemberState, "code"), (Organisation, "slug"), (Mechanism, "slug")],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_each_directory_row_is_found_by_its_natural_key(seeded, model, key):
    for row in model.objects.all():
        assert row.natural_key() == (getattr(row, key),)
        assert model.objects.get_by_natural_key(*row.natural_key()) == row


def test_mechanisms_serialise_with_natural_keys_and_load_back_onto_the_same_rows(seeded):
    text = serializers.serialize(
        "json",
        Mechanism.objects.all(),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    hosted = Mechanism.objects.exclude(parent_organisation=None).first()
    row = next(row for row in json.loads(text) if row["fields"]["slug"] == hosted.slug)
    assert "pk" not in row
    assert row["fields"]["parent_organisation"] == [hosted.parent_organisation.slug]

    found = {item.object.slug: item.object.pk for item in serializers.deserialize("json", text)}

    assert found[hosted.slug] == hosted.pk  # matched by slug, not by id
