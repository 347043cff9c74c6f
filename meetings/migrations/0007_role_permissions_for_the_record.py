from django.db import migrations

from meetings.roles import ensure_role_groups


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_record")]

    operations = [migrations.RunPython(ensure_role_groups, migrations.RunPython.noop)]
