"""The roles (Groups) and what each may use. The data migration creates them."""

from django.utils.translation import gettext_lazy as _

KANSLI = "Kansli"
INSATSPERSONAL = "Insatspersonal"
STYRELSE = "Styrelse"
EKONOMI = "Ekonomi"

ROLE_DESCRIPTIONS = {
    KANSLI: _("Förbundschef och förbundssamordnare"),
    INSATSPERSONAL: _("Processledare, projektledare och deltagaransvariga"),
    STYRELSE: _("Ledamöter, ersättare och ordförande"),
    EKONOMI: _("Ekonomi och administration"),
}

ROLE_PERMISSIONS = {
    KANSLI: [
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
        "attest_payments",
    ],
    INSATSPERSONAL: ["use_projects", "use_participants", "use_reports"],
    STYRELSE: ["use_board"],
    EKONOMI: [
        "use_projects",
        "use_reports",
        "manage_users",
        "manage_federation",
        "view_audit",
        "view_all_projects",
        "manage_budgets",
        "approve_payments",
    ],
}


def roles_of(user) -> frozenset[str]:
    """The names of the user's roles, read once per user object (a request's)."""
    if not getattr(user, "pk", None):
        return frozenset()
    if not hasattr(user, "_role_cache"):
        from finsam.backends import load_access  # the permissions come in the same query

        load_access(user)
    return user._role_cache


def ties_of(user) -> frozenset[str]:
    """What ties the user to the work beside their roles, read with them:
    ``finsam.backends.SIGNER`` (a signer of some protocol) and ``STAFF``
    (staff of some insats)."""
    if not getattr(user, "pk", None):
        return frozenset()
    if not hasattr(user, "_tie_cache"):
        from finsam.backends import load_access

        load_access(user)
    return user._tie_cache
