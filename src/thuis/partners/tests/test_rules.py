"""Pure rules: allow-lists, lifecycle, support measure, the partner e-mail backoff (no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thuis.core.outbox import policy_for
from thuis.partners import rules
from thuis.partners.choices import ContactCommunity as C
from thuis.partners.choices import ContactKind as K
from thuis.partners.choices import EndReason, ReferralType
from thuis.partners.choices import ReferralStatus as S


def test_every_purpose_has_an_allow_list_without_forbidden_fields() -> None:
    assert set(rules.ALLOWED_PERSON_FIELDS) == set(ReferralType.values)
    for fields in rules.ALLOWED_PERSON_FIELDS.values():
        assert fields, "an empty allow-list makes a referral useless"
        assert not set(fields) & rules.FORBIDDEN_FIELDS
        assert set(fields) <= set(rules.PERSON_FIELD_LABELS)
        assert "bsn" not in fields


@pytest.mark.parametrize(
    ("referral_type", "expected"),
    [
        ("mb", ("name", "birth_date", "contact_language", "household_composition")),
        ("taal", ("name", "birth_date", "leerroute", "niveau", "preferred_language")),
        ("werkgever", ("name", "work_wishes")),
        ("onbekend", ()),
    ],
)
def test_allow_list_table(referral_type: str, expected: tuple[str, ...]) -> None:
    assert rules.allowed_person_fields(referral_type=referral_type) == expected


ALL_FIELDS = sorted(set(rules.PERSON_FIELD_LABELS) | rules.FORBIDDEN_FIELDS | {"extra"})


@given(
    referral_type=st.sampled_from(ReferralType.values),
    values=st.dictionaries(st.sampled_from(ALL_FIELDS), st.text(max_size=20)),
)
def test_projection_holds_exactly_the_allowed_fields(
    referral_type: str, values: dict[str, str]
) -> None:
    projected = rules.project_person(referral_type=referral_type, values=values)
    assert tuple(projected) == rules.allowed_person_fields(referral_type=referral_type)
    assert not set(projected) & rules.FORBIDDEN_FIELDS


@pytest.mark.parametrize(
    ("current", "to", "actor", "reason", "end_reason", "ok"),
    [
        (S.SENT, S.ACCEPTED, "partner", "", "", True),
        (S.SENT, S.ACCEPTED, "gemeente", "", "", False),
        (S.SENT, S.DECLINED, "partner", "", "", False),  # reason needed
        (S.SENT, S.DECLINED, "partner", "vol", "", True),
        (S.SENT, S.REVOKED, "gemeente", "toestemming ingetrokken", "", True),
        (S.SENT, S.REVOKED, "partner", "x", "", False),
        (S.SENT, S.ACTIVE, "partner", "", "", False),  # must accept first
        (S.ACCEPTED, S.ACTIVE, "partner", "", "", True),
        (S.ACTIVE, S.ENDED, "partner", "", EndReason.FINISHED, True),
        (S.ACTIVE, S.ENDED, "gemeente", "", EndReason.STOPPED, True),
        (S.ACTIVE, S.ENDED, "partner", "", "", False),  # end reason needed
        (S.ENDED, S.ACTIVE, "partner", "", "", False),
        (S.DECLINED, S.ACCEPTED, "partner", "", "", False),
        (S.REVOKED, S.SENT, "gemeente", "", "", False),
    ],
)
def test_transitions(
    current: str, to: str, actor: str, reason: str, end_reason: str, ok: bool
) -> None:
    error = rules.transition_error(
        current=current, to=to, actor=actor, reason=reason, end_reason=end_reason
    )
    assert (error is None) is ok, error


def test_next_statuses() -> None:
    assert rules.next_statuses(current=S.SENT, actor="partner") == [S.ACCEPTED, S.DECLINED]
    assert rules.next_statuses(current=S.ACTIVE, actor="gemeente") == [S.ENDED, S.REVOKED]
    assert rules.next_statuses(current=S.ENDED, actor="partner") == []


def test_consent_required_outside_statutory_task() -> None:
    assert not rules.consent_required(referral_type="mb")
    assert not rules.consent_required(referral_type="taal")
    assert rules.consent_required(referral_type="werkgever")


D = date(2025, 1, 1)


def fact(
    kind: str, community: str = C.DUTCH, start: date = D, end: date | None = None
) -> rules.ContactFact:
    return rules.ContactFact(kind=kind, community=community, start=start, end=end)


@pytest.mark.parametrize(
    ("contacts", "dependence", "attention"),
    [
        ([], None, (rules.ATTENTION_NO_NETWORK,)),
        (
            [fact(K.PROFESSIONAL)],
            Decimal("1.00"),
            (rules.ATTENTION_NO_DUTCH_CONTACTS, rules.ATTENTION_DEPENDENT),
        ),
        ([fact(K.PROFESSIONAL), fact(K.TAALMAATJE)], Decimal("1.00"), (rules.ATTENTION_DEPENDENT,)),
        ([fact(K.PROFESSIONAL), fact(K.FAMILIE, C.OWN), fact(K.BUUR)], Decimal("0.33"), ()),
        ([fact(K.FAMILIE, C.OWN)], Decimal("0.00"), (rules.ATTENTION_NO_DUTCH_CONTACTS,)),
        # ended and future contacts do not count
        (
            [fact(K.BUDDY, end=D - timedelta(days=1)), fact(K.VRIEND, start=D + timedelta(days=1))],
            None,
            (rules.ATTENTION_NO_NETWORK,),
        ),
        (
            [fact(K.PROFESSIONAL), fact(K.VRIJWILLIGER), fact(K.BUDDY), fact(K.VRIEND)],
            Decimal("0.75"),
            (rules.ATTENTION_DEPENDENT,),
        ),
    ],
)
def test_support_measure(
    contacts: list[rules.ContactFact], dependence: Decimal | None, attention: tuple[str, ...]
) -> None:
    m = rules.support_measure(contacts=contacts, on=D)
    assert m.dependence == dependence
    assert m.attention == attention


def test_support_series_shows_change_over_time() -> None:
    contacts = [
        fact(K.PROFESSIONAL, start=date(2023, 1, 1)),
        fact(K.VRIEND, start=date(2024, 6, 1)),
    ]
    series = rules.support_series(contacts=contacts, until=date(2025, 1, 1))
    assert [m.on for m in series] == [
        date(2023, 7, 1),
        date(2024, 1, 1),
        date(2024, 7, 1),
        date(2025, 1, 1),
    ]
    assert [m.dependence for m in series] == [
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("0.50"),
        Decimal("0.50"),
    ]


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(0, 30), (1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)]
)
def test_backoff(attempts: int, seconds: int) -> None:
    assert policy_for("partners_email").delay(attempts) == timedelta(seconds=seconds)


def test_outbox_gives_up_after_max_attempts() -> None:
    policy = policy_for("partners_email")
    assert policy.max_attempts == 24
    assert not policy.gives_up(policy.max_attempts - 1)
    assert policy.gives_up(policy.max_attempts)
