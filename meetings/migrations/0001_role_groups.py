from django.db import migrations

from meetings.roles import ensure_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mechanisms", "0001_initial"),
    ]

    operations = [migrations.RunPython(ensure_role_groups, migrations.RunPython.noop)]
