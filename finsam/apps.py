from django.apps import AppConfig


class FinsamConfig(AppConfig):
    name = "finsam"
    verbose_name = "Finsam"
