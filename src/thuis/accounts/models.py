from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel

from .choices import Role, TokenPurpose


class Team(BaseModel):
    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="team_unique_name",
                violation_error_code="team_naam_bestaat",
                violation_error_message=_("Deze gemeente heeft al een team met deze naam."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member or partner user. Scope comes from role + municipalities (+ organisation)."""

    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    municipalities = models.ManyToManyField(
        "people.Municipality", related_name="users", blank=True, verbose_name=_("gemeenten")
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisatie"),
    )
    is_system_account = models.BooleanField(
        _("systeemaccount"),
        default=False,
        help_text=_(
            "Een koppeling met een ander systeem, geen persoon: kan niet inloggen en werkt "
            "alleen met een API-sleutel."
        ),
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Sessions end when the password, role, organisation or activity changes (G8)."""
        from django.utils.crypto import salted_hmac

        state = f"{self.password}|{self.role}|{self.organisation_id}|{self.is_active}"
        return salted_hmac(
            "thuis.accounts.User.get_session_auth_hash", state, algorithm="sha256"
        ).hexdigest()

    @property
    def is_regisseur(self) -> bool:
        return self.role == Role.REGISSEUR

    @property
    def sees_persons(self) -> bool:
        """Roles that may open person files of their municipality (partners: only referrals)."""
        return self.role in {Role.REGISSEUR, Role.TEAMLEIDER}


# --- Second-factor enrolment: activation codes (issue 15) -------------------------------------


class ActivationCode(BaseModel):
    """A one-time code with which a user links an authenticator app (the second factor).

    The beheerder who creates the user or resets the second factor sees the code once and gives
    it to the user out of band; only its hash is stored. A code is valid for
    THUIS_ACTIVATION_CODE_HOURS, works once, and a new code replaces the user's open one.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="activation_codes", verbose_name=_("gebruiker")
    )
    code_hash = models.CharField(_("hash van de code"), max_length=64)
    expires_at = models.DateTimeField(_("geldig tot"))
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "used_at"], name="activationcode_user_open")]

    def __str__(self) -> str:
        return f"activeringscode {self.pk} ({self.user_id})"


# --- API keys of systems (issue 15) -----------------------------------------------------------


class ApiToken(BaseModel):
    """An API key with which another system (a partner organisation's system, the gemeente's own
    BI tooling) calls Thuis. One design for every system (`thuis.accounts.tokens`):

    - it belongs to a *system account* (`User.is_system_account`), never to a person, so it has
      no second factor to skip and no session to outlive;
    - it is scoped to one gemeente (the account's only gemeente) and one purpose, which opens
      exactly the endpoints of that purpose;
    - only a SHA-256 hash is stored; the key (`thuis_…`) is shown once, when it is made;
    - it expires (THUIS_API_TOKEN_DAYS) and can be revoked at once.
    """

    account = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("systeemaccount")
    )
    municipality = models.ForeignKey(
        "people.Municipality",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("gemeente"),
    )
    purpose = models.CharField(_("doel"), max_length=32, choices=TokenPurpose.choices)
    name = models.CharField(_("omschrijving"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "-created_at", "-id"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def is_usable(self, now: Any) -> bool:
        return self.revoked_at is None and self.expires_at > now
