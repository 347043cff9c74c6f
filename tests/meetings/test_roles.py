import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings.roles import CHAIR, ROLE_PERMISSIONS, SECRETARIAT, codenames

pytestmark = pytest.mark.django_db


def granted(group_name: str) -> set[tuple[str, str]]:
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.parametrize("role", [CHAIR, SECRETARIAT])
def test_role_groups_exist_after_migrate_with_their_permissions(role):
    declared = {
        pair
        for model_label, actions in ROLE_PERMISSIONS[role].items()
        for pair in codenames(model_label, actions)
    }
    assert declared <= granted(role)


def test_the_chair_may_do_everything_the_secretariat_may():
    assert granted(SECRETARIAT) <= granted(CHAIR)


def test_secretariat_may_edit_mechanisms_but_not_member_states():
    permissions = granted(SECRETARIAT)
    assert ("mechanisms", "change_mechanism") in permissions
    assert ("mechanisms", "change_memberstate") not in permissions


def make_demo_accounts(tmp_path) -> str:
    out = io.StringIO()
    call_command("ensure_demo_accounts", "--file", str(tmp_path / "accounts"), stdout=out)
    return out.getvalue()


def test_demo_accounts_are_refused_when_debug_is_off(tmp_path):
    with pytest.raises(CommandError, match="development only"):
        make_demo_accounts(tmp_path)
    assert not get_user_model().objects.exists()


def test_demo_accounts_get_random_passwords_kept_across_runs(tmp_path, settings, client):
    settings.DEBUG = True
    first = make_demo_accounts(tmp_path)
    second = make_demo_accounts(tmp_path)

    assert first == second
    passwords = dict(line.split("\t") for line in (tmp_path / "accounts").read_text().splitlines())
    assert set(passwords) == {"chair", "secretariat", "admin"}
    assert len(set(passwords.values())) == 3
    assert all(len(password) >= 16 for password in passwords.values())
    assert (tmp_path / "accounts").stat().st_mode & 0o077 == 0

    users = get_user_model().objects
    assert users.get(username="chair").groups.filter(name=CHAIR).exists()
    assert users.get(username="secretariat").groups.filter(name=SECRETARIAT).exists()
    assert users.get(username="admin").is_superuser
    assert client.login(username="chair", password=passwords["chair"])
