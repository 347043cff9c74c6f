import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mechanisms.models import (
    Mechanism,
    MechanismKind,
    MechanismStatus,
    Membership,
    MemberState,
    OASStatus,
    Organisation,
    SeedRecord,
)

pytestmark = pytest.mark.django_db

NOTE_MEMBERS = {
    "rcm": {"BZ", "CA", "CR", "DO", "GT", "HN", "MX", "NI", "PA", "SV", "US"},
    "csm": {"AR", "BO", "BR", "CL", "CO", "EC", "GY", "PY", "PE", "SR", "UY", "VE"},
    "mirps": {"BZ", "CR", "GT", "HN", "MX", "PA"},
    "quito-process": {"AR", "BR", "CL", "CO", "CR", "DO", "EC", "GY", "MX", "PA", "PE", "UY"},
}


def load_seeds(path=None) -> str:
    out = io.StringIO()
    call_command("load_seeds", *(["--path", str(path)] if path else []), stdout=out)
    return out.getvalue()


def members_of(slug: str) -> set[str]:
    return set(
        Membership.objects.filter(mechanism__slug=slug).values_list("state__code", flat=True)
    )


def snapshot() -> list:
    """Everything the seeds write, to compare two runs."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (MemberState, Organisation, Mechanism, Membership)
    ] + [list(Mechanism.lead_organisations.through.objects.order_by("pk").values())]


def test_seeds_hold_the_35_states_that_signed_the_oas_charter(seeded):
    assert MemberState.objects.count() == 35
    assert {"AR", "BR", "CA", "US", "HT", "TT", "KN", "VC"} <= set(
        MemberState.objects.values_list("code", flat=True)
    )
    assert MemberState.objects.get(code="DO").name_es == "República Dominicana"


def test_seeds_give_the_oas_status_where_it_is_not_plain_membership(seeded):
    unusual = dict(
        MemberState.objects.exclude(oas_status=OASStatus.MEMBER).values_list("code", "oas_status")
    )
    assert unusual == {
        "CU": OASStatus.NOT_PARTICIPATING,
        "NI": OASStatus.WITHDRAWN,
        "VE": OASStatus.CONTESTED,
    }
    assert all(
        state.status_note_en and state.status_note_es
        for state in MemberState.objects.exclude(oas_status=OASStatus.MEMBER)
    )


def test_seeds_hold_the_nine_mechanisms_of_the_concept_note(seeded):
    mechanisms = {m.slug: m for m in Mechanism.objects.all()}
    assert list(mechanisms) == [
        "rcm", "csm", "cam", "cmc", "mirps", "quito-process", "r4v", "gcm", "gcr",
    ]  # fmt: skip
    years = {slug: m.year_established for slug, m in mechanisms.items()}
    assert years == {
        "rcm": 1996, "csm": 1999, "cam": 2012, "cmc": 2016, "mirps": 2017,
        "quito-process": 2018, "r4v": 2018, "gcm": 2018, "gcr": 2018,
    }  # fmt: skip
    assert (mechanisms["rcm"].acronym_en, mechanisms["rcm"].acronym_es) == ("RCM", "CRM")
    assert mechanisms["csm"].other_name_en == "Lima Process"
    assert mechanisms["cam"].kind == MechanismKind.OAS_BODY
    assert mechanisms["gcm"].kind == mechanisms["gcr"].kind == MechanismKind.GLOBAL_COMPACT
    assert mechanisms["r4v"].kind == MechanismKind.INTERAGENCY_COORDINATION_PLATFORM
    assert all(m.description_en and m.description_es for m in mechanisms.values())


def test_only_the_cmc_is_not_in_operation(seeded):
    assert list(
        Mechanism.objects.filter(status=MechanismStatus.NOT_IN_OPERATION).values_list(
            "slug", flat=True
        )
    ) == ["cmc"]


def test_the_cam_had_the_special_committee_as_predecessor(seeded):
    cam = Mechanism.objects.get(slug="cam")
    assert cam.predecessor_name_en == "Special Committee on Migration Issues"
    assert (cam.predecessor_from, cam.predecessor_until) == (2008, 2012)
    assert cam.parent_organisation.slug == "cidi"


def test_r4v_is_led_by_unhcr_and_iom_with_its_stated_counts(seeded):
    r4v = Mechanism.objects.get(slug="r4v")
    assert set(r4v.lead_organisations.values_list("acronym_en", flat=True)) == {"UNHCR", "IOM"}
    assert (r4v.stated_partner_count, r4v.stated_country_count) == (192, 17)
    assert Mechanism.objects.get(slug="gcm").stated_country_count == 164


def test_memberships_are_those_the_note_lists(seeded):
    for slug, codes in NOTE_MEMBERS.items():
        assert members_of(slug) == codes, slug
    assert members_of("cam") == set(MemberState.objects.values_list("code", flat=True))
    for slug in ("cmc", "r4v", "gcm", "gcr"):
        assert members_of(slug) == set(), slug


def test_loading_twice_changes_nothing(db):
    first = load_seeds()
    before = snapshot()
    second = load_seeds()
    assert "Created 9 mechanisms" in first
    assert second.strip() == "Seeds already loaded: nothing to change."
    assert snapshot() == before


def test_loading_keeps_what_a_user_edited(seeded, tmp_path):
    Mechanism.objects.filter(slug="rcm").update(description_en="Edited by the secretariat.")
    seeds = copy_seeds(tmp_path)
    replace_in(seeds / "mechanisms.toml", "year_established = 1996", "year_established = 1995")

    output = load_seeds(seeds)

    rcm = Mechanism.objects.get(slug="rcm")
    assert rcm.description_en == "Edited by the secretariat."
    assert rcm.year_established == 1996
    assert "Kept 1 mechanisms as users left them: RCM (edited by a user)" in output


def test_loading_follows_a_changed_seed_file_where_nobody_edited(seeded, tmp_path):
    seeds = copy_seeds(tmp_path)
    replace_in(seeds / "mechanisms.toml", "year_established = 1999", "year_established = 2000")

    output = load_seeds(seeds)

    assert Mechanism.objects.get(slug="csm").year_established == 2000
    assert "Updated 1 mechanisms from the seed files: CSM" in output


def test_loading_does_not_recreate_what_a_user_deleted(seeded):
    Membership.objects.filter(mechanism__slug="mirps", state__code="BZ").delete()

    output = load_seeds()

    assert "BZ" not in members_of("mirps")
    assert "MIRPS: Belize (deleted by a user)" in output


def test_loading_adopts_a_record_a_user_made_exactly_as_the_seed(db, tmp_path):
    load_seeds()
    SeedRecord.objects.all().delete()

    assert load_seeds().strip() == "Seeds already loaded: nothing to change."
    assert SeedRecord.objects.count() > 0


def test_a_bad_seed_file_is_refused_naming_the_place(db, tmp_path):
    seeds = copy_seeds(tmp_path)
    replace_in(seeds / "member_states.csv", ",caribbean,", ",atlantis,", count=1)

    with pytest.raises(CommandError, match=r"member_states\.csv:\d+: subregion"):
        load_seeds(seeds)
    assert MemberState.objects.count() == 0  # all or nothing


def copy_seeds(tmp_path):
    from django.conf import settings

    return shutil.copytree(settings.BASE_DIR / "seeds", tmp_path / "seeds")


def replace_in(path, old, new, count=-1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
