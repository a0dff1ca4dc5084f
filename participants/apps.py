from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Deltagare"
