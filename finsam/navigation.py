"""The main menu: one entry per area, shown to those whose role may use it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permissions: tuple[str, ...]  # any one of them opens the area; () = everyone
    section: str

    def allows(self, user) -> bool:
        return not self.permissions or any(user.has_perm(p) for p in self.permissions)


MAIN_MENU = [
    NavItem(_("Översikt"), "dashboard", (), "dashboard"),
    NavItem(_("Insatser"), "projects:index", ("finsam.use_projects",), "projects"),
    NavItem(_("Deltagare"), "participants:index", ("finsam.use_participants",), "participants"),
    NavItem(_("Styrelsen"), "board:index", ("finsam.use_board",), "board"),
    NavItem(_("Rapporter"), "reports:index", ("finsam.use_reports",), "reports"),
    NavItem(
        _("Administration"),
        "administration:index",
        ("finsam.manage_users", "finsam.manage_federation"),
        "administration",
    ),
]
ADMINISTRATION = MAIN_MENU[-1]


def menu_for(user) -> list[NavItem]:
    # Until the second factor is given, nothing behind the login is reachable.
    if not user.is_authenticated or not user.is_verified():
        return []
    return [item for item in MAIN_MENU if item.allows(user)]
