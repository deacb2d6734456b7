"""The rekenhulp page (/rekenhulp/): the law calculator in the browser. Stores nothing.

The same code as `thuis rekenhulp` and POST /api/v1/rekenhulp/ (`rekenhulp.compute`) does the
sums, so the page, the command and the API always give the same dates.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from thuis.accounts import scope
from thuis.accounts.choices import Role

from . import rules
from .rekenhulp import compute

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

DATE_LABELS = {
    "PIP_UITERLIJK": _("Uiterste datum PIP"),
    "TERMIJN_START": _("Eerste dag inburgeringstermijn"),
    "TERMIJN_EINDE": _("Laatste dag inburgeringstermijn"),
    "ONTZORGEN_EINDE": _("Laatste dag ontzorgen"),
    "PVT_UITERLIJK": _("Uiterste datum PVT"),
}
WET_LABELS = {
    rules.Wet.WI2013.value: _("Wet inburgering 2013"),
    rules.Wet.WI2021.value: _("Wet inburgering 2021"),
}
LBT_LABELS = {
    rules.LbtUitslag.HAALBAAR.value: _("B1-route haalbaar"),
    rules.LbtUitslag.NIET_HAALBAAR.value: _("B1-route niet haalbaar"),
    rules.LbtUitslag.ONBEKEND.value: _("Onbekend"),
}
_MONTHS_SPLIT = re.compile(r"[,;\s]+")


class DateInput(forms.DateInput):
    """A browser date picker; the value travels as JJJJ-MM-DD."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date(
    label: StrOrPromise, help_text: StrOrPromise = "", *, required: bool = False
) -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


class RekenhulpForm(forms.Form):
    plicht_start = _date(
        _("Start inburgeringsplicht"), _("Verplicht. Bepaalt welke wet geldt."), required=True
    )
    doelgroep = forms.ChoiceField(
        label=_("Doelgroep"),
        required=False,
        choices=[("", _("Weet ik niet")), *rules.Doelgroep.choices],
    )
    kennisgeving_duo = _date(_("Kennisgeving van DUO"))
    brp_vestiging = _date(_("Vestiging in de gemeente (BRP)"))
    pip_dagtekening = _date(_("Dagtekening PIP"))
    eerste_pip = forms.ChoiceField(
        label=_("Is dit de eerste PIP?"),
        required=False,
        choices=[("ja", _("Ja, de eerste PIP")), ("nee", _("Nee, een latere versie"))],
        initial="ja",
        help_text=_("Alleen de eerste PIP bepaalt de start van de termijn."),
    )
    leerroute = forms.ChoiceField(
        label=_("Leerroute"),
        required=False,
        choices=[("", _("Nog niet bekend")), *rules.Leerroute.choices],
    )
    niveau = forms.ChoiceField(
        label=_("Niveau"),
        required=False,
        choices=[("", _("Nog niet bekend")), *((n.value, n.label) for n in rules.PIP_NIVEAUS)],
    )
    verlengingen = forms.CharField(
        label=_("Verlengingen van de termijn (in maanden)"),
        required=False,
        max_length=200,
        help_text=_("Alleen verlengingen die DUO gaf. Meer dan één? Zet een komma ertussen: 6, 3"),
    )
    verlenging_alfabetisering = forms.IntegerField(
        label=_("Verlenging voor alfabetisering (maanden, alleen Wi2013)"),
        required=False,
        min_value=1,
        max_value=rules.MAX_EXTENSION_MONTHS,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    bijstand_start = _date(_("Start bijstand"))
    bijstand_einde = _date(_("Einde bijstand"))
    lbt_score = forms.IntegerField(
        label=_("Score leerbaarheidstoets (0 tot en met 40)"),
        required=False,
        min_value=0,
        max_value=rules.LBT_MAX_SCORE,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    lbt_datum = _date(_("Datum leerbaarheidstoets"))
    peildatum = _date(
        _("Peildatum voor signalen"),
        _("Op welke dag wilt u de signalen zien? Bijvoorbeeld vandaag."),
    )

    def clean_verlengingen(self) -> list[int]:
        raw = self.cleaned_data["verlengingen"].strip()
        if not raw:
            return []
        months = []
        for part in _MONTHS_SPLIT.split(raw):
            if not part:
                continue
            if not part.isdigit() or rules.extension_months_error(int(part)) is not None:
                raise ValidationError(
                    _(
                        "Schrijf elke verlenging als een heel aantal maanden (1 tot en met "
                        "%(max)d), met een komma ertussen. Bijvoorbeeld: 6, 3"
                    )
                    % {"max": rules.MAX_EXTENSION_MONTHS}
                )
            months.append(int(part))
        return months

    def facts(self) -> dict[str, object]:
        """The input of the rekenhulp, with only the keys that were filled in."""
        data = self.cleaned_data
        facts: dict[str, object] = {}
        for key, value in data.items():
            if isinstance(value, date):
                facts[key] = value.isoformat()
        for key in ("doelgroep", "leerroute", "niveau"):
            if data.get(key):
                facts[key] = data[key]
        if data.get("lbt_score") is not None:
            facts["lbt_score"] = data["lbt_score"]
        facts["eerste_pip"] = data.get("eerste_pip") != "nee"
        extensions: list[dict[str, object]] = [{"maanden": n} for n in data.get("verlengingen", [])]
        if data.get("verlenging_alfabetisering"):
            extensions.append(
                {"maanden": data["verlenging_alfabetisering"], "alfabetisering": True}
            )
        if extensions:
            facts["verlengingen"] = extensions
        return facts


def _may_use(user: Any) -> bool:
    """Every gemeente role; partner organisations use the API if they need it."""
    return scope.active_user(user) and user.role != Role.PARTNER


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for code, entry in result["datums"].items():
        value = date.fromisoformat(entry["datum"]) if entry["datum"] else None
        rows.append(
            {
                "code": code,
                "label": DATE_LABELS.get(code, code),
                "datum": rules.nl_date(value) if value else None,
                "iso": entry["datum"],
                "grondslag": entry["grondslag"],
                "toelichting": entry["toelichting"],
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def rekenhulp_view(request: HttpRequest) -> HttpResponse:
    if not _may_use(request.user):
        raise PermissionDenied
    form = RekenhulpForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        facts = form.facts()
        try:
            result = compute(facts)
        except rules.RekenhulpInputError as exc:
            context["input_errors"] = exc.errors
        else:
            context.update(
                result=result,
                rows=_rows(result),
                wet_label=WET_LABELS[result["wet"]],
                lbt_label=LBT_LABELS.get(result["lbt_uitslag"] or ""),
                facts_json=json.dumps(facts, indent=2, ensure_ascii=False),
                result_json=json.dumps(result, indent=2, ensure_ascii=False),
            )
    return render(request, "cases/rekenhulp.html", context)
