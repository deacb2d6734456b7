from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISSEUR = "regisseur", _("Regisseur inburgering")
    TEAMLEIDER = "teamleider", _("Teamleider")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Beleidsmedewerker")
    PARTNER = "partner", _("Partner")
    BEHEERDER = "beheerder", _("Functioneel beheerder / privacy officer")
