"""The venue and the chair in the four languages, as the title and the concept note are.

The existing text is English: `venue` and `chair` become `venue_en` and `chair_en`, and the
Spanish, French and Portuguese columns start empty (the page falls back to English and staff
see "not yet translated" until someone writes them; `load_seeds` fills the seeded meeting's).
"""

from django.db import migrations, models

LANGUAGES = (("es", "Spanish"), ("fr", "French"), ("pt", "Portuguese"))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_meeting_date_range"),
    ]

    operations = [
        migrations.RenameField(model_name="meeting", old_name="venue", new_name="venue_en"),
        migrations.RenameField(model_name="meeting", old_name="chair", new_name="chair_en"),
        migrations.AlterField(
            model_name="meeting",
            name="venue_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="venue (English)"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="chair_en",
            field=models.CharField(
                blank=True,
                help_text="Who chairs and moderates.",
                max_length=300,
                verbose_name="chair (English)",
            ),
        ),
        *(
            migrations.AddField(
                model_name="meeting",
                name=f"{field}_{code}",
                field=models.CharField(
                    blank=True, max_length=300, verbose_name=f"{field} ({language})"
                ),
            )
            for field in ("venue", "chair")
            for code, language in LANGUAGES
        ),
    ]
