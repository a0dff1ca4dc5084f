"""The choice lists of DESIGN.md §3. Data: the förbund can add or retire entries."""

from django.db import migrations

from participants.migrations import _choices


def create(apps, schema_editor):
    lists = [
        ("IncomeSource", _choices.INCOME_SOURCES),
        ("EducationLevel", _choices.EDUCATION_LEVELS),
        ("ExitReason", _choices.EXIT_REASONS),
        ("Referrer", _choices.REFERRERS),
        ("JoblessBand", _choices.JOBLESS_BANDS),
        ("StatusKind", _choices.STATUS_KINDS),
    ]
    for model_name, entries in lists:
        model = apps.get_model("participants", model_name)
        for order, (code, label) in enumerate(entries, start=1):
            model.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})
    Occupation = apps.get_model("participants", "Occupation")
    for order, (code, label, group) in enumerate(_choices.OCCUPATIONS, start=1):
        Occupation.objects.get_or_create(
            code=code, defaults={"label": label, "order": order * 10, "sus_group": group}
        )


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
