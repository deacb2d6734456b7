"""Fixtures of the partners tests: organisations, partner users, referrals in every state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.partners import rules, services
from thuis.partners.choices import OrganisationKind, ReferralStatus, ReferralType
from thuis.partners.models import Organisation

TODAY = date(2025, 3, 3)


@pytest.fixture
def make_org(municipality: Any) -> Callable[..., Organisation]:
    def make(
        name: str = "VluchtelingenWerk (test)",
        kind: str = OrganisationKind.MAATSCHAPPELIJKE_BEGELEIDING,
        municipalities: list[Any] | None = None,
    ) -> Organisation:
        org = Organisation.objects.create(name=name, kind=kind)
        org.municipalities.set(municipalities or [municipality])
        return org

    return make


@pytest.fixture
def org(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org()


@pytest.fixture
def other_org(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org(name="Taalschool B (test)", kind=OrganisationKind.TAALAANBIEDER)


@pytest.fixture
def partner(make_user: Callable[..., Any], org: Organisation) -> Any:
    return make_user(Role.PARTNER, username="partner-a", organisation=org, email="a@partner.test")


@pytest.fixture
def other_partner(make_user: Callable[..., Any], other_org: Organisation) -> Any:
    return make_user(Role.PARTNER, username="partner-b", organisation=other_org)


@pytest.fixture
def share(regisseur: Any, case: Any) -> Callable[..., Any]:
    """Share the case's person with an organisation; optionally walk it to a status."""

    def do(
        organisation: Organisation,
        referral_type: str = ReferralType.MB,
        to: str = ReferralStatus.SENT,
        person: Any = None,
    ) -> Any:
        referral, _ = services.referral_share(
            by=regisseur,
            person=person or case.person,
            organisation=organisation,
            referral_type=referral_type,
            today=TODAY,
            consent_on=TODAY,
            case=case if person is None else None,
        )
        path = {
            ReferralStatus.SENT: [],
            ReferralStatus.ACCEPTED: [ReferralStatus.ACCEPTED],
            ReferralStatus.ACTIVE: [ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE],
        }[to]
        for step in path:
            referral = services.referral_transition(
                by="test", referral=referral, to=step, actor=rules.PARTNER, on=TODAY
            )
        return referral

    return do
