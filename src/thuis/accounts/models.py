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
