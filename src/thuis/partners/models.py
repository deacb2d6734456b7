from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel


class OrganisationKind(models.TextChoices):
    MAATSCHAPPELIJKE_BEGELEIDING = "mb", _("Maatschappelijke begeleiding")
    TAALAANBIEDER = "taal", _("Taalaanbieder")
    WERKGEVER = "werkgever", _("Werkgever")
    VRIJWILLIGERS = "vrijwilligers", _("Vrijwilligersorganisatie")
    ONDERWIJS = "onderwijs", _("Onderwijsinstelling")
    ZORG = "zorg", _("Zorg en welzijn")
    OVERIG = "overig", _("Overig")


class Organisation(BaseModel):
    """A partner organisation (VluchtelingenWerk, taalaanbieder, werkgever, ...)."""

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=16, choices=OrganisationKind.choices)
    municipalities = models.ManyToManyField(
        "people.Municipality", related_name="organisations", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnerorganisatie")
        verbose_name_plural = _("partnerorganisaties")

    def __str__(self) -> str:
        return self.name
