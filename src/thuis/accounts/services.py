"""Account operations: second-factor devices, activation codes, users managed by a beheerder."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from django_otp.plugins.otp_totp.models import TOTPDevice

from thuis.audit import events
from thuis.audit.models import Action
from thuis.core.errors import NotAllowed, ValidationFailed

from . import scope
from .choices import Role
from .models import ActivationCode, Team, User

# --- Second factor ------------------------------------------------------------------------------


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device shown as a QR code until the user confirms a first code.
    Only after an activation code (`activation_code_redeem`): the view checks that."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def confirmed_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_verify(*, user: User, token: str, may_enrol: bool = False) -> TOTPDevice | None:
    """Check a code. Without a confirmed device, the first good code confirms the new device,
    but only when `may_enrol` (an activation code was entered in this session). Returns the
    device or None."""
    device = confirmed_totp_device(user=user)
    if device is None:
        if not may_enrol:
            events.security_event(user=user, name="otp_enrol_without_activation")
            return None
        device = totp_device_for_setup(user=user)
    if not device.verify_token(token):
        events.security_event(user=user, name="otp_failed")
        return None
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        events.security_event(user=user, name="otp_device_confirmed")
    return device


# --- Activation codes ---------------------------------------------------------------------------

# Unambiguous characters (no 0/O, 1/I/L): the code is read aloud or typed over from a letter.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 16  # 16 of 31 characters: about 79 random bits


def _hash_code(code: str) -> str:
    """SHA-256 of the normalised code (random, so no slow hash is needed)."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: groups of four, easier to read aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def activation_code_issue(*, user: User, by: Any) -> str:
    """A new one-time activation code for `user` (replaces an open one). Returns the code, shown
    once; only its hash is stored."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    ActivationCode.objects.filter(user=user, used_at__isnull=True).delete()
    row = ActivationCode.objects.create(
        user=user,
        code_hash=_hash_code(code),
        expires_at=timezone.now() + timedelta(hours=settings.THUIS_ACTIVATION_CODE_HOURS),
        created_by=by if isinstance(by, User) else None,
    )
    events.record(
        user=by,
        action=Action.CREATE,
        object_type="activation_code",
        subjects=[(str(row.pk), "")],
        activity=events.Activity.PRIVACY,
        reason=f"gebruiker {user.pk}",
        changes={"geldig_tot": {"oud": None, "nieuw": row.expires_at.isoformat()}},
    )
    events.security_event(user=by, name=f"activation_code_issued:{user.pk}")
    return format_code(code)


@transaction.atomic
def activation_code_redeem(*, user: User, code: str) -> bool:
    """Use the user's open activation code. True when it matches and is still valid; the code
    is then spent, and an earlier unconfirmed device (a secret shown before) is discarded."""
    now = timezone.now()
    wanted = _hash_code(code)
    candidates = ActivationCode.objects.select_for_update().filter(
        user=user, used_at__isnull=True, expires_at__gt=now
    )
    match = next((c for c in candidates if constant_time_compare(c.code_hash, wanted)), None)
    if match is None:
        events.security_event(user=user, name="activation_code_failed")
        return False
    match.used_at = now
    match.save(update_fields=["used_at", "updated_at"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    events.security_event(user=user, name="activation_code_used")
    return True


# --- Users managed by a beheerder ---------------------------------------------------------------

# Roles a beheerder gives on the user screen. Partner users belong to an organisation and are
# not managed here. A beheerder may make another beheerder, for the own gemeenten only.
MANAGED_ROLES = (Role.REGISSEUR, Role.TEAMLEIDER, Role.BELEIDSMEDEWERKER, Role.BEHEERDER)


def _require_beheerder(by: Any) -> None:
    if not scope.is_privacy_officer(by):
        raise NotAllowed("Alleen de functioneel beheerder beheert gebruikers.")


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "gebruikersnaam": user.username,
        "rol": user.role,
        "gemeenten": sorted(m.code for m in user.municipalities.all()),
        "team": user.team_id,
        "actief": user.is_active,
    }


def _audit_user(*, by: Any, user: User, action: str, before: dict[str, Any] | None) -> None:
    after = _user_snapshot(user)
    changes = {
        key: {"oud": (before or {}).get(key), "nieuw": value}
        for key, value in after.items()
        if before is None or before.get(key) != value
    }
    events.record(
        user=by,
        action=action,
        object_type="user",
        subjects=[(str(user.pk), "")],
        activity=events.Activity.PRIVACY,
        changes=changes,
    )


def _check_assignment(
    *, by: Any, role: str, municipalities: Iterable[Any], team: Team | None
) -> list[Any]:
    chosen = list(municipalities)
    errors: dict[str, list[str]] = {}
    if role not in MANAGED_ROLES:
        errors["role"] = ["Kies een rol uit de lijst."]
    own = set(scope.municipality_ids(by).values_list("pk", flat=True))
    if not chosen:
        errors["municipalities"] = ["Kies minstens één gemeente."]
    elif any(m.pk not in own for m in chosen):
        errors["municipalities"] = ["U kunt alleen uw eigen gemeenten toekennen."]
    if team is not None and team.municipality_id not in {m.pk for m in chosen}:
        errors["team"] = ["Dit team hoort niet bij een van de gekozen gemeenten."]
    if errors:
        raise ValidationFailed(
            "Controleer de gegevens van de gebruiker.", code="gebruiker_ongeldig", fields=errors
        )
    return chosen


@transaction.atomic
def user_create(
    *,
    by: Any,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    municipalities: Iterable[Any],
    team: Team | None,
    password: str,
) -> tuple[User, str]:
    """A new user of the beheerder's own gemeenten. Returns the user and the activation code for
    the authenticator app (shown once)."""
    _require_beheerder(by)
    chosen = _check_assignment(by=by, role=role, municipalities=municipalities, team=team)
    username = username.strip()
    if not username:
        raise ValidationFailed(
            "Vul een gebruikersnaam in.",
            code="gebruikersnaam_leeg",
            fields={"username": ["Vul een gebruikersnaam in."]},
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            "Deze gebruikersnaam bestaat al.",
            code="gebruikersnaam_bestaat",
            fields={"username": ["Deze gebruikersnaam bestaat al. Kies een andere."]},
        )
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        role=role,
        team=team,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            "Het wachtwoord is niet sterk genoeg.",
            code="wachtwoord_zwak",
            fields={"password": list(exc.messages)},
        ) from exc
    user.set_password(password)
    user.save()
    user.municipalities.set(chosen)
    _audit_user(by=by, user=user, action=Action.CREATE, before=None)
    return user, activation_code_issue(user=user, by=by)


@transaction.atomic
def second_factor_reset(*, by: Any, user: User) -> str:
    """Remove the user's authenticator devices (their sessions lose the second factor) and
    return a new activation code (shown once)."""
    _require_beheerder(by)
    return _reset(by=by, user=user)


BOOTSTRAP_ACTOR = "systeem:thuis gebruiker"


@transaction.atomic
def activation_code_bootstrap(*, user: User, reset: bool) -> str:
    """`thuis gebruiker activeringscode`: a code from the command line (the first beheerder, or
    when no beheerder can log in). A user with a linked app keeps it unless `reset`."""
    if reset:
        return _reset(by=BOOTSTRAP_ACTOR, user=user)
    if confirmed_totp_device(user=user) is not None:
        raise ValidationFailed(
            "Deze gebruiker heeft al een gekoppelde app. Gebruik --opnieuw om die te "
            "verwijderen en een nieuwe code te maken.",
            code="app_al_gekoppeld",
        )
    return activation_code_issue(user=user, by=BOOTSTRAP_ACTOR)


def _reset(*, by: Any, user: User) -> str:
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    events.record(
        user=by,
        action=Action.DELETE,
        object_type="totp_device",
        subjects=[(str(user.pk), "")],
        activity=events.Activity.PRIVACY,
        changes={"apparaten": {"oud": removed, "nieuw": 0}},
    )
    return activation_code_issue(user=user, by=by)


@transaction.atomic
def user_set_active(*, by: Any, user: User, active: bool) -> User:
    """(De)activate a user; a deactivated user's sessions end (User.get_session_auth_hash)."""
    _require_beheerder(by)
    if user.pk == getattr(by, "pk", None) and not active:
        raise ValidationFailed(
            "U kunt uw eigen account niet uitzetten.", code="eigen_account_uitzetten"
        )
    before = _user_snapshot(user)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        _audit_user(by=by, user=user, action=Action.UPDATE, before=before)
    return user
