from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel
from thuis.core.validators import refuse_bidi_controls

from .choices import Relation, Sex
from .countries import country_name
from .search import fill_search_names, person_search_name
from .validators import validate_bsn, validate_country


class Municipality(BaseModel):
    code = models.CharField(_("CBS-gemeentecode"), max_length=4, unique=True)
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class MunicipalityPopulation(models.Model):
    """Inhabitants on 1 January of a year (CBS), used for taakstelling and per-capita figures."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    inhabitants = models.PositiveIntegerField(_("inwoners"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="population_unique_year",
                violation_error_code="inwonertal_bestaat",
                violation_error_message=_("Het inwonertal van dit jaar is al vastgelegd."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.year}: {self.inhabitants}"


#: The fields `Person.search_name` is made of.
NAME_FIELDS = frozenset({"given_names", "prefix", "family_name"})


class PersonQuerySet(models.QuerySet["Person"]):
    """Bulk writes fill `search_name` too (they do not call `Person.save`)."""

    def bulk_create(self, objs: Iterable[Person], *args: Any, **kwargs: Any) -> list[Person]:
        objs = list(objs)
        fill_search_names(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(
        self, objs: Iterable[Person], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs, fields = list(objs), list(fields)
        if NAME_FIELDS & set(fields):
            fill_search_names(objs)
            fields.append("search_name")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Person(BaseModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="persons", verbose_name=_("gemeente")
    )
    #: A person is a record of one gemeente (each gemeente is its own controller under the AVG):
    #: the same BSN may have a record in each gemeente it lived in, and nothing of one gemeente's
    #: record is visible from, or revealed to, another (issue 15: no existence oracle).
    bsn = models.CharField(_("BSN"), max_length=9, db_index=True, validators=[validate_bsn])
    given_names = models.CharField(
        _("voornamen"), max_length=200, validators=[refuse_bidi_controls]
    )
    prefix = models.CharField(
        _("voorvoegsel"), max_length=20, blank=True, validators=[refuse_bidi_controls]
    )
    family_name = models.CharField(
        _("achternaam"), max_length=200, db_index=True, validators=[refuse_bidi_controls]
    )
    birth_date = models.DateField(_("geboortedatum"))
    sex = models.CharField(_("geslacht"), max_length=1, choices=Sex.choices)
    nationality = models.CharField(
        _("nationaliteit"), max_length=2, validators=[validate_country], help_text="ISO 3166"
    )
    country_of_birth = models.CharField(
        _("geboorteland"), max_length=2, validators=[validate_country], help_text="ISO 3166"
    )
    languages = models.JSONField(_("gesproken talen"), default=list, blank=True)
    preferred_language = models.CharField(_("voorkeurstaal"), max_length=3, blank=True)
    #: The names in the normalised form of the name search (people.search), set on every save
    #: and by the bulk writes; on PostgreSQL a pg_trgm index serves the search (migration 0005).
    search_name = models.TextField(_("zoeknaam"), blank=True, default="", editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        indexes = [models.Index(fields=["municipality", "family_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "bsn"],
                name="person_bsn_unique_per_gemeente",
                violation_error_code="bsn_bestaat",
                violation_error_message=_("Er is in deze gemeente al een persoon met dit BSN."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = person_search_name(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.prefix, self.family_name) if p)

    @property
    def nationality_name(self) -> str:
        return country_name(self.nationality)

    @property
    def country_of_birth_name(self) -> str:
        return country_name(self.country_of_birth)

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"pk": self.pk})


class Household(BaseModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="households"
    )
    name = models.CharField(_("naam huishouden"), max_length=200, validators=[refuse_bidi_controls])

    class Meta:
        ordering = ["name"]
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:household", kwargs={"pk": self.pk})


class HouseholdMember(BaseModel):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("relatie"), max_length=16, choices=Relation.choices)
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    arrived_later = models.BooleanField(_("nareiziger (gezinshereniging)"), default=False)

    class Meta:
        ordering = ["household", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person", "start_date"],
                name="member_unique_start",
                violation_error_code="lid_bestaat",
                violation_error_message=_(
                    "Deze persoon is op deze datum al lid van dit huishouden."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"
