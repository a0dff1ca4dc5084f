"""The usual kostnadsslag. They are data: the förbund can add or retire them."""

from django.db import migrations

from projects.migrations._categories import CATEGORIES


def create(apps, schema_editor):
    CostCategory = apps.get_model("projects", "CostCategory")
    for order, (name, personnel) in enumerate(CATEGORIES, start=1):
        CostCategory.objects.get_or_create(
            name=name, defaults={"order": order * 10, "is_personnel": personnel}
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
