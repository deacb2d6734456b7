from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

LEERROUTES = [("B", _("B1-route")), ("O", _("Onderwijsroute")), ("Z", _("Z-route"))]
NIVEAUS = [("", _("Niet invullen (DUO gebruikt B1)")), ("A2", "A2"), ("B1", "B1")]
ALFA = [
    ("NVT", _("Niet van toepassing")),
    ("A", _("Onderwijs voor analfabeten")),
    ("AA", _("Onderwijs voor anders-gealfabetiseerden")),
]
RESULTAAT_SOORTEN = [
    ("pvt", _("PVT: datum ondertekening participatieverklaring")),
    ("map", _("MAP: datum eindgesprek")),
    ("zroute", _("Z-route: datum afronding")),
]
VERWIJTBAAR = [("", _("Niet invullen")), ("Ja", _("Ja")), ("Nee", _("Nee"))]


class PipDeliveryForm(forms.Form):
    dagtekening = forms.DateField(
        label=_("Dagtekening PIP"), widget=forms.DateInput(attrs={"type": "date"})
    )
    leerroute = forms.ChoiceField(label=_("Leerroute"), choices=LEERROUTES)
    niveau = forms.ChoiceField(label=_("Niveau"), choices=NIVEAUS, required=False)
    geschatte_intensiteit_b1 = forms.IntegerField(
        label=_("Geschatte uren tot B1 (alleen asielstatushouder in de B1-route)"),
        required=False,
        min_value=1,
        max_value=9999,
    )
    mag_opleiding_afmaken = forms.BooleanField(
        label=_("Mag opleiding eerst afmaken"), required=False
    )
    alfabetisering = forms.ChoiceField(label=_("Alfabetiseringsonderwijs"), choices=ALFA)


class ResultaatDeliveryForm(forms.Form):
    soort = forms.ChoiceField(label=_("Wat geeft u door?"), choices=RESULTAAT_SOORTEN)
    datum = forms.DateField(
        label=_("Datum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    verwijtbaar = forms.ChoiceField(
        label=_("Te laat, en is dat verwijtbaar? (alleen PVT en MAP)"),
        choices=VERWIJTBAAR,
        required=False,
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, choices: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alle")), *choices]  # type: ignore[attr-defined]
