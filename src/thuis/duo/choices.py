from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import OutboxStatus

__all__ = ["OutboxStatus"]  # the deliveries use the core outbox's states


class InboxStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen, nog niet verwerkt")
    PROCESSING = "processing", _("Wordt verwerkt")
    PROCESSED = "processed", _("Verwerkt")
    FAILED = "failed", _("Mislukt")
    UNKNOWN_CODE = "unknown_code", _("Onbekende gebeurtenis (bewaard)")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Afgehandeld")


class EventKind(models.TextChoices):
    GEBEURTENIS = "gebeurtenis", _("Gebeurtenis")
    ATTENTIESIGNAAL = "attentiesignaal", _("Attentiesignaal")
    INTERN = "intern", _("Melding van Thuis")


# DUO's event codes (../shared/duo-m2m/gebeurtenissen.md and attentiesignalen.md).
GEBEURTENISSEN: dict[str, str] = {
    "SS101": "Persoon is inburgeringsplichtig.",
    "SS102": "Inburgeringstermijn gestart.",
    "SS103": "Termijn ambtshalve verlengd.",
    "SS104": "Termijn op verzoek verlengd.",
    "SS106": "Diploma behaald.",
    "SS107": "Gehele vrijstelling toegekend.",
    "SS108": "Gehele ontheffing toegekend.",
    "SS109": "Tijdelijke vrijstelling toegekend.",
    "SS110": "Inburgeringsplicht ingetrokken.",
    "SS111": "Persoon is overleden.",
    "SS112": "Verzoek verlenging ingediend.",
    "SS113": "Verzoek verlenging afgewezen.",
    "SS114": "Verzoek gehele vrijstelling afgewezen.",
    "SS115": "Verzoek tijdelijke vrijstelling afgewezen.",
    "SS116": "Verzoek gedeeltelijke vrijstelling afgewezen.",
    "SS117": "Verzoek gedeeltelijke vrijstelling toegekend.",
    "SS118": "Verzoek ontheffing afgewezen.",
    "SS119": "Verzoek gedeeltelijke ontheffing toegekend.",
    "SS120": "Inburgeringsplichtige in gemeente gevestigd zonder PIP.",
    "SS121": "Inburgeringsplichtige in gemeente gevestigd met PIP van vorige gemeente.",
    "SS124": "Doelgroep gewijzigd: van asielstatushouder naar gezinsmigrant en overige migrant.",
    "SS125": "Doelgroep gewijzigd: van gezinsmigrant en overige migrant naar asielstatushouder.",
    "SS128": "Persoon is inburgeringsplichtig, maar bereikt de AOW-leeftijd binnen 6 maanden.",
    "SS129": "Tijdelijke vrijstelling ingetrokken, nog geen leerroute bekend.",
    "SS130": "Tijdelijke vrijstelling ingetrokken, PIP al bekend.",
    "SS131": "Leerbaarheidstoets is afgenomen en het resultaat is bekend.",
    "SS137": "Persoon is aangemeld voor de leerbaarheidstoets.",
    "SS139": "Persoon is inburgeringsplichtig en de termijn van 10 weken voor de PIP is gestart.",
    "SS199": "Uitslag examen bekend.",
}

ATTENTIESIGNALEN: dict[str, str] = {
    "SS122": "Vertrokken naar een andere gemeente. Vul inspanningen en resultaten aan.",
    "SS123": "Vertrokken uit Nederland. Vul inspanningen en resultaten aan.",
    "SS126": "10 weken voorbij en nog geen leerroute bekend bij DUO.",
    "SS127": "Nog geen inburgeringsaanbod ontvangen (asielmigrant met leerroute).",
    "SS132": "Opleidingscontract ontvangen, maar nog geen PIP.",
    "SS133": "Opleidingscontract met een taalniveau dat niet past bij de leerroute.",
    "SS135": "Opleidingscontract met een te hoog taalniveau voor de Z-route.",
    "SS136": "Opleidingscontract voor een taalschakeltraject, maar geen onderwijsroute.",
    "SS140": "DUO vraagt advies over een verzoek om ontheffing (bijzondere omstandigheden).",
    "SS141": "Z-route voldaan: de tekst voor het certificaat staat klaar in de portal.",
    "SS142": "Niet-vrijstellende opleiding beëindigd. Neem zo nodig contact op en herzie de PIP.",
}


def event_description(code: str) -> str:
    return GEBEURTENISSEN.get(code) or ATTENTIESIGNALEN.get(code) or ""


def event_kind(code: str) -> str:
    if code in ATTENTIESIGNALEN:
        return EventKind.ATTENTIESIGNAAL
    return EventKind.GEBEURTENIS
