from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo förbund (``manage.py seed_demo``): invented people and a few
    years of its work, written through the same public services as the
    screens, each step at the time it would have happened. It has no models,
    and nothing in the other apps imports it."""

    name = "demo"
    verbose_name = "Demo"
