from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from thuis.core.validators import refuse_bidi_controls


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

    def confirm_login_allowed(self, user: Any) -> None:
        # A system account works only with its API key (docs/api-keys.md), even if someone
        # gave it a password: the same answer as a wrong password.
        if getattr(user, "is_system_account", False):
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        super().confirm_login_allowed(user)


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


class UserCreateForm(forms.Form):
    """A new user of the beheerder's own gemeenten (validation itself: services.user_create)."""

    username = forms.CharField(label=_("Gebruikersnaam"), max_length=150)
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=150, required=False, validators=[refuse_bidi_controls]
    )
    last_name = forms.CharField(
        label=_("Achternaam"), max_length=150, required=False, validators=[refuse_bidi_controls]
    )
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    role = forms.ChoiceField(label=_("Rol"))
    municipalities: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Gemeenten"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    team: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False
    )
    password = forms.CharField(
        label=_("Eerste wachtwoord"),
        help_text=_("Minstens 12 tekens. Geef het wachtwoord apart van de activeringscode door."),
        widget=forms.PasswordInput,
    )

    def __init__(self, *args: Any, by: Any, **kwargs: Any) -> None:
        from thuis.people.models import Municipality

        from . import scope, services
        from .choices import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in services.MANAGED_ROLES]
        self.fields["role"].initial = Role.REGISSEUR
        own = Municipality.objects.filter(pk__in=scope.municipality_ids(by)).order_by("name")
        self.fields["municipalities"].queryset = own  # type: ignore[attr-defined]
        self.fields["team"].queryset = scope.managed_teams(by).order_by("name")  # type: ignore[attr-defined]
