"""The board in the Django admin, for the system administrator's repairs.

A justerat protocol is read-only here as everywhere: the admin offers no
change, and the database trigger refuses one that is attempted anyway.
"""

from django.contrib import admin

from board.models import (
    BoardMembership,
    DelegationRule,
    Minutes,
    MinutesStatus,
    Paragraph,
    Subscription,
)


@admin.register(BoardMembership)
class BoardMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "member", "term_start", "term_end", "deputy_order")
    list_filter = ("role", "member")


class ParagraphInline(admin.StackedInline):
    model = Paragraph
    extra = 0
    exclude = ("search",)


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "justerat_at")
    list_filter = ("status",)
    readonly_fields = ("content_hash", "justerat_at", "sent_for_justering_at")
    inlines = [ParagraphInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "minutes", "decision_type")
    list_filter = ("year", "decision_type")
    exclude = ("search",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A § can be added to a protocol that is not justerat only.
        if db_field.name == "minutes":
            kwargs["queryset"] = Minutes.objects.exclude(status=MinutesStatus.JUSTERAT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_justerad:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_justerad:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(DelegationRule)
class DelegationRuleAdmin(admin.ModelAdmin):
    """The delegationsordning, as the board adopted it."""

    list_display = ("code", "matter", "delegate", "limit", "reported", "active")
    list_filter = ("active", "reported")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Who follows the anslagstavla by e-mail: to see and remove, not to add."""

    list_display = ("email", "created_at", "confirmed_at")
    readonly_fields = ("email", "token", "created_at", "confirmed_at")

    def has_add_permission(self, request):
        return False
