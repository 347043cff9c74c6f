"""Every model has a working admin for staff, and nobody else gets in."""

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings.roles import SECRETARIAT
from tests.factories import make_meeting, make_panelist, make_user

pytestmark = pytest.mark.django_db

ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"meetings", "mechanisms"}
)


def test_every_model_of_ours_is_in_the_admin():
    from django.apps import apps

    ours = {
        (model._meta.app_label, model._meta.model_name)
        for app in ("meetings", "mechanisms")
        for model in apps.get_app_config(app).get_models()
        if not model._meta.auto_created
    }
    assert ours == set(ADMINS)


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_staff_see_every_list_and_search_it_safely(client, app, model):
    meeting = make_meeting()
    make_panelist(meeting)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{app}_{model}_changelist")
    assert client.get(url).status_code == 200
    response = client.get(url, {"q": "<script>alert(1)</script>\x00 =1+1"})
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_nobody_but_staff_gets_into_the_admin(client, app, model):
    url = reverse(f"admin:{app}_{model}_changelist")
    assert client.get(url).status_code == 302  # anonymous: to sign in
    client.force_login(make_user(SECRETARIAT))  # a role, but not staff
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
