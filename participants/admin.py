"""Only the choice lists are in the admin: participant records are not, on
purpose (they are reached through the scoped pages, which log every look)."""

from django.contrib import admin

from participants.models import (
    EducationLevel,
    ExitReason,
    IncomeSource,
    JoblessBand,
    Occupation,
    Referrer,
    StatusKind,
)


class ChoiceAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "order", "active")
    list_editable = ("order", "active")
    search_fields = ("label", "code")


for model in (EducationLevel, ExitReason, IncomeSource, JoblessBand, Referrer, StatusKind):
    admin.site.register(model, ChoiceAdmin)


@admin.register(Occupation)
class OccupationAdmin(ChoiceAdmin):
    list_display = ("label", "code", "sus_group", "order", "active")
