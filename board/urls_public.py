from django.contrib.auth.decorators import login_not_required
from django.urls import path

from board.feeds import MinutesFeed, PostingsFeed
from board.views import public

app_name = "public"

urlpatterns = [
    path("", public.notice_board, name="notice_board"),
    path("arkiv/", public.archive, name="archive"),
    path("protokoll/<int:pk>/", public.minutes, name="minutes"),
    path("protokoll/<int:pk>/protokoll.pdf", public.minutes_pdf, name="minutes_pdf"),
    path("verifiera/", public.verify, name="verify"),
    path("paragraf/<int:pk>/", public.paragraph, name="paragraph"),
    path("paragraf/<int:pk>/utdrag.pdf", public.paragraph_pdf, name="paragraph_pdf"),
    path("delegationsbeslut/<int:pk>/", public.delegation, name="delegation"),
    path("anslag.atom", login_not_required(PostingsFeed()), name="postings_feed"),
    path("protokoll.atom", login_not_required(MinutesFeed()), name="minutes_feed"),
    path("prenumerera/", public.subscribe, name="subscribe"),
    path(
        "prenumerera/bekrafta/<str:token>/",
        public.subscription_confirm,
        name="subscription_confirm",
    ),
    path("prenumerera/avsluta/<str:token>/", public.unsubscribe, name="unsubscribe"),
]
