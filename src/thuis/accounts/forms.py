from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord klopt niet. "
            "Let op: na 5 mislukte pogingen wordt het account 15 minuten geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met de functioneel beheerder."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit de authenticator-app (6 cijfers)"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Activeringscode"),
        help_text=_("De code van 16 tekens die u van de functioneel beheerder kreeg."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
