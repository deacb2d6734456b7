from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel

from .choices import Role


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
