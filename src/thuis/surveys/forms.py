from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    LANGUAGES,
    AdviceDecision,
    AdvicePointStatus,
    AdviceStatus,
    ConsultationKind,
    ConsultationWith,
    QuestionType,
    Theme,
)

MAX_UPLOAD = 5 * 1024 * 1024


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("XLSForm-bestand (.xlsx)"),
        help_text=_("Met de werkbladen survey, choices en settings."),
    )

    def clean_bestand(self):
        f = self.cleaned_data["bestand"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Het bestand is groter dan 5 MB."))
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Kies een .xlsx-bestand."))
        return f


class SurveyCreateForm(forms.Form):
    titel = forms.CharField(label=_("Titel"), max_length=200)
    formulier_id = forms.SlugField(
        label=_("Formulier-id"),
        max_length=100,
        help_text=_("Kleine letters, cijfers en _; zo heet het formulier in KoboToolbox/ODK."),
    )
    talen = forms.MultipleChoiceField(
        label=_("Talen"),
        choices=[(lang.code, f"{lang.native} ({lang.code})") for lang in LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        initial=["nl", "en", "ar"],
    )


class QuestionForm(forms.Form):
    naam = forms.CharField(
        label=_("Code van de vraag"),
        max_length=100,
        help_text=_("Bijvoorbeeld welkom; gebruikt in skip-logica als ${welkom}."),
    )
    soort = forms.ChoiceField(label=_("Soort vraag"), choices=QuestionType.choices)
    verplicht = forms.BooleanField(label=_("Verplicht"), required=False)
    tonen_als = forms.CharField(
        label=_("Alleen tonen als (relevant)"),
        required=False,
        max_length=500,
        help_text=_("Bijvoorbeeld: ${taalcursus} = 'ja'"),
    )
    voorwaarde = forms.CharField(
        label=_("Voorwaarde (constraint)"),
        required=False,
        max_length=500,
        help_text=_("Bijvoorbeeld: . >= 0 and . <= 60"),
    )
    keuzes = forms.CharField(
        label=_("Antwoordmogelijkheden"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Eén per regel: code | tekst per taal, in de volgorde van de talen hierboven."),
    )
    regels = forms.CharField(
        label=_("Regels van de matrix"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Alleen bij een matrix. Eén per regel: code | tekst per taal."),
    )

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            lang = next(lang for lang in LANGUAGES if lang.code == code)
            self.fields[f"vraag_{code}"] = forms.CharField(
                label=_("Vraag in het %(taal)s") % {"taal": lang.native}
                if code != "nl"
                else _("Vraag in het Nederlands"),
                required=False,
                max_length=1000,
            )

    def labels(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"vraag_{code}", "") for code in self.languages}

    def _lines(self, field: str) -> list[tuple[str, dict[str, str]]]:
        out = []
        for line in (self.cleaned_data.get(field) or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            code, texts = parts[0], parts[1:]
            out.append(
                (
                    code,
                    {
                        lang: texts[i]
                        for i, lang in enumerate(self.languages)
                        if i < len(texts) and texts[i]
                    },
                )
            )
        return out

    def choice_lines(self):
        return self._lines("keuzes")

    def row_lines(self):
        return self._lines("regels")


class WaveForm(forms.Form):
    meting = forms.CharField(
        label=_("Naam van de nieuwe meting"),
        max_length=100,
        help_text=_("Bijvoorbeeld: Najaar 2026"),
    )


class ResearchExportForm(forms.Form):
    ontvanger = forms.CharField(
        label=_("Voor wie is de export?"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Hogeschool Windesheim, lectoraat ..."),
    )


class ConsultationForm(forms.Form):
    datum = forms.DateField(label=_("Datum"), widget=forms.DateInput)
    onderwerp = forms.CharField(label=_("Onderwerp"), max_length=200)
    soort = forms.ChoiceField(label=_("Soort gesprek"), choices=ConsultationKind.choices)
    met = forms.ChoiceField(label=_("Gesprek met"), choices=ConsultationWith.choices)
    organisaties = forms.CharField(
        label=_("Organisaties (één per regel)"), required=False, widget=forms.Textarea
    )
    aantal_statushouders = forms.IntegerField(
        label=_("Aantal statushouders"),
        min_value=0,
        initial=0,
        help_text=_("Alleen aantallen, nooit namen."),
    )
    aantal_anderen = forms.IntegerField(label=_("Aantal andere deelnemers"), min_value=0, initial=0)
    themas = forms.MultipleChoiceField(
        label=_("Thema's"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    bevindingen = forms.CharField(label=_("Bevindingen"), widget=forms.Textarea)
    citaten = forms.CharField(
        label=_("Geanonimiseerde citaten (één per regel)"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Zonder namen of andere kenmerken waaraan iemand te herkennen is."),
    )


class ConsultationSearchForm(forms.Form):
    zoek = forms.CharField(label=_("Zoek in gesprekken"), required=False, max_length=100)
    thema = forms.ChoiceField(
        label=_("Thema"), required=False, choices=[("", _("Alle thema's")), *Theme.choices]
    )
    jaar = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)


class AdviceForm(forms.Form):
    adviesraad = forms.CharField(label=_("Adviesraad"), max_length=200, initial="Participatieraad")
    onderwerp = forms.CharField(label=_("Onderwerp"), max_length=200)
    ontvangen = forms.DateField(label=_("Ontvangen op"), widget=forms.DateInput)
    inleiding = forms.CharField(
        label=_("Inleiding van het advies"), required=False, widget=forms.Textarea
    )
    punten = forms.CharField(
        label=_("Adviespunten (één per regel)"), required=False, widget=forms.Textarea
    )


class AdvicePointForm(forms.Form):
    tekst = forms.CharField(label=_("Nieuw adviespunt"), widget=forms.Textarea)


class AdviceResponseForm(forms.Form):
    reactie = forms.ChoiceField(label=_("Reactie van het college"), choices=AdviceDecision.choices)
    motivering = forms.CharField(label=_("Motivering"), widget=forms.Textarea)
    acties = forms.CharField(
        label=_("Gekoppelde acties uit het plan van aanpak"), required=False, widget=forms.Textarea
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in AdvicePointStatus.choices if c[0] != AdvicePointStatus.OPEN],
    )


class AdviceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status van het advies"), choices=AdviceStatus.choices)
    verstuurd_op = forms.DateField(
        label=_("Reactie verstuurd op"), required=False, widget=forms.DateInput
    )
    inleiding_reactie = forms.CharField(
        label=_("Inleiding van de reactie"), required=False, widget=forms.Textarea
    )
