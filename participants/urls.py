from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("", views.index, name="index"),
    path("insats/<int:pk>/skriv-in/", views.enrol, name="enrol"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status_add, name="status_add"),
    path("<int:pk>/avsluta/", views.close, name="close"),
    path("<int:pk>/oppna-igen/", views.reopen, name="reopen"),
    path("<int:pk>/ta-bort/", views.delete_mistake, name="delete_mistake"),
    path("<int:pk>/aterkalla-samtycke/", views.withdraw, name="withdraw"),
    path("<int:pk>/registerutdrag/", views.register_extract, name="register_extract"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/excel/", views.statistics_export, name="statistics_export"),
    path("uppfoljning-finsam/<int:year>/", views.followup_export, name="followup_export"),
    path("import/", views.import_file, name="import"),
]
