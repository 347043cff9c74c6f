"""Migration 0027: the emails to panelists become the outbox, rows and permissions kept."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.roles import SECRETARIAT
from tests.factories import make_mechanism

BEFORE = [("meetings", "0026_deadlines_and_reminders")]
AFTER = [("meetings", "0027_outbox")]


@pytest.mark.django_db(transaction=True)
def test_the_emails_kept_become_the_outbox_with_their_meeting_and_the_roles_keep_reading_them():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    meeting = old.get_model("meetings", "Meeting").objects.create(
        slug="old", title_en="Old", date="2022-05-17", start_time="10:00", end_time="12:00"
    )
    panelist = old.get_model("meetings", "Panelist").objects.create(
        meeting=meeting, mechanism_id=make_mechanism().pk, name="Ana", email="ana@example.org"
    )
    PanelistEmail = old.get_model("meetings", "PanelistEmail")
    for kind in ("invitation", "reminder"):
        PanelistEmail.objects.create(
            panelist=panelist, kind=kind, to="ana@example.org", language="es",
            subject=f"{kind} subject", status="sent",
        )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    emails = list(new.get_model("meetings", "Email").objects.order_by("pk"))
    assert [(e.kind, e.subject, e.meeting_id, e.status) for e in emails] == [
        ("invitation", "invitation subject", meeting.pk, "sent"),
        ("reminder", "reminder subject", meeting.pk, "sent"),
    ]
    assert len({email.key for email in emails}) == 2
    assert all(email.send_after == email.created_at for email in emails)
    granted = set(
        Group.objects.get(name=SECRETARIAT).permissions.values_list("codename", flat=True)
    )
    assert {"view_email", "add_email"} <= granted
    assert not {codename for codename in granted if codename.endswith("panelistemail")}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
