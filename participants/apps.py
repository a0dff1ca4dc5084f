from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Deltagare"

    def ready(self):
        from finsam.choice_lists import ChoiceList, register

        fields = ("label", "order", "active")
        register(
            ChoiceList(
                "statusar",
                _("Statustyper"),
                "participants.StatusKind",
                fields,
                _("Stegen i statusloggen, t.ex. kartläggning påbörjad, arbetsträning."),
            ),
            ChoiceList("avslutsorsaker", _("Avslutsorsaker"), "participants.ExitReason", fields),
            ChoiceList("forsorjning", _("Försörjning"), "participants.IncomeSource", fields),
            ChoiceList(
                "sysselsattning",
                _("Sysselsättning"),
                "participants.Occupation",
                ("label", "sus_group", "order", "active"),
            ),
            ChoiceList("utbildning", _("Utbildningsnivåer"), "participants.EducationLevel", fields),
            ChoiceList("remitterande", _("Remitterande parter"), "participants.Referrer", fields),
            ChoiceList("tid-utan-arbete", _("Tid utan arbete"), "participants.JoblessBand", fields),
        )
