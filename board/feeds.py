"""Atom feeds for those who follow the anslagstavla: every anslag, and every
justerat protocol. No personal data beyond what the anslag itself shows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from board.models import Minutes, MinutesStatus, Posting
from finsam.models import Federation

LATEST = 50


def _at_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


class PostingsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        federation = Federation.objects.current()
        return f"Anslagstavla, {federation.name if federation else 'samordningsförbundet'}"

    def link(self):
        return reverse("public:notice_board")

    def subtitle(self):
        return (
            "Nya anslag: justerade protokoll, omedelbart justerade paragrafer "
            "och delegationsbeslut."
        )

    def items(self):
        return Posting.objects.select_related(
            "minutes__meeting", "paragraph", "delegation"
        ).order_by("-posted_on", "-id")[:LATEST]

    def item_title(self, posting):
        date = posting.meeting_date.isoformat()
        return f"{posting.what}: {posting.organ}, {date} ({posting.paragraphs})"

    def item_description(self, posting):
        return (
            f"Anslaget uppsatt {posting.posted_on.isoformat()}. Sista dag att överklaga "
            f"{posting.appeal_last_day.isoformat()}. Anslaget tas ned "
            f"{posting.taken_down_on.isoformat()}. Förvaringsplats: {posting.storage_place}."
        )

    def item_link(self, posting):
        return posting.get_absolute_url()

    def item_guid(self, posting):
        return f"anslag-{posting.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, posting):
        return _at_midnight(posting.posted_on)

    def item_updateddate(self, posting):
        return _at_midnight(posting.posted_on)


class MinutesFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        federation = Federation.objects.current()
        return f"Justerade protokoll, {federation.name if federation else 'samordningsförbundet'}"

    def link(self):
        return reverse("public:archive")

    def items(self):
        return (
            Minutes.objects.filter(status=MinutesStatus.JUSTERAT)
            .select_related("meeting")
            .order_by("-justerat_at")[:LATEST]
        )

    def item_title(self, minutes):
        return f"Styrelsens protokoll {minutes.meeting.date.isoformat()}"

    def item_description(self, minutes):
        day = minutes.justerat_at.date().isoformat()
        return f"Justerat {day}. Kontrollsumma (SHA-256): {minutes.content_hash}."

    def item_link(self, minutes):
        return reverse("public:minutes", args=[minutes.pk])

    def item_pubdate(self, minutes):
        return minutes.justerat_at

    def item_updateddate(self, minutes):
        return minutes.justerat_at
