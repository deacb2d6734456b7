"""Forms for the regisseur's flows on a case. Labels and help are Dutch (B1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thuis.core import formatting

from . import rules
from .choices import (
    PIP_NIVEAUS,
    Alfabetisering,
    AppointmentKind,
    Component,
    EnforcementKind,
    ExamComponent,
    ExamResultValue,
    ExtensionStatus,
    HoursKind,
    Intensiteit,
    Leerroute,
    LoanStatus,
    Niveau,
    OntzorgenItem,
    PipReason,
    PlichtEndReason,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def text_field(label: Any, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea, help_text=help_text
    )


class CaseDatesForm(forms.Form):
    kennisgeving_date = date_field(
        _("Kennisgeving DUO (start van de 10 weken voor de PIP)"), required=False
    )
    koppeling_date = date_field(_("Datum koppeling (COA)"), required=False)
    vestiging_date = date_field(_("Datum vestiging in de gemeente (BRP)"), required=False)
    third_party_info_received = date_field(
        _("Informatie van anderen ontvangen"),
        required=False,
        help_text=_("Alleen als de PIP moest wachten op informatie van anderen."),
    )


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort afspraak"), choices=AppointmentKind.choices)
    scheduled_on = date_field(_("Datum afspraak"))
    invitation_sent_on = date_field(_("Uitnodiging verstuurd op"), required=False)


class NoShowForm(forms.Form):
    appointment = forms.TypedChoiceField(
        label=_("Welke afspraak is gemist?"), coerce=int, choices=[]
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["appointment"].choices = [
                (a.pk, f"{a.get_kind_display()} {formatting.date_short(a.scheduled_on)}")
                for a in case.appointments.filter(outcome="gepland")
            ]


class IntakeForm(forms.Form):
    started_on = date_field(_("Intake gestart op"), required=False)
    lbt_score = forms.IntegerField(
        label=_("Score leerbaarheidstoets (0 tot en met 40)"),
        required=False,
        min_value=0,
        max_value=40,
    )
    lbt_date = date_field(_("Datum leerbaarheidstoets"), required=False)
    education_history = text_field(_("Opleiding in het land van herkomst"))
    work_history = text_field(_("Werkervaring in het land van herkomst"))
    finances = text_field(_("Financiën"))
    housing = text_field(_("Wonen"))
    social_network = text_field(_("Sociaal netwerk"))
    family_childcare = text_field(_("Gezin en kinderopvang"))
    vve_children = text_field(_("Voor- en vroegschoolse educatie (VVE) voor jonge kinderen"))
    participation_wishes = text_field(_("Wensen voor werk en participatie"))
    talk_without_partner_offered = forms.BooleanField(
        label=_("Gesprek zonder partner aangeboden"),
        required=False,
        help_text=_("Iedereen heeft recht op een gesprek zonder de partner erbij."),
    )
    talk_without_partner_held = forms.BooleanField(
        label=_("Gesprek zonder partner gevoerd"), required=False
    )
    completed_on = date_field(
        _("Intake afgerond op"),
        required=False,
        help_text=_("Kan pas als de drie verplichte delen zijn ingevuld."),
    )


class HealthForm(forms.Form):
    physical = text_field(_("Lichamelijke gezondheid"))
    mental = text_field(_("Psychische gezondheid"))
    impact = text_field(_("Wat betekent dit voor inburgering en participatie?"))


class PipForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reden"), choices=PipReason.choices)
    reason_text = forms.CharField(
        label=_("Toelichting op de reden"), required=False, max_length=255
    )
    dagtekening = date_field(_("Dagtekening van de beschikking"))
    leerroute = forms.ChoiceField(label=_("Leerroute"), choices=Leerroute.choices)
    niveau = forms.ChoiceField(
        label=_("Taalniveau"),
        required=False,
        choices=[("", _("Geen (onderwijsroute)")), *((n.value, n.label) for n in PIP_NIVEAUS)],
    )
    pvt_intensiteit = forms.ChoiceField(label=_("Intensiteit PVT"), choices=Intensiteit.choices)
    map_intensiteit = forms.ChoiceField(
        label=_("Intensiteit MAP"),
        choices=[("", _("Geen MAP (onderwijsroute)")), *Intensiteit.choices],
        required=False,
    )
    begeleiding = text_field(_("Begeleiding"))
    ondersteuning = text_field(_("Ondersteuning"))
    ontzorgen = forms.BooleanField(label=_("Ontzorgen"), required=False)
    voortgangsafspraken = text_field(_("Afspraken over voortgang"))
    alfabetisering = forms.ChoiceField(label=_("Alfabetisering"), choices=Alfabetisering.choices)
    geschatte_intensiteit_b1 = forms.IntegerField(
        label=_("Geschatte uren tot B1"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("Alleen voor asielstatushouders in de B1-route."),
    )
    mag_opleiding_afmaken = forms.BooleanField(label=_("Mag opleiding afmaken"), required=False)


class ExtensionForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ExtensionStatus.choices)
    months = forms.IntegerField(
        label=_("Aantal maanden"), min_value=1, max_value=rules.MAX_EXTENSION_MONTHS
    )
    decided_on = date_field(_("Datum besluit of aanvraag"))
    grondcode = forms.CharField(
        label=_("Verlengingsgrond (code van DUO)"), required=False, max_length=10
    )
    alfabetisering = forms.BooleanField(
        label=_("Verlenging voor alfabetisering (Wi2013)"), required=False
    )


class TalkForm(forms.Form):
    held_on = date_field(_("Datum gesprek"))
    summary = text_field(_("Samenvatting"), required=True)
    agreements = text_field(_("Afspraken"))


class ExamForm(forms.Form):
    component = forms.ChoiceField(label=_("Onderdeel"), choices=ExamComponent.choices)
    level = forms.ChoiceField(
        label=_("Niveau"),
        choices=[("", _("Geen niveau (KNM, ONA)")), *Niveau.choices],
        required=False,
        help_text=_("Alleen bij lezen, luisteren, schrijven en spreken."),
    )
    exam_date = date_field(_("Examendatum"))
    result = forms.ChoiceField(label=_("Uitslag"), choices=ExamResultValue.choices)


class HoursForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort uren"), choices=HoursKind.choices)
    period_start = date_field(_("Van"))
    period_end = date_field(_("Tot en met"))
    hours = forms.DecimalField(label=_("Aantal uren"), min_value=0, max_digits=7, decimal_places=2)
    source = forms.CharField(
        label=_("Bron (bijvoorbeeld taalschool)"), required=False, max_length=100
    )


class CompletionForm(forms.Form):
    component = forms.ChoiceField(label=_("Onderdeel"), choices=Component.choices)
    completed_on = date_field(_("Afgerond op"))


class OntzorgenForm(forms.Form):
    bijstand_start = date_field(_("Start bijstand"))
    bijstand_end = date_field(_("Einde bijstand"), required=False)
    machtiging_signed_on = date_field(_("Machtiging getekend op"), required=False)
    items = forms.MultipleChoiceField(
        label=_("Wat betaalt de gemeente?"),
        choices=OntzorgenItem.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(OntzorgenItem.values),
    )
    refused = forms.BooleanField(label=_("Weigert mee te werken"), required=False)


class PaymentForm(forms.Form):
    item = forms.ChoiceField(label=_("Onderdeel"), choices=OntzorgenItem.choices)
    month = date_field(_("Maand (een dag in de maand)"))
    amount = forms.DecimalField(
        label=_("Bedrag in euro"), min_value=0, max_digits=9, decimal_places=2
    )
    payee = forms.CharField(label=_("Betaald aan"), max_length=200)
    paid_on = date_field(_("Betaald op"))


class EnforcementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=EnforcementKind.choices)
    on_date = date_field(_("Datum"))
    amount = forms.DecimalField(
        label=_("Bedrag in euro"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    description = forms.CharField(label=_("Toelichting"), required=False, max_length=255)


class LoanForm(forms.Form):
    loan_status = forms.ChoiceField(
        label=_("Status DUO-lening (Wi2013)"), choices=LoanStatus.choices
    )


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reden einde plicht"), choices=PlichtEndReason.choices)
    on = date_field(_("Datum"))
