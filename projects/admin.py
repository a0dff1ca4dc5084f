"""The Django admin for insatser: export budgets and costs like the budget pages do."""

from django.contrib import admin
from import_export.admin import ExportMixin

from projects import exchange
from projects.models import BudgetLine, CostCategory, CostEntry, Project


class FinsamExportMixin(ExportMixin):
    formats = [exchange.FinsamXLSX, exchange.FinsamCSV]


@admin.register(CostCategory)
class CostCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_personnel", "active"]
    list_editable = ["order", "active"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["reference", "name", "owner", "status", "start_date", "end_date"]
    list_filter = ["status", "orientation", "form"]
    search_fields = ["reference", "name"]
    list_select_related = ["owner"]

    def has_add_permission(self, request):
        return False  # registration allocates a diarienummer: use the Insatser pages


@admin.register(BudgetLine)
class BudgetLineAdmin(FinsamExportMixin, admin.ModelAdmin):
    resource_classes = [exchange.BudgetLineResource]
    list_display = ["project", "year", "category", "amount"]
    list_filter = ["year", "category"]
    search_fields = ["project__reference", "project__name"]
    list_select_related = ["project", "category"]


@admin.register(CostEntry)
class CostEntryAdmin(FinsamExportMixin, admin.ModelAdmin):
    resource_classes = [exchange.CostEntryResource]
    list_display = ["project", "month", "category", "amount"]
    list_filter = ["category"]
    search_fields = ["project__reference", "project__name"]
    list_select_related = ["project", "category"]
