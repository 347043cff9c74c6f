"""The emails to panelists become the outbox: every email, to a panelist, a delegation or an
account, with its meeting, its time to be sent, its key and the message as sent. The rows kept
stay (renamed, not copied): each gets its meeting and a key of its own."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

from meetings.roles import ensure_role_groups


def give_each_its_meeting_and_key(apps, schema_editor):
    Email = apps.get_model("meetings", "Email")
    for email in Email.objects.select_related("panelist").iterator():
        email.meeting_id = email.panelist.meeting_id
        email.key = str(uuid.uuid4())
        email.send_after = email.created_at
        email.save(update_fields=["meeting", "key", "send_after"])


def rename_the_permissions(apps, schema_editor):
    """The model's permissions follow its new name (Django renames its content type, not its
    permissions' codenames), so the roles keep what they were granted."""
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="meetings", codename__endswith="_panelistemail"
    ):
        action = permission.codename.removesuffix("_panelistemail")
        if Permission.objects.filter(
            content_type=permission.content_type, codename=f"{action}_email"
        ).exists():
            permission.delete()
        else:
            permission.codename = f"{action}_email"
            permission.name = f"Can {action} email"
            permission.save(update_fields=["codename", "name"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0026_deadlines_and_reminders"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="panelistemail", name="email_panelist_digest"),
        migrations.RenameModel(old_name="PanelistEmail", new_name="Email"),
        migrations.RunPython(rename_the_permissions, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="email",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "email",
                "verbose_name_plural": "emails",
            },
        ),
        migrations.AlterField(
            model_name="email",
            name="panelist",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="meetings.panelist",
                verbose_name="panelist",
            ),
        ),
        migrations.AddField(
            model_name="email",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="meetings.meeting",
                verbose_name="meeting",
            ),
        ),
        migrations.AddField(
            model_name="email",
            name="delegation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="meetings.delegation",
                verbose_name="delegation",
            ),
        ),
        migrations.AlterField(
            model_name="email",
            name="kind",
            field=models.CharField(
                choices=[
                    ("invitation", "Invitation"),
                    ("reminder", "Reminder"),
                    ("update", "Updated slot"),
                    ("confirmation_reminder", "Reminder to confirm"),
                    ("answers_reminder", "Reminder of written answers"),
                    ("convocation", "Convocation"),
                    ("password_reset", "Password reset"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="email",
            name="status",
            field=models.CharField(
                choices=[
                    ("scheduled", "Scheduled"),
                    ("queued", "Queued"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="queued",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="email",
            name="subject",
            field=models.CharField(blank=True, max_length=300, verbose_name="subject"),
        ),
        migrations.AddField(
            model_name="email",
            name="send_after",
            field=models.DateTimeField(blank=True, null=True, verbose_name="send after"),
        ),
        migrations.AddField(
            model_name="email",
            name="key",
            field=models.CharField(max_length=200, null=True, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="email",
            name="batch",
            field=models.UUIDField(blank=True, db_index=True, null=True, verbose_name="batch"),
        ),
        migrations.AddField(
            model_name="email",
            name="text",
            field=models.TextField(blank=True, verbose_name="text"),
        ),
        migrations.AddField(
            model_name="email",
            name="html",
            field=models.TextField(blank=True, verbose_name="HTML"),
        ),
        migrations.AddField(
            model_name="email",
            name="calendar",
            field=models.TextField(blank=True, verbose_name="calendar file"),
        ),
        migrations.RunPython(give_each_its_meeting_and_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="email",
            name="key",
            field=models.CharField(
                default=uuid.uuid4, editable=False, max_length=200, unique=True, verbose_name="key"
            ),
        ),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(fields=["panelist", "digest"], name="email_panelist_digest"),
        ),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(fields=["status", "send_after"], name="email_status_due"),
        ),
        migrations.RunPython(ensure_role_groups, migrations.RunPython.noop),
    ]
