from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The pages that read every app: Översikt and the förbund's year. It sits
    above the domain apps (finsam ← projects ← participants ← board, reports),
    so none of them imports it."""

    name = "overview"
    verbose_name = _("Översikt")
