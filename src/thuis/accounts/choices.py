from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISSEUR = "regisseur", _("Regisseur inburgering")
    TEAMLEIDER = "teamleider", _("Teamleider")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Beleidsmedewerker")
    PARTNER = "partner", _("Partner")
    BEHEERDER = "beheerder", _("Functioneel beheerder / privacy officer")


class TokenPurpose(models.TextChoices):
    """What an API key of a system may be used for; each purpose opens exactly its endpoints."""

    PARTNER_VERWIJZINGEN = "partner-verwijzingen", _("Partnerkoppeling: verwijzingen en meldingen")
    REKENHULP = "rekenhulp", _("Rekenhulp wettelijke termijnen")
    INDICATOREN = "indicatoren", _("Cijfers: indicatoren van de monitor")
