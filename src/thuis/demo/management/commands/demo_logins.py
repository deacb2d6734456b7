"""`thuis demo_logins`: one demo login per role, for `make run`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from thuis.accounts import services
from thuis.accounts.choices import Role
from thuis.accounts.models import User
from thuis.demo import seed


class Command(BaseCommand):
    help = "Toont de demo-inloggegevens (gebruikersnaam, wachtwoord en rol) en het adres."

    def handle(self, *args: Any, **options: Any) -> None:
        usernames = [spec.username for spec in seed.DEMO_USERS]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=usernames).prefetch_related("municipalities")
        }
        if not users:
            self.stdout.write("Er zijn nog geen demo-accounts. Maak ze met: thuis seed --demo")
            return
        width = max(len(name) for name in usernames) + 2
        rule = "─" * 72
        lines = [
            rule,
            "Thuis – demo (alleen synthetische gegevens)",
            f"Adres:       {seed.DEMO_URL}",
            f"Wachtwoord:  {seed.DEMO_PASSWORD}  (voor alle demo-accounts)",
            "",
            f"{'Gebruiker'.ljust(width)}{'Wachtwoord'.ljust(20)}Rol",
        ]
        for spec in seed.DEMO_USERS:
            user = users.get(spec.username)
            if user is None:
                continue
            places = ", ".join(m.name for m in user.municipalities.all())
            role = Role(user.role).label
            lines.append(
                f"{spec.username.ljust(width)}{seed.DEMO_PASSWORD.ljust(20)}{role} – {places}"
            )
        lines.append("")
        if getattr(settings, "THUIS_2FA_REQUIRED", True):
            lines.append("Na het wachtwoord vraagt Thuis om een code uit een authenticator-app.")
            lines += self._activation_codes(spec.username for spec in seed.DEMO_USERS)
        else:
            lines.append("De tweede inlogstap (TOTP) staat uit in deze demo.")
        lines.append(rule)
        self.stdout.write("\n".join(lines))

    def _activation_codes(self, usernames: Iterable[str]) -> list[str]:
        """A fresh one-time activation code for each demo user without a linked app (the app is
        linked only with such a code; issue 15). Each run replaces the open codes."""
        lines = []
        for user in User.objects.filter(username__in=list(usernames)).order_by("username"):
            if services.confirmed_totp_device(user=user) is not None:
                continue
            code = services.activation_code_issue(user=user, by="systeem:demo_logins")
            lines.append(f"  {user.username}: {code}")
        if not lines:
            return []
        hours = settings.THUIS_ACTIVATION_CODE_HOURS
        return [
            f"Eerste keer? Koppel de app met de activeringscode (eenmalig, {hours} uur geldig):",
            *lines,
        ]
