from django.urls import path

from projects.views import applications, budget, projects

app_name = "projects"

urlpatterns = [
    path("", projects.index, name="index"),
    path("inkorg/", projects.inbox, name="inbox"),
    path("ny/", projects.project_create, name="create"),
    path("<int:pk>/", projects.detail, name="detail"),
    path("<int:pk>/andra/", projects.project_edit, name="edit"),
    path("<int:pk>/personal/", projects.staff_add, name="staff_add"),
    path("personal/<int:pk>/ta-bort/", projects.staff_remove, name="staff_remove"),
    path("<int:pk>/status/", projects.status_change, name="status"),
    path("<int:pk>/ansokningar/", projects.applications, name="applications"),
    path("<int:pk>/ansokningar/ny/", projects.application_new, name="application_new"),
    path("<int:pk>/mal/", projects.goals, name="goals"),
    path("<int:pk>/dokument/", projects.documents, name="documents"),
    path("<int:pk>/historik/", projects.history, name="history"),
    path("<int:pk>/budget/", budget.budget, name="budget"),
    path("<int:pk>/budget/ny-post/", budget.budget_line_add, name="budget_line_add"),
    path("<int:pk>/budget/utfall/", budget.cost_add, name="cost_add"),
    path("<int:pk>/budget/prognos/<int:year>/", budget.forecast, name="forecast"),
    path("<int:pk>/budget/export/", budget.export_project, name="export_project"),
    path("budgetpost/<int:pk>/", budget.budget_line_edit, name="budget_line"),
    path("utfall/<int:pk>/ta-bort/", budget.cost_delete, name="cost_delete"),
    path("ekonomi/", budget.federation_year, name="federation_year_current"),
    path("ekonomi/<int:year>/", budget.federation_year, name="federation_year"),
    path("ekonomi/<int:year>/export/", budget.export_year, name="export_year"),
    path("import/", budget.cost_import, name="import"),
    path("ansokan/<int:pk>/", applications.application_detail, name="application"),
    path("ansokan/<int:pk>/lamna-in/", applications.application_submit, name="application_submit"),
    path(
        "ansokan/<int:pk>/bered/",
        applications.application_begin_preparation,
        name="application_prepare",
    ),
    path("ansokan/<int:pk>/redo/", applications.application_mark_ready, name="application_ready"),
    path("ansokan/<int:pk>/beslut/", applications.application_decide, name="application_decide"),
    path(
        "ansokan/<int:pk>/<slug:section>/",
        applications.application_section,
        name="application_section",
    ),
    path(
        "ansokan/<int:pk>/<slug:section>/<int:item>/ta-bort/",
        applications.application_item_delete,
        name="application_item_delete",
    ),
    path("bilaga/<int:pk>/", applications.attachment_download, name="attachment"),
]
