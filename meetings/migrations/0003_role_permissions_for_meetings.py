from django.db import migrations

from meetings.roles import ensure_role_groups


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_meetings_panel_answers")]

    operations = [migrations.RunPython(ensure_role_groups, migrations.RunPython.noop)]
