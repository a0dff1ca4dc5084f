from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.report_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rubrik/", views.heading_update, name="heading"),
    path("<int:pk>/avsnitt/<slug:key>/", views.section_save, name="section"),
    path("<int:pk>/mal/<int:goal_pk>/", views.outcome_save, name="outcome"),
    path("<int:pk>/lamna-in/", views.submit, name="submit"),
    path("<int:pk>/skicka-tillbaka/", views.send_back, name="send_back"),
    path("<int:pk>/godkann/", views.approve, name="approve"),
    path("<int:pk>/ny-version/", views.new_version, name="new_version"),
    path("<int:pk>/ta-bort/", views.delete, name="delete"),
    path("<int:pk>/forhandsvisning/", views.preview, name="preview"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("filer/<int:pk>/", views.rendering_status, name="rendering"),
    path("filer/<int:pk>/ladda-ner/", views.rendering_download, name="rendering_download"),
]
