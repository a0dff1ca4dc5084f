"""Authentication backends."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Q, Value


class PermissionBackend(ModelBackend):
    """Django's ModelBackend with a user's permissions, their own and their
    roles', read in one query instead of two (once per request)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            load_access(user_obj)
        return user_obj._perm_cache


def load_access(user) -> None:
    """Read the user's permissions (their own and their roles'), the names of
    their roles and their ties (a signer of some protocol, staff of some
    insats: ``finsam.roles.ties_of``) in one query, onto the user object (a
    request's): the permission backend and ``finsam.roles`` read them."""
    from board.models import Signer
    from projects.models import ProjectStaff

    blank = Value("", output_field=CharField())

    def tie(rows, name):
        return rows.order_by().values_list(blank, Value(name, output_field=CharField()), blank)[:1]

    if user.is_superuser:
        permissions = Permission.objects.all()
    else:
        permissions = Permission.objects.filter(Q(user=user) | Q(group__user=user))
    rows = (
        permissions.order_by()
        .values_list("content_type__app_label", "codename", blank)
        .union(
            Group.objects.filter(user=user).order_by().values_list(blank, blank, "name"),
            tie(Signer.objects.filter(user=user), SIGNER),
            tie(ProjectStaff.objects.of(user), STAFF),
        )
    )
    perms, roles, ties = set(), set(), set()
    for app, codename, role in rows:
        if role:
            roles.add(role)
        elif app:
            perms.add(f"{app}.{codename}")
        else:
            ties.add(codename)
    user._perm_cache, user._role_cache, user._tie_cache = perms, frozenset(roles), frozenset(ties)


SIGNER, STAFF = "signer", "staff"
