"""Rekvisitioner: the kansli sakgranskar, the ekonom attesterar and
registers the payment (a frozen copy of the change in ``finsam.roles``)."""

from django.db import migrations

PERMISSIONS = {
    "attest_payments": ("Får sakgranska rekvisitioner", "Kansli"),
    "approve_payments": (
        "Får attestera rekvisitioner och registrera utbetalningar",
        "Ekonomi",
    ),
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access, _ = ContentType.objects.get_or_create(app_label="finsam", model="access")
    for codename, (name, role) in PERMISSIONS.items():
        permission = Permission.objects.get_or_create(
            content_type=access, codename=codename, defaults={"name": name}
        )[0]
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="finsam", codename__in=PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("finsam", "0004_stored_files")]

    operations = [
        migrations.AlterModelOptions(
            name="access",
            options={
                "default_permissions": (),
                "managed": False,
                "permissions": [
                    ("use_projects", "Får använda Insatser"),
                    ("use_participants", "Får använda Deltagare"),
                    ("use_board", "Får använda Styrelsen"),
                    ("use_reports", "Får använda Rapporter"),
                    ("manage_users", "Får administrera användare och roller"),
                    (
                        "manage_federation",
                        "Får administrera förbundet, medlemmar och medlemsbidrag",
                    ),
                    ("view_audit", "Får läsa historik"),
                    ("view_all_projects", "Får se alla insatser"),
                    ("manage_applications", "Får bereda ansökningar och registrera beslut"),
                    ("manage_meetings", "Får förbereda sammanträden och skriva protokoll"),
                    ("approve_reports", "Får godkänna rapporter från insatser"),
                    (
                        "manage_budgets",
                        "Får registrera budget, utfall och prognos, exportera och importera",
                    ),
                    ("attest_payments", "Får sakgranska rekvisitioner"),
                    (
                        "approve_payments",
                        "Får attestera rekvisitioner och registrera utbetalningar",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
