"""The two references from projects to apps later in the line (a goal's
status, the § that decided an application), added once those apps exist."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Kept apart so that every initial migration depends only on the apps
    before it: finsam ← projects ← participants ← board, reports."""

    dependencies = [
        ("projects", "0002_cost_categories"),
        ("participants", "0001_initial"),
        ("board", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="decision_paragraph",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decided_applications",
                to="board.paragraph",
                verbose_name="beslutsparagraf i protokollet",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="measure_status",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="participants.statuskind",
                verbose_name="status som räknas",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("measure", ""), ("measure_status__isnull", True), ("measure_group", "")
                    ),
                    models.Q(
                        ("measure", "status"),
                        ("measure_status__isnull", False),
                        ("measure_group", ""),
                    ),
                    models.Q(
                        ("measure", "sysselsattning"),
                        ("measure_status__isnull", True),
                        models.Q(("measure_group", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="goal_measure_complete",
                violation_error_message="Välj vilken status eller sysselsättning som räknas, eller att utfallet anges för hand.",
            ),
        ),
    ]
