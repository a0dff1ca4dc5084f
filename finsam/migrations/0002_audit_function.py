from django.db import migrations

from finsam.audit import AUDIT_FUNCTION_SQL


class Migration(migrations.Migration):
    """The function every audit trigger calls (see finsam/audit.py)."""

    dependencies = [("finsam", "0001_initial")]

    operations = [
        migrations.RunSQL(
            AUDIT_FUNCTION_SQL,
            reverse_sql="DROP FUNCTION IF EXISTS finsam_audit_row(text, text, jsonb, jsonb);",
        )
    ]
