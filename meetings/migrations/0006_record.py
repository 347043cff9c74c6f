import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mechanisms", "0001_initial"),
        ("meetings", "0005_role_permissions_for_notes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="turn",
            name="summary",
            field=models.TextField(
                blank=True,
                validators=[django.core.validators.MaxLengthValidator(50000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="turn",
            name="summary_version",
            field=models.PositiveIntegerField(default=0, verbose_name="summary version"),
        ),
        migrations.AddField(
            model_name="turn",
            name="coordination",
            field=models.ManyToManyField(
                blank=True,
                related_name="coordination_proposals",
                to="mechanisms.mechanism",
                verbose_name="proposes to coordinate with",
            ),
        ),
        migrations.RemoveConstraint(model_name="turn", name="turn_notes_length"),
        migrations.AddConstraint(
            model_name="turn",
            constraint=models.CheckConstraint(
                condition=models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("notes"), 50000
                )
                & models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("summary"), 50000
                ),
                name="turn_notes_length",
            ),
        ),
        migrations.CreateModel(
            name="PublishedRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="published at"),
                ),
                ("content", models.JSONField(verbose_name="content")),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publications",
                        to="meetings.meeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
            ],
            options={
                "verbose_name": "published record",
                "verbose_name_plural": "published records",
                "ordering": ["-published_at", "-pk"],
                "get_latest_by": "published_at",
            },
        ),
    ]
