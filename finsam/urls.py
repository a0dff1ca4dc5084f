from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from finsam.views import accessibility, health
from overview import views as overview


class FinsamAdminSite(OTPAdminSite):
    """The Django admin asks for the second factor like every other page, and
    its "view on site" link answers 404 for a content type without a table
    (finsam.Access, which only holds permissions) or a model it does not show."""

    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<int:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type else None
        if model is None or not model._meta.managed or model not in self._registry:
            raise Http404
        return shortcut(request, content_type_id, object_id)


admin.site.__class__ = FinsamAdminSite
admin.site.site_header = "Finsam – systemadministration"
admin.site.site_title = "Finsam"

urlpatterns = [
    path("", overview.dashboard, name="dashboard"),
    path("ping/", health.ping, name="ping"),
    path("healthz", health.healthz, name="healthz"),
    path("tillganglighet/", accessibility.statement, name="accessibility"),
    path("konto/", include("finsam.urls_account")),
    path("administration/", include("finsam.urls_administration")),
    path("insatser/", include("projects.urls")),
    path("deltagare/", include("participants.urls")),
    path("styrelsen/", include("board.urls")),
    path("anslagstavla/", include("board.urls_public")),
    path("rapporter/ar/", include("overview.urls")),
    path("rapporter/", include("reports.urls")),
    path("django-admin/", admin.site.urls),
]

# A database that does not answer is a Swedish 503, not a 500 (finsam.views.errors).
handler500 = "finsam.views.errors.server_error"
