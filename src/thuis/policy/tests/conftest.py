from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.demo.policy import seed_policy_demo
from thuis.policy import services

from .fakes import FakeSources

PEILDATUM = date(2024, 2, 1)
SURVEYS = [
    {
        "code": "social_network",
        "label": "Heeft een steunend sociaal netwerk",
        "teller": 12,
        "noemer": 40,
        "tekst": "30% (12 van 40)",
        "k": 10,
    },
    {
        "code": "feeling_welcome",
        "label": "Voelt zich welkom",
        "teller": None,
        "noemer": None,
        "tekst": "minder dan 10 antwoorden",
        "k": 10,
    },
]


@pytest.fixture
def fake_sources(monkeypatch: Any) -> FakeSources:
    fake = FakeSources(surveys=SURVEYS, support={"totaal": 40, "afhankelijk": 30})
    monkeypatch.setattr(services, "_sources_factory", lambda: fake)
    return fake


@pytest.fixture
def beleid(make_user: Any) -> Any:
    return make_user(Role.BELEIDSMEDEWERKER, username="beleid")


@pytest.fixture
def demo_report(municipality: Any, fake_sources: FakeSources) -> Any:
    seed_policy_demo(municipality, today=PEILDATUM)
    report = municipality.policy_reports.get()
    report.figures = [
        {"code": "PARTICIPATIE_6M_VESTIGING", "per": ["cohort"]},
        {"code": "WERK_12M", "per": ["geslacht"]},
        {"code": "ONBEKEND_X", "per": []},
    ]
    report.advice_id = 1
    report.save()
    return report
