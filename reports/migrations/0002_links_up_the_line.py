"""The § of the board that laid a report to handlingarna: added once the
board's tables exist."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The board comes after reports in the line (its §§ refer to reports)."""

    dependencies = [
        ("reports", "0001_initial"),
        ("board", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="filed_paragraph",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="filed_reports",
                to="board.paragraph",
                verbose_name="lagd till handlingarna i",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "lagd_till_handlingarna"), _negated=True),
                    ("filed_paragraph__isnull", False),
                    _connector="OR",
                ),
                name="report_filed_on_paragraph",
                violation_error_message="En rapport läggs till handlingarna genom en paragraf i ett protokoll.",
            ),
        ),
    ]
