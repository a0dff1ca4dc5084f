from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from finsam.views import dashboard

# The Django admin asks for the second factor like every other page.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Finsam – systemadministration"
admin.site.site_title = "Finsam"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("ping/", dashboard.ping, name="ping"),
    path("konto/", include("finsam.urls_account")),
    path("administration/", include("finsam.urls_administration")),
    path("insatser/", include("projects.urls")),
    path("deltagare/", include("participants.urls")),
    path("styrelsen/", include("board.urls")),
    path("anslagstavla/", include("board.urls_public")),
    path("rapporter/", include("reports.urls")),
    path("django-admin/", admin.site.urls),
]
