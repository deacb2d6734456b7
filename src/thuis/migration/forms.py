from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportKind


class ImportUploadForm(forms.Form):
    soort = forms.ChoiceField(label=_("Soort bestand"), choices=ImportKind.choices)
    gemeente = forms.ChoiceField(label=_("Gemeente"))
    bestand = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_("Zie de kolommen in de handleiding (docs/import.md)."),
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(m.code, m.name) for m in municipalities]
