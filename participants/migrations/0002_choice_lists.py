"""The choice lists a förbund starts with. Data: the förbund can add or retire entries."""

from django.db import migrations

from participants.migrations import _choices


def create(apps, schema_editor):
    _choices.create_all(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
