"""Choice lists of the partners app. Stored values are English slugs; labels are Dutch."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MAATSCHAPPELIJKE_BEGELEIDING = "mb", _("Maatschappelijke begeleiding")
    TAALAANBIEDER = "taal", _("Taalaanbieder")
    WERKGEVER = "werkgever", _("Werkgever")
    VRIJWILLIGERS = "vrijwilligers", _("Vrijwilligersorganisatie")
    ONDERWIJS = "onderwijs", _("Onderwijsinstelling")
    ZORG = "zorg", _("Zorg en welzijn")
    SPORT = "sport", _("Sport of vereniging")
    OVERIG = "overig", _("Overig")


class LanguageProviderQuality(models.TextChoices):
    """For taalaanbieders: how the quality is assured."""

    NONE = "", _("Niet van toepassing")
    BLIK_OP_WERK = "blik_op_werk", _("Keurmerk Blik op Werk")
    TAALSCHAKEL = "taalschakel", _("Taalschakelinstelling (mbo)")


class ContractUnit(models.TextChoices):
    TRAJECT = "traject", _("Per traject")
    HOUR = "uur", _("Per uur")
    MONTH = "maand", _("Per maand")
    PERSON = "persoon", _("Per persoon")


class ReferralType(models.TextChoices):
    """Purpose of a referral. The purpose decides which person fields the partner gets."""

    MB = "mb", _("Maatschappelijke begeleiding")
    TAAL = "taal", _("Taalaanbod (B1-route, onderwijsroute, Z-route)")
    WERKGEVER = "werkgever", _("Werk of werkstage")
    VRIJWILLIGERS = "vrijwilligers", _("Vrijwilligerswerk of taalmaatje")
    SPORT = "sport", _("Sport of vereniging")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Verstuurd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")
    ACTIVE = "active", _("Gestart")
    ENDED = "ended", _("Beëindigd")
    REVOKED = "revoked", _("Ingetrokken")


class EndReason(models.TextChoices):
    FINISHED = "finished", _("Afgerond")
    STOPPED = "stopped", _("Voortijdig gestopt")
    MOVED = "moved", _("Verhuisd")
    OTHER = "other", _("Andere reden")


class ReportKind(models.TextChoices):
    HOURS_TAAL = "uren_taal", _("Uren taalles (NT2)")
    HOURS_KNM = "uren_knm", _("Uren KNM")
    HOURS_PARTICIPATIE = "uren_participatie", _("Uren participatie")
    ATTENDANCE = "aanwezigheid", _("Aanwezigheid")
    PROGRESS = "voortgang", _("Voortgang")
    OUTCOME = "uitkomst", _("Uitkomst")


class SpellKind(models.TextChoices):
    WERK = "werk", _("Betaald werk")
    VRIJWILLIGERSWERK = "vrijwilligerswerk", _("Vrijwilligerswerk")
    OPLEIDING = "opleiding", _("Opleiding (ook taalschakeltraject)")
    STAGE = "stage", _("Stage of werkstage")
    BIJSTAND = "bijstand", _("Bijstand")
    TAALCOACH = "taalcoach", _("Taalcoach of taalmaatje")
    SPORT = "sport", _("Sport of vereniging")
    KINDEROPVANG = "kinderopvang", _("Kinderopvang")
    ANDERS = "anders", _("Anders")


class ContractType(models.TextChoices):
    NONE = "", _("Onbekend of niet van toepassing")
    VAST = "vast", _("Vast contract")
    TIJDELIJK = "tijdelijk", _("Tijdelijk contract")
    UITZEND = "uitzend", _("Uitzendwerk")
    OPROEP = "oproep", _("Oproepcontract")
    ZZP = "zzp", _("Zelfstandige")


class SpellSource(models.TextChoices):
    MANUAL = "handmatig", _("Ingevoerd door regisseur")
    PARTNER = "partner", _("Gemeld door partner")
    IMPORT = "import", _("Bestand (import)")


class ContactKind(models.TextChoices):
    TAALMAATJE = "taalmaatje", _("Taalmaatje")
    BUDDY = "buddy", _("Buddy")
    VRIJWILLIGER = "vrijwilliger", _("Vrijwilliger")
    PROFESSIONAL = "professional", _("Professional")
    FAMILIE = "familie", _("Familie")
    VRIEND = "vriend", _("Vriend of vriendin")
    BUUR = "buur", _("Buren")


class ContactCommunity(models.TextChoices):
    DUTCH = "nederlands", _("Nederlandse omgeving")
    OWN = "eigen", _("Eigen gemeenschap")


class NotificationChannel(models.TextChoices):
    IN_APP = "in_app", _("Alleen in Thuis")
    EMAIL = "email", _("In Thuis en per e-mail")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op verzending")
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")
    NOT_NEEDED = "not_needed", _("Geen e-mail nodig")


class CostCategory(models.TextChoices):
    """Kostensoort: what finance books a cost under and what a contract names (finance uses it)."""

    LEERROUTE_B1 = "leerroute_b1", _("Leerroute B1")
    LEERROUTE_ONDERWIJS = "leerroute_onderwijs", _("Leerroute onderwijs")
    LEERROUTE_Z = "leerroute_z", _("Leerroute Z")
    MAP = "map", _("Module Arbeidsmarkt en Participatie (MAP)")
    PVT = "pvt", _("Participatieverklaringstraject (PVT)")
    MB = "mb", _("Maatschappelijke begeleiding")
    TOLK = "tolk", _("Tolken")
    KINDEROPVANG = "kinderopvang", _("Kinderopvang")
    ONTZORGEN = "ontzorgen", _("Ontzorgen")
    PERSONEEL = "personeel", _("Personeel (uren × tarief)")
    OVERIG = "overig", _("Overig")
