from django.db import migrations

from finsam.audit import AUDIT_REDACTED_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [("finsam", "0005_alter_access_options")]

    operations = [
        migrations.RunSQL(
            AUDIT_REDACTED_FUNCTION_SQL,
            reverse_sql="DROP FUNCTION IF EXISTS finsam_audit_row_redacted(text, text, jsonb, jsonb, text[]);",
        )
    ]
