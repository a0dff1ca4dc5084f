from django.conf import settings

from finsam.navigation import menu_for


def shell(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    return {
        "main_menu": menu_for(user) if user is not None else [],
        "current_section": namespace or (match.url_name if match else ""),
        "demo_mode": settings.DEMO_MODE,
        "federation": _federation(),
    }


def _federation():
    from finsam.models import Federation

    return Federation.objects.current()
