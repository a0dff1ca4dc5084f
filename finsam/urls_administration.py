from django.urls import path

from finsam.views import administration as views
from finsam.views import jobs

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("anvandare/", views.user_list, name="users"),
    path("anvandare/ny/", views.user_create, name="user_create"),
    path("anvandare/<int:pk>/", views.user_detail, name="user"),
    path("anvandare/<int:pk>/inaktivera/", views.user_deactivate, name="user_deactivate"),
    path("anvandare/<int:pk>/aktivera/", views.user_reactivate, name="user_reactivate"),
    path("forbundet/", views.federation_edit, name="federation"),
    path("medlemmar/", views.member_list, name="members"),
    path("medlemmar/ny/", views.member_edit, name="member_create"),
    path("medlemmar/<int:pk>/", views.member_edit, name="member"),
    path("medlemsbidrag/", views.contributions, name="contributions"),
    path("medlemsbidrag/<int:year>/", views.contributions, name="contributions_year"),
    path("historik/", views.audit_log, name="audit_log"),
    path("bakgrundsjobb/", jobs.job_queue, name="jobs"),
    path("bakgrundsjobb/<int:pk>/igen/", jobs.job_retry, name="job_retry"),
    path("listor/", views.choice_lists, name="choice_lists"),
    path("listor/<slug:slug>/", views.choice_list, name="choice_list"),
    path("listor/<slug:slug>/<int:pk>/", views.choice_edit, name="choice"),
    path("listor/<slug:slug>/<int:pk>/ta-bort/", views.choice_delete, name="choice_delete"),
]
