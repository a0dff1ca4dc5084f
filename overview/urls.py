from django.urls import path

from overview import views

app_name = "overview"

urlpatterns = [
    path("", views.year_page, name="year_current"),
    path("<int:year>/", views.year_page, name="year"),
    path("<int:year>/pdf/", views.year_pdf, name="year_pdf"),
    path("<int:year>/excel/", views.year_workbook, name="year_xlsx"),
]
