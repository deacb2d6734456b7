from django.db import models
from django.utils.translation import gettext_lazy as _


class Regime(models.TextChoices):
    WI2013 = "Wi2013", _("Wet inburgering 2013")
    WI2021 = "Wi2021", _("Wet inburgering 2021")


class Doelgroep(models.TextChoices):
    """DUO `Doelgroepindeling` (Wi2021 art. 13 lid 1)."""

    ASIELSTATUSHOUDER = "asielstatushouder", _("Asielstatushouder")
    GEZINSMIGRANT = "gezinsmigrant", _("Gezinsmigrant en overige migrant")


class Doelgroepklasse(models.TextChoices):
    """The law's class of a doelgroep (`rules.doelgroep_class`): ontzorgen, the Z-route's
    participation and the intensity of the B1-route depend on it; the rekenhulp and the
    monitoring facts use it."""

    ASIELSTATUSHOUDER = "asielstatushouder", _("Asielstatushouder")
    GEZINSMIGRANT = "gezinsmigrant", _("Gezinsmigrant")
    OVERIG = "overig", _("Overige migrant")


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


class Leerroute(models.TextChoices):
    B1 = "B1", _("B1-route")
    ONDERWIJS = "onderwijs", _("Onderwijsroute")
    Z = "Z", _("Zelfredzaamheidsroute (Z-route)")


class Niveau(models.TextChoices):
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"


# The niveaus a PIP can set (DUO PIP API); B2 is only an exam level.
PIP_NIVEAUS = (Niveau.A2, Niveau.B1)


class LbtUitslag(models.TextChoices):
    HAALBAAR = "haalbaar", _("B1-route haalbaar")
    NIET_HAALBAAR = "niet_haalbaar", _("B1-route niet haalbaar")
    ONBEKEND = "onbekend", _("Onbekend")

    @property
    def duo(self) -> str:
        """The value in DUO's `Leerbaarheidstoets` API."""
        return {
            "haalbaar": "B1-route haalbaar",
            "niet_haalbaar": "B1-route niet haalbaar",
            "onbekend": "Onbekend",
        }[self.value]


class Alfabetisering(models.TextChoices):
    A = "A", _("Alfabetisering nodig (A)")
    AA = "AA", _("Tweede schrift (AA)")
    NVT = "NVT", _("Niet van toepassing")


class Intensiteit(models.TextChoices):
    STANDAARD = "standaard", _("Standaard")
    VERHOOGD = "verhoogd", _("Verhoogd (meer begeleiding)")
    AANGEPAST = "aangepast", _("Aangepast aan de persoon")


class PipReason(models.TextChoices):
    EERSTE = "eerste", _("Eerste PIP")
    WIJZIGING = "wijziging", _("Wijziging van afspraken")
    SCHAKELEN = "schakelen", _("Schakelen naar een andere leerroute")
    AFSCHALEN = "afschalen", _("Afschalen van B1 naar A2")
    VERHUIZING = "verhuizing", _("Verhuizing naar deze gemeente")


class IntakeStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    LOOPT = "loopt", _("Loopt")
    AFGEROND = "afgerond", _("Afgerond")


class AppointmentOutcome(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    VERSCHENEN = "verschenen", _("Verschenen")
    NIET_VERSCHENEN = "niet_verschenen", _("Niet verschenen")
    AFGEZEGD = "afgezegd", _("Afgezegd met geldige reden")


class AppointmentKind(models.TextChoices):
    INTAKE = "intake", _("Brede intake")
    VOORTGANG = "voortgang", _("Voortgangsgesprek")
    EINDGESPREK = "eindgesprek", _("Eindgesprek")


class ExamComponent(models.TextChoices):
    LEZEN = "lezen", _("Lezen")
    LUISTEREN = "luisteren", _("Luisteren")
    SCHRIJVEN = "schrijven", _("Schrijven")
    SPREKEN = "spreken", _("Spreken")
    KNM = "knm", _("Kennis van de Nederlandse Maatschappij (KNM)")
    ONA = "ona", _("Oriëntatie op de Nederlandse Arbeidsmarkt (ONA, Wi2013)")


# The four language exams (the B1-route and the Wi2013 need each at the required level).
LANGUAGE_COMPONENTS = (
    ExamComponent.LEZEN,
    ExamComponent.LUISTEREN,
    ExamComponent.SCHRIJVEN,
    ExamComponent.SPREKEN,
)


class ExamResultValue(models.TextChoices):
    GESLAAGD = "geslaagd", _("Geslaagd")
    GEZAKT = "gezakt", _("Gezakt")
    GEEN = "geen", _("Geen uitslag")


class HoursKind(models.TextChoices):
    NT2_KNM = "nt2_knm", _("Les NT2 en KNM")
    PARTICIPATIE = "participatie", _("Participatie")
    CURSUS = "cursus", _("Cursusuren B1-route (keurmerkschool)")


class Component(models.TextChoices):
    PVT = "pvt", _("Participatieverklaringstraject (PVT)")
    MAP = "map", _("Module Arbeidsmarkt en Participatie (MAP)")
    Z_ROUTE = "z_route", _("Z-route afgerond")
    TAALSCHAKELTRAJECT = "taalschakeltraject", _("Taalschakeltraject afgerond")
    ONA = "ona", _("ONA (Wi2013)")


class ExtensionStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("Aangevraagd (verandert de termijn nog niet)")
    TOEGEKEND = "toegekend", _("Toegekend door DUO")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class PlichtEndReason(models.TextChoices):
    """DUO `RedenGeenInburgeringsplicht`."""

    VOLDAAN = "voldaan", _("Inburgeringsplicht voldaan")
    VOLLEDIGE_ONTHEFFING = "volledige_ontheffing", _("Volledige ontheffing")
    VOLLEDIGE_VRIJSTELLING = "volledige_vrijstelling", _("Volledige vrijstelling")
    VERBLIJFSDOEL = "verblijfsdoel_gewijzigd", _("Verblijfsdoel gewijzigd")
    VERTREK = "vertrek", _("Vertrek uit Nederland langer dan een jaar")
    VERHUISD = "verhuisd", _("Verhuisd naar een andere gemeente")
    OVERLIJDEN = "overlijden", _("Overlijden")
    OVERIG = "overig", _("Overig")


class OntzorgenItem(models.TextChoices):
    HUUR = "huur", _("Huur")
    ENERGIE = "energie", _("Gas en stroom")
    WATER = "water", _("Water")
    ZORGVERZEKERING = "zorgverzekering", _("Zorgverzekering")


class EnforcementKind(models.TextChoices):
    WAARSCHUWING = "waarschuwing", _("Schriftelijke waarschuwing")
    BOETE_GEMEENTE = "boete_gemeente", _("Boete van de gemeente")
    PIP_ZONDER_INBRENG = "pip_zonder_inbreng", _("PIP vastgesteld zonder inbreng")
    BOETE_DUO = "boete_duo", _("Boete van DUO")
    BESLUIT_DUO = "besluit_duo", _("Besluit van DUO")
    MAATREGEL_PW = "maatregel_pw", _("Maatregel Participatiewet")


class LoanStatus(models.TextChoices):
    """Wi2013 DUO loan (Besluit inburgering art. 4.1a, 4.13)."""

    GEEN = "geen", _("Geen lening")
    LOPEND = "lopend", _("Lening loopt")
    KWIJTGESCHOLDEN = "kwijtgescholden", _("Kwijtgescholden")
    TERUGBETALEN = "terugbetalen", _("Moet terugbetalen")


class SignaalCode(models.TextChoices):
    """Work-queue signals of a case (`rules.signals`)."""

    PIP_BIJNA = "PIP_BIJNA", _("PIP bijna te laat")
    PIP_TE_LAAT = "PIP_TE_LAAT", _("PIP te laat")
    TERMIJN_BIJNA_OM = "TERMIJN_BIJNA_OM", _("Termijn bijna om")
    TERMIJN_VERLOPEN = "TERMIJN_VERLOPEN", _("Termijn verlopen")
    PVT_OPEN = "PVT_OPEN", _("PVT nog niet klaar")
    MAP_OPEN = "MAP_OPEN", _("MAP nog niet klaar")
    ONTZORGEN_EINDIGT = "ONTZORGEN_EINDIGT", _("Ontzorgen eindigt")
    VOORTGANG_GESPREK = "VOORTGANG_GESPREK", _("Voortgangsgesprek nodig")
    LBT_HERBEOORDELEN = "LBT_HERBEOORDELEN", _("Leerbaarheidstoets opnieuw bekijken")
