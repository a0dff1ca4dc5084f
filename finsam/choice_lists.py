"""The choice lists the kansli keeps in Administration (kostnadsslag, status
kinds, avslutsorsaker …). The lists live in the apps that use them; each app
registers its own here when it is ready, so that the administration pages
(in finsam, below the apps) can show and change them without importing the
apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from finsam.lib.services import service
from finsam.services import manages_federation


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


# --- Writes ---------------------------------------------------------------------


@service(manages_federation)
def choice_save(*, actor, entry):
    """Save an entry of a choice list; a new one gets its code from its name."""
    if hasattr(entry, "code") and not entry.code:
        base = slugify(entry.label)[:36] or "post"
        code, n = base, 1
        while type(entry).objects.filter(code=code).exclude(pk=entry.pk).exists():
            n += 1
            code = f"{base}-{n}"
        entry.code = code
    entry.full_clean()
    entry.save()
    return entry


@service(manages_federation)
def choice_delete(*, actor, entry) -> None:
    """Remove an entry no one uses; a used one can only be made inactive."""
    try:
        with transaction.atomic():
            entry.delete()
    except (ProtectedError, IntegrityError) as error:
        raise ValidationError(
            _("”%(entry)s” används och kan inte tas bort. Markera den som inte använd i stället.")
            % {"entry": entry}
        ) from error
