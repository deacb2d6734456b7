from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .indicators import BREAKDOWNS


class FilterForm(forms.Form):
    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False)
    peildatum = forms.DateField(
        label=_("Peildatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    per = forms.ChoiceField(label=_("Uitsplitsen naar"), required=False)
    per2 = forms.ChoiceField(label=_("En naar"), required=False)

    def __init__(self, *args, municipalities=(), breakdowns=tuple(BREAKDOWNS), **kwargs):
        super().__init__(*args, **kwargs)
        options = [(m.code, m.name) for m in municipalities]
        if len(options) > 1:
            options = [("", _("Al mijn gemeenten")), *options]
        self.fields["gemeente"].choices = options
        choices = [("", _("Geen")), *[(b, BREAKDOWNS[b]) for b in breakdowns]]
        self.fields["per"].choices = choices
        self.fields["per2"].choices = choices


class BenchmarkUploadForm(forms.Form):
    bestand = forms.FileField(label=_("Benchmarkbestand (JSON) van een andere gemeente"))
