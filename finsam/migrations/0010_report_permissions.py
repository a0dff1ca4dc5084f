from django.db import migrations

# Frozen at the time of this migration.
NEW_PERMISSIONS = {"approve_reports": "Får godkänna rapporter från insatser"}
GRANTS = {"Kansli": ["approve_reports"]}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access, _ = ContentType.objects.get_or_create(app_label="finsam", model="access")
    permissions = {
        codename: Permission.objects.get_or_create(
            content_type=access, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in NEW_PERMISSIONS.items()
    }
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(permissions[c] for c in codenames))


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="finsam", codename__in=NEW_PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("finsam", "0009_alter_access_options")]

    operations = [migrations.RunPython(grant, revoke)]
