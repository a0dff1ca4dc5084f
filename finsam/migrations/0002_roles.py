"""The roles (Groups) a förbund starts with, and what each may use.

A frozen copy of ``finsam.roles`` at the squash before the first release: a
later change of a role's rights is a new migration.
"""

from django.db import migrations

PERMISSION_NAMES = {
    "use_projects": "Får använda Insatser",
    "use_participants": "Får använda Deltagare",
    "use_board": "Får använda Styrelsen",
    "use_reports": "Får använda Rapporter",
    "manage_users": "Får administrera användare och roller",
    "manage_federation": "Får administrera förbundet, medlemmar och medlemsbidrag",
    "view_audit": "Får läsa historik",
    "view_all_projects": "Får se alla insatser",
    "manage_applications": "Får bereda ansökningar och registrera beslut",
    "manage_meetings": "Får förbereda sammanträden och skriva protokoll",
    "approve_reports": "Får godkänna rapporter från insatser",
    "manage_budgets": "Får registrera budget, utfall och prognos, exportera och importera",
}

ROLE_PERMISSIONS = {
    "Kansli": [
        "use_projects",
        "use_participants",
        "use_board",
        "use_reports",
        "manage_federation",
        "view_audit",
        "view_all_projects",
        "manage_applications",
        "manage_budgets",
        "manage_meetings",
        "approve_reports",
    ],
    "Insatspersonal": ["use_projects", "use_participants", "use_reports"],
    "Styrelse": ["use_board"],
    "Ekonomi": [
        "use_projects",
        "use_reports",
        "manage_users",
        "manage_federation",
        "view_audit",
        "view_all_projects",
        "manage_budgets",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; the roles need them now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access, _ = ContentType.objects.get_or_create(app_label="finsam", model="access")
    permissions = {
        codename: Permission.objects.get_or_create(
            content_type=access, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSION_NAMES.items()
    }
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(permissions[c] for c in codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("finsam", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
