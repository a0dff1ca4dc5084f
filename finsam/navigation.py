"""The main menu: one entry per area, shown to those whose role may use it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    section: str


MAIN_MENU = [
    NavItem(_("Översikt"), "dashboard", None, "dashboard"),
    NavItem(_("Insatser"), "projects:index", "finsam.use_projects", "projects"),
    NavItem(_("Deltagare"), "participants:index", "finsam.use_participants", "participants"),
    NavItem(_("Styrelsen"), "board:index", "finsam.use_board", "board"),
    NavItem(_("Rapporter"), "reports:index", "finsam.use_reports", "reports"),
    NavItem(
        _("Administration"), "administration:index", "finsam.manage_federation", "administration"
    ),
]


def menu_for(user) -> list[NavItem]:
    # Until the second factor is given, nothing behind the login is reachable.
    if not user.is_authenticated or not user.is_verified():
        return []
    return [
        item
        for item in MAIN_MENU
        if item.permission is None
        or user.has_perm(item.permission)
        or (item.section == "administration" and user.has_perm("finsam.manage_users"))
    ]
