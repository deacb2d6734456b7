from django.db import models
from django.utils.translation import gettext_lazy as _


class Regime(models.TextChoices):
    WI2013 = "Wi2013", _("Wet inburgering 2013")
    WI2021 = "Wi2021", _("Wet inburgering 2021")


class Doelgroep(models.TextChoices):
    """DUO `Doelgroepindeling` (Wi2021 art. 13 lid 1)."""

    ASIELSTATUSHOUDER = "asielstatushouder", _("Asielstatushouder")
    GEZINSMIGRANT = "gezinsmigrant", _("Gezinsmigrant en overige migrant")


class GedetailleerdeDoelgroep(models.TextChoices):
    """DUO `GedetailleerdeDoelgroep`."""

    ASIELSTATUSHOUDER = "asielstatushouder", _("Asielstatushouder")
    GEESTELIJK_BEDIENAAR = "geestelijk_bedienaar", _("Geestelijk bedienaar")
    GEZINSHERENIGER = "gezinshereniger", _("Gezinshereniger")
    GEZINSHERENIGER_ASIEL = "gezinshereniger_asiel", _("Gezinshereniger met asielstatushouder")
    GEZINSVORMER = "gezinsvormer", _("Gezinsvormer")
    GEZINSVORMER_ASIEL = "gezinsvormer_asiel", _("Gezinsvormer met asielstatushouder")
    OVERIG = "overig", _("Overig")


class CaseStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld (gekoppeld, nog geen intake)")
    INTAKE = "intake", _("Brede intake")
    PIP = "pip", _("PIP vastgesteld, in uitvoering")
    VOLDAAN = "voldaan", _("Inburgeringsplicht voldaan")
    VRIJGESTELD = "vrijgesteld", _("Vrijgesteld")
    ONTHEVEN = "ontheven", _("Ontheven")
    BEEINDIGD = "beeindigd", _("Beëindigd (verhuisd, vertrokken, overleden of anders)")


OPEN_STATUSES = (CaseStatus.AANGEMELD, CaseStatus.INTAKE, CaseStatus.PIP)
