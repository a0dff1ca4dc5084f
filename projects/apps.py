from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Insatser"

    def ready(self):
        from finsam.choice_lists import ChoiceList, register

        register(
            ChoiceList(
                "kostnadsslag",
                _("Kostnadsslag"),
                "projects.CostCategory",
                ("name", "order", "is_personnel", "active"),
                _("Raderna i budget och utfall."),
            ),
            ChoiceList(
                "rapportkrav",
                _("Rapportkrav"),
                "projects.ObligationRule",
                (
                    "name",
                    "report_kind",
                    "scope",
                    "cadence",
                    "months_after",
                    "days_after",
                    "skip_last",
                    "remind_days_before",
                    "order",
                    "active",
                ),
                _(
                    "Rapporterna som ett beviljande kräver av insatsen och när de ska vara "
                    "inlämnade. Ändringar gäller beslut som fattas efter ändringen."
                ),
            ),
        )
