from django.urls import path

from board.views import public

app_name = "public"

urlpatterns = [
    path("", public.notice_board, name="notice_board"),
    path("arkiv/", public.archive, name="archive"),
    path("protokoll/<int:pk>/", public.minutes, name="minutes"),
    path("protokoll/<int:pk>/protokoll.pdf", public.minutes_pdf, name="minutes_pdf"),
    path("verifiera/", public.verify, name="verify"),
]
