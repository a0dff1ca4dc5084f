"""The choice lists the kansli keeps in Administration (kostnadsslag, status
kinds, avslutsorsaker …). The lists live in the apps that use them; each app
registers its own here when it is ready, so that the administration pages
(in finsam, below the apps) can show them without importing the apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class ChoiceList:
    slug: str  # in the address: /administration/listor/<slug>/
    title: str
    model_label: str  # "participants.StatusKind"
    fields: tuple[str, ...]  # what the kansli edits
    description: str = ""

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def name_field(self) -> str:
        return "name" if "name" in self.fields else "label"


REGISTRY: dict[str, ChoiceList] = {}


def register(*lists: ChoiceList) -> None:
    for choice_list in lists:
        REGISTRY[choice_list.slug] = choice_list
