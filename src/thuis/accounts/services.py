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
from .choices import Role, TokenPurpose
from .models import ActivationCode, ApiToken, Team, User

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


def _changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """Old and new values of the changed keys (the processing log's one diff, `events.diff`)."""
    none: frozenset[str] = frozenset()
    return events.diff(
        None if before is None else events.Snapshot(values=before, masked=none),
        events.Snapshot(values=after, masked=none),
    )


def _audit_user(*, by: Any, user: User, action: str, before: dict[str, Any] | None) -> None:
    changes = _changes(before, _user_snapshot(user))
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


# --- API keys of systems ----------------------------------------------------------------------

#: The role a system account of each purpose acts with (what it may see follows from the role).
PURPOSE_ROLES = {
    TokenPurpose.PARTNER_VERWIJZINGEN: Role.PARTNER,
    TokenPurpose.REKENHULP: Role.BELEIDSMEDEWERKER,
    TokenPurpose.INDICATOREN: Role.BELEIDSMEDEWERKER,
}


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "omschrijving": token.name,
        "doel": token.purpose,
        "gemeente": token.municipality.code,
        "begin": token.prefix,
        "geldig_tot": token.expires_at.isoformat(),
        "ingetrokken": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def _audit_token(*, by: Any, token: ApiToken, action: str, before: dict[str, Any] | None) -> None:
    events.record(
        user=by,
        action=action,
        object_type="api_token",
        subjects=[(str(token.account_id), "")],
        activity=events.Activity.PRIVACY,
        municipality_code=token.municipality.code,
        changes=_changes(before, _token_snapshot(token)),
    )


def system_account(*, purpose: str, municipality: Any, organisation_id: int | None) -> User:
    """The system account of (purpose, gemeente[, organisation]): made on first use. It has no
    usable password (no login, so no second factor to skip) and exactly one gemeente."""
    role = PURPOSE_ROLES[TokenPurpose(purpose)]
    org = f"-org{organisation_id}" if organisation_id else ""
    username = f"systeem-{purpose}{org}-gm{municipality.pk}"
    account, made = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "organisation_id": organisation_id,
            "is_system_account": True,
            "last_name": "(systeemaccount)",
        },
    )
    if made:
        account.set_unusable_password()
        account.save(update_fields=["password"])
        account.municipalities.set([municipality])
    return account


@transaction.atomic
def api_token_create(
    *,
    by: Any,
    purpose: str,
    municipality: Any,
    name: str,
    organisation_id: int | None = None,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new API key for a system of the beheerder's own gemeente. Returns the row and the key,
    which is shown once and never stored. A partner key needs the organisation (which the
    caller has checked works in this gemeente); other purposes take none."""
    from . import tokens

    bootstrap = by == BOOTSTRAP_KEY_ACTOR
    if not (bootstrap or scope.is_privacy_officer(by)):
        raise NotAllowed("Alleen de functioneel beheerder maakt API-sleutels.")
    errors: dict[str, list[str]] = {}
    if purpose not in TokenPurpose.values:
        errors["purpose"] = ["Kies een doel uit de lijst."]
    elif (purpose == TokenPurpose.PARTNER_VERWIJZINGEN) != (organisation_id is not None):
        errors["organisation"] = [
            "Een sleutel voor een partnerkoppeling hoort bij één organisatie; "
            "een sleutel voor een ander doel bij geen."
        ]
    if (
        by != BOOTSTRAP_KEY_ACTOR
        and not scope.municipality_ids(by).filter(pk=municipality.pk).exists()
    ):
        errors["municipality"] = ["U kunt alleen sleutels maken voor uw eigen gemeenten."]
    name = name.strip()
    if not name:
        errors["name"] = ["Geef de sleutel een omschrijving."]
    longest = settings.THUIS_API_TOKEN_DAYS
    days = longest if days is None else days
    if not 1 <= days <= longest:
        errors["days"] = [f"Kies een geldigheid van 1 tot {longest} dagen."]
    if errors:
        raise ValidationFailed(
            "Controleer de gegevens van de sleutel.", code="sleutel_ongeldig", fields=errors
        )
    account = system_account(
        purpose=purpose, municipality=municipality, organisation_id=organisation_id
    )
    raw = tokens.new_key()
    token = ApiToken.objects.create(
        account=account,
        municipality=municipality,
        purpose=purpose,
        name=name[:100],
        prefix=raw[: tokens.SHOWN_CHARS],
        key_hash=tokens.hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=by if isinstance(by, User) else None,
    )
    _audit_token(by=by, token=token, action=Action.CREATE, before=None)
    events.security_event(user=by, name=f"api-sleutel-gemaakt:{token.pk}")
    return token, raw


BOOTSTRAP_KEY_ACTOR = "systeem:thuis sleutel"


@transaction.atomic
def api_token_revoke(*, by: Any, token: ApiToken) -> ApiToken:
    """Revoke a key at once (idempotent: revoking twice keeps the first date). Only keys of the
    beheerder's own gemeenten."""
    if (
        by != BOOTSTRAP_KEY_ACTOR
        and not scope.api_tokens_for_beheerder(by).filter(pk=token.pk).exists()
    ):
        raise NotAllowed("Alleen de functioneel beheerder van deze gemeente trekt de sleutel in.")
    locked = ApiToken.objects.select_for_update().select_related("municipality").get(pk=token.pk)
    if locked.revoked_at is None:
        before = _token_snapshot(locked)
        locked.revoked_at = timezone.now()
        locked.revoked_by = by if isinstance(by, User) else None
        locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        _audit_token(by=by, token=locked, action=Action.UPDATE, before=before)
        events.security_event(user=by, name=f"api-sleutel-ingetrokken:{locked.pk}")
    return locked
