from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from finsam.forms import PasswordResetForm, SetPasswordForm
from finsam.views import account

app_name = "account"

urlpatterns = [
    path("logga-in/", account.LoginView.as_view(), name="login"),
    path("logga-ut/", account.logout_view, name="logout"),
    path("verifiera/", account.otp_verify, name="otp_verify"),
    path("aktivera-tvastegsverifiering/", account.otp_setup, name="otp_setup"),
    path("bekrafta/", account.recheck, name="recheck"),
    path("", account.profile, name="profile"),
    path("reservkoder/", account.backup_codes, name="backup_codes"),
    path("byt-losenord/", account.PasswordChangeView.as_view(), name="password_change"),
    path(
        "aterstall-losenord/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name="account/password_reset.html",
            email_template_name="account/email/password_reset.txt",
            subject_template_name="account/email/password_reset_subject.txt",
            success_url=reverse_lazy("account:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "aterstall-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="account/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "aterstall-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm,
            template_name="account/password_reset_confirm.html",
            success_url=reverse_lazy("account:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "aterstall-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="account/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
