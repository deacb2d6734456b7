"""A two-gemeente world for the authorisation matrix (SECURITY.md G1, issue 15).

Gemeente A and gemeente B each get one object of every kind that a URL pattern takes as its
id, and users of every role. The users of A are the actors; B's objects are "the other
gemeente". `KIND_OF_PATTERN` says which kind of object each pattern's id refers to, `BUILDERS`
builds one object of a kind in one gemeente, and `fingerprint` sums up every row linked to a
gemeente, so a test can prove that a request changed nothing there.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from thuis.accounts.choices import Role
from thuis.tests import factories

SIDES = ("A", "B")
GEMEENTE = {"A": ("0148", "Dalfsen (test)"), "B": ("0193", "Zwolle (test)")}
# Marker strings: unique per gemeente, so that a response can be searched for B's objects.
FAMILY_NAME = {"A": "Geheimnaam", "B": "Anderenaam"}

ACTOR_ROLES = {
    "regisseur": Role.REGISSEUR,
    "teamleider": Role.TEAMLEIDER,
    "beleidsmedewerker": Role.BELEIDSMEDEWERKER,
    "partner": Role.PARTNER,
    "beheerder": Role.BEHEERDER,
}


def marker(side: str, what: str) -> str:
    return f"{what}-merk{side}"


@dataclass
class Side:
    """Everything of one gemeente."""

    name: str
    municipality: Any
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    raw_key: str = ""


@dataclass
class World:
    sides: dict[str, Side]

    def obj(self, side: str, kind: str) -> Any:
        return self.sides[side].objects[kind]

    def user(self, side: str, role: str) -> Any:
        return self.sides[side].users[role]


# ---------------------------------------------------------------------------------------------
# Builders: kind -> function(side) -> object. Ordered: later builders use earlier objects.


def _person(s: Side) -> Any:
    return factories.PersonFactory(municipality=s.municipality, family_name=FAMILY_NAME[s.name])


def _case(s: Side) -> Any:
    return factories.CaseFactory(person=s.objects["person"], regisseur=s.users["regisseur"])


def _household(s: Side) -> Any:
    member = factories.HouseholdMemberFactory(
        household=factories.HouseholdFactory(
            municipality=s.municipality, name=marker(s.name, "Huishouden")
        ),
        person=s.objects["person"],
    )
    return member.household


def _user(s: Side) -> Any:
    """The user a beheerder manages (reset second factor, (de)activate)."""
    return factories.UserFactory(
        username=marker(s.name, "medewerker").lower(),
        role=Role.REGISSEUR,
        municipalities=[s.municipality],
    )


def _contract(s: Side) -> Any:
    from thuis.partners.models import Contract

    return Contract.objects.create(
        organisation=s.objects["organisation"],
        municipality=s.municipality,
        product=marker(s.name, "Product"),
        referral_type="mb",
        unit="traject",
        price=Decimal("100.00"),
        start_date=date(2025, 1, 1),
    )


def _referral(s: Side) -> Any:
    from thuis.partners.models import Referral

    return Referral.objects.create(
        municipality=s.municipality,
        person=s.objects["person"],
        case=s.objects["case"],
        organisation=s.objects["organisation"],
        contract=s.objects["contract"],
        referral_type="mb",
        sent_on=date(2025, 2, 1),
    )


def _spell(s: Side) -> Any:
    from thuis.partners.models import ParticipationSpell

    return ParticipationSpell.objects.create(
        person=s.objects["person"],
        organisation=s.objects["organisation"],
        kind="werk",
        start_date=date(2025, 3, 1),
    )


def _api_token(s: Side) -> Any:
    from thuis.partners.services import token_create

    token, raw = token_create(
        by=s.users["beheerder"],
        organisation=s.objects["organisation"],
        municipality=s.municipality,
        name=marker(s.name, "Sleutel"),
        days=30,
    )
    s.raw_key = raw
    return token


def _import_batch(s: Side) -> Any:
    from thuis.migration.models import ImportBatch

    return ImportBatch.objects.create(
        municipality_code=s.municipality.code,
        municipality_name=s.municipality.name,
        kind="personen",
        filename=marker(s.name, "import") + ".csv",
        sha256="0" * 64,
        content=b"",
        status="preview",
        uploaded_by=s.users["beheerder"],
    )


def _budget(s: Side) -> Any:
    from thuis.finance.models import BudgetLine

    return BudgetLine.objects.create(
        municipality=s.municipality, year=2025, source="overig", amount=Decimal("1000.00")
    )


def _cost_import(s: Side) -> Any:
    from thuis.finance.models import CostImport

    return CostImport.objects.create(
        municipality=s.municipality,
        filename=marker(s.name, "kosten") + ".csv",
        checksum=s.name * 64,
        content=b"",
        uploaded_by=s.users["beleidsmedewerker"],
    )


def _cost(s: Side) -> Any:
    from thuis.finance.models import CostEntry

    return CostEntry.objects.create(
        municipality=s.municipality,
        booked_on=date(2025, 4, 1),
        year=2025,
        category="map",
        amount=Decimal("50.00"),
        row_key=marker(s.name, "rij"),
    )


def _scenario(s: Side) -> Any:
    from thuis.finance import rules, services

    return services.scenario_create(
        by=s.users["beleidsmedewerker"],
        municipality=s.municipality,
        name=marker(s.name, "Scenario"),
        params=rules.default_params(first_year=2026),
    )


def _survey(s: Side) -> Any:
    from thuis.surveys.models import Survey

    return Survey.objects.create(
        municipality=s.municipality, form_id=f"form_{s.name}", title=marker(s.name, "Enquete")
    )


def _survey_version(s: Side) -> Any:
    from thuis.surveys.models import Question, SurveyVersion

    version = SurveyVersion.objects.create(survey=s.objects["survey"], number=1)
    Question.objects.create(version=version, name="vraag1", type="number")
    return version


def _research_export(s: Side) -> Any:
    from thuis.surveys.models import ResearchExport

    return ResearchExport.objects.create(
        version=s.objects["survey_version"],
        created_by=s.users["beleidsmedewerker"],
        recipient=marker(s.name, "Onderzoeker"),
        key_fingerprint="0" * 16,
    )


def _consultation(s: Side) -> Any:
    from thuis.surveys.models import Consultation

    return Consultation.objects.create(
        municipality=s.municipality,
        held_on=date(2025, 5, 1),
        kind="group",
        with_whom="statushouders",
        title=marker(s.name, "Gesprek"),
        findings="Bevindingen.",
        created_by=s.users["beleidsmedewerker"],
    )


def _advice(s: Side) -> Any:
    from thuis.surveys.models import Advice

    return Advice.objects.create(
        municipality=s.municipality,
        title=marker(s.name, "Advies"),
        received_on=date(2025, 5, 2),
        created_by=s.users["beleidsmedewerker"],
    )


def _plan(s: Side) -> Any:
    from thuis.policy.models import Plan

    return Plan.objects.create(municipality=s.municipality, title=marker(s.name, "Plan"))


def _theme(s: Side) -> Any:
    from thuis.policy.models import Theme

    return Theme.objects.create(plan=s.objects["plan"], title=marker(s.name, "Thema"))


def _goal(s: Side) -> Any:
    from thuis.policy.models import Goal

    return Goal.objects.create(theme=s.objects["theme"], description=marker(s.name, "Doel"))


def _action(s: Side) -> Any:
    from thuis.policy.models import Action

    return Action.objects.create(theme=s.objects["theme"], title=marker(s.name, "Actie"))


def _report(s: Side) -> Any:
    from thuis.policy.models import Report

    return Report.objects.create(
        municipality=s.municipality,
        plan=s.objects["plan"],
        approach="plan",
        peildatum=date(2025, 6, 30),
        period_start=date(2025, 1, 1),
        created_by=s.users["beleidsmedewerker"],
    )


def _attention_point(s: Side) -> Any:
    from thuis.policy.models import AttentionPoint

    return AttentionPoint.objects.create(
        report=s.objects["report"], title=marker(s.name, "Aandachtspunt")
    )


def _report_version(s: Side) -> Any:
    from thuis.policy.models import ReportVersion

    return ReportVersion.objects.create(
        report=s.objects["report"],
        peildatum=date(2025, 6, 30),
        snapshot={},
        snapshot_sha256="0" * 64,
        created_by=s.users["beleidsmedewerker"],
    )


def _report_job(s: Side) -> Any:
    from thuis.policy.models import ReportJob

    return ReportJob.objects.create(
        report=s.objects["report"],
        peildatum=date(2025, 6, 30),
        requested_by=s.users["beleidsmedewerker"],
    )


def _inbox_message(s: Side) -> Any:
    from thuis.duo.models import InboxMessage

    return InboxMessage.objects.create(
        municipality=s.municipality,
        person=s.objects["person"],
        case=s.objects["case"],
        bericht_id=uuid.uuid4(),
        bron="00000001003214345000",
        doel="00000001001234567000",
        body={},
        gebeurtenis_id="SS102",
        registratie_datum_tijd=timezone.now() - timedelta(days=1),
    )


def _outbox_message(s: Side) -> Any:
    from thuis.duo.models import OutboxMessage

    return OutboxMessage.objects.create(
        municipality=s.municipality,
        person=s.objects["person"],
        case=s.objects["case"],
        api="inburgering",
        operation="pip",
        description=marker(s.name, "Uitgaand"),
    )


def _duo_signal(s: Side) -> Any:
    from thuis.duo.models import DuoSignal

    return DuoSignal.objects.create(
        municipality=s.municipality,
        person=s.objects["person"],
        case=s.objects["case"],
        code="TEST",
        kind="intern",
        title=marker(s.name, "Signaal"),
    )


BUILDERS: dict[str, Callable[[Side], Any]] = {
    "person": _person,
    "case": _case,
    "household": _household,
    "user": _user,
    "contract": _contract,
    "referral": _referral,
    "spell": _spell,
    "api_token": _api_token,
    "import_batch": _import_batch,
    "budget": _budget,
    "cost_import": _cost_import,
    "cost": _cost,
    "scenario": _scenario,
    "survey": _survey,
    "survey_version": _survey_version,
    "research_export": _research_export,
    "consultation": _consultation,
    "advice": _advice,
    "plan": _plan,
    "theme": _theme,
    "goal": _goal,
    "action": _action,
    "report": _report,
    "attention_point": _attention_point,
    "report_version": _report_version,
    "report_job": _report_job,
    "inbox_message": _inbox_message,
    "outbox_message": _outbox_message,
    "duo_signal": _duo_signal,
}

# URL pattern name -> the kind of object its id (pk) refers to. A pattern that takes an id and
# has no entry here fails the matrix; so does a kind without a builder.
KIND_OF_PATTERN: dict[str, str] = {
    "accounts:user-reset-second-factor": "user",
    "accounts:user-set-active": "user",
    "people:detail": "person",
    "people:household": "household",
    "cases:detail": "case",
    "cases:pip-pdf": "case",
    "cases:action": "case",
    "finance:budget-edit": "budget",
    "finance:budget-delete": "budget",
    "finance:cost-delete": "cost",
    "finance:cost-import-preview": "cost_import",
    "finance:scenario-edit": "scenario",
    "finance:scenario-default": "scenario",
    "policy:plan": "plan",
    "policy:plan-edit": "plan",
    "policy:plan-delete": "plan",
    "policy:theme-create": "plan",
    "policy:theme-edit": "theme",
    "policy:theme-delete": "theme",
    "policy:goal-create": "theme",
    "policy:action-create": "theme",
    "policy:goal-edit": "goal",
    "policy:goal-delete": "goal",
    "policy:action-edit": "action",
    "policy:action-delete": "action",
    "policy:report": "report",
    "policy:report-edit": "report",
    "policy:report-suggest": "report",
    "policy:report-generate": "report",
    "policy:point-create": "report",
    "policy:point-edit": "attention_point",
    "policy:point-delete": "attention_point",
    "policy:job": "report_job",
    "policy:version-download": "report_version",
    "policy:version-publish": "report_version",
    "policy:version-delete": "report_version",
    "policy:version-package": "report_version",
    "policy:version-distribute": "report_version",
    "partners:portal-referral": "referral",
    "partners:portal-referral-transition": "referral",
    "partners:portal-report": "referral",
    "partners:referral-create": "person",
    "partners:referral-transition": "referral",
    "partners:spell-create": "person",
    "partners:contact-create": "person",
    "partners:token-revoke": "api_token",
    "partners:contract-edit": "contract",
    "surveys:detail": "survey",
    "surveys:new-wave": "survey",
    "surveys:compare": "survey",
    "surveys:version": "survey_version",
    "surveys:question-delete": "survey_version",
    "surveys:version-status": "survey_version",
    "surveys:public-link": "survey_version",
    "surveys:xlsform": "survey_version",
    "surveys:results": "survey_version",
    "surveys:responses-csv": "survey_version",
    "surveys:responses-xlsx": "survey_version",
    "surveys:research-export": "survey_version",
    "surveys:research-export-file": "research_export",
    "surveys:person": "person",
    "surveys:person-invite": "person",
    "surveys:person-fill": "person",
    "surveys:consultation": "consultation",
    "surveys:consultation-edit": "consultation",
    "surveys:advice": "advice",
    "surveys:advice-print": "advice",
    "migration:import-detail": "import_batch",
    "api:person-detail": "person",
    "api:case-detail": "case",
    "api:case-change-status": "case",
    "api:case-flow-afgerond": "case",
    "api:case-flow-afspraken": "case",
    "api:case-flow-datums": "case",
    "api:case-flow-einde": "case",
    "api:case-flow-examens": "case",
    "api:case-flow-gesprekken": "case",
    "api:case-flow-intake": "case",
    "api:case-flow-pip": "case",
    "api:case-flow-signalen": "case",
    "api:case-flow-uren": "case",
    "api:case-duo-duo": "case",
    "api:finance-scenario-detail": "scenario",
    "api:finance-scenario-forecast": "scenario",
    "api:partner-referral-detail": "referral",
    "api:partner-referral-report": "referral",
    "api:partner-referral-transition": "referral",
    "api:referral-detail": "referral",
    "api:spell-detail": "spell",
    "duo:inbox-reprocess": "inbox_message",
    "duo:outbox-retry": "outbox_message",
    "duo:signal-resolve": "duo_signal",
    "duo:case": "case",
    "duo:case-pip": "case",
    "duo:case-resultaat": "case",
}

# A second id in the route: pattern name -> (url argument, kind). cases:pip-pdf gets a PIP
# version number that does not exist (no PDF is rendered in the matrix).
SECOND_ARGUMENT: dict[str, tuple[str, str]] = {
    "surveys:person-fill": ("version", "survey_version"),
}


def _side(name: str) -> Side:
    from thuis.partners.models import Organisation

    code, label = GEMEENTE[name]
    municipality = factories.MunicipalityFactory(code=code, name=label)
    s = Side(name=name, municipality=municipality)
    organisation = Organisation.objects.create(name=marker(name, "Organisatie"), kind="mb")
    organisation.municipalities.set([municipality])
    s.objects["organisation"] = organisation
    team = factories.TeamFactory(municipality=municipality, name=marker(name, "Team"))
    s.objects["team"] = team
    for key, role in ACTOR_ROLES.items():
        s.users[key] = factories.UserFactory(
            username=f"{key[:4]}_{name.lower()}",
            role=role,
            municipalities=[municipality],
            organisation=organisation if role == Role.PARTNER else None,
            team=team if role in (Role.REGISSEUR, Role.TEAMLEIDER) else None,
        )
    for kind, build in BUILDERS.items():
        s.objects[kind] = build(s)
    return s


def build_world() -> World:
    return World(sides={name: _side(name) for name in SIDES})


def markers_of(world: World, side: str) -> dict[str, str]:
    """Strings that identify side's objects; none may reach a user of the other gemeente."""
    s = world.sides[side]
    found = {
        "bsn": s.objects["person"].bsn,
        "naam": FAMILY_NAME[side],
        "sleutel": s.objects["api_token"].prefix,
        "gebruiker": s.objects["user"].username,
    }
    for what in (
        "Organisatie",
        "Huishouden",
        "Product",
        "Sleutel",
        "import",
        "kosten",
        "Scenario",
        "Enquete",
        "Gesprek",
        "Advies",
        "Plan",
        "Thema",
        "Aandachtspunt",
        "Signaal",
        "Uitgaand",
    ):
        found[what] = marker(side, what)
    return found


# ---------------------------------------------------------------------------------------------
# Fingerprint: every row linked to one gemeente, so a test can assert that nothing changed.

# Not fingerprinted: the processing log is append-only and records the actor's own request.
UNLINKED_OK = {"audit.ProcessingRecord", "people.Municipality"}


def _paths_to_municipality(model: type[models.Model], depth: int = 0) -> list[str]:
    """ORM lookups from model to people.Municipality (pk), following FKs and M2Ms."""
    if model._meta.label == "people.Municipality":
        return ["pk"]
    if depth > 4:
        return []
    paths: list[str] = []
    for f in [*model._meta.fields, *model._meta.many_to_many]:
        if not f.is_relation or f.related_model is None or f.related_model is model:
            continue
        if f.name in {"created_by", "uploaded_by", "changed_by", "revoked_by", "requested_by"}:
            # The author is no scope: an A-user may author rows of A only anyway.
            continue
        target = f.related_model
        if target._meta.label == "people.Municipality":
            paths.append(f"{f.name}__pk")
            continue
        for sub in _paths_to_municipality(target, depth + 1):
            paths.append(f"{f.name}__{sub}")
    return paths


def linked_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every project model with its lookups to a gemeente; fails on a model without one."""
    result = []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("thuis.") or label in UNLINKED_OK:
            continue
        if label == "migration.ImportBatch":
            result.append((model, ["municipality_code"]))
            continue
        paths = _paths_to_municipality(model)
        assert paths, f"{label}: no link to a gemeente, add it to the fingerprint"
        short = [path for path in paths if path.count("__") <= 2]
        result.append((model, short or sorted(paths, key=lambda p: p.count("__"))[:2]))
    return result


def fingerprint(municipality: Any) -> dict[str, str]:
    """label -> hash of all values of the rows linked to the gemeente (count included)."""
    result: dict[str, str] = {}
    for model, paths in linked_models():
        query = models.Q()
        for path in paths:
            value = municipality.code if path == "municipality_code" else municipality.pk
            query |= models.Q(**{path: value})
        names = [f.attname for f in model._meta.concrete_fields]
        rows = list(
            model._default_manager.filter(query).distinct().order_by("pk").values_list(*names)
        )
        result[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16] + (
            f":{len(rows)}"
        )
    return result
