"""Changes in the processing log carry old and new values, never health content or a BSN."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thuis.audit import events
from thuis.audit.models import ProcessingRecord
from thuis.cases import services
from thuis.cases.models import HealthNote, ProgressTalk
from thuis.core.actor import SystemActor, UserActor


def _last(object_type: str) -> ProcessingRecord:
    record = ProcessingRecord.objects.filter(object_type=object_type).order_by("-id").first()
    assert record is not None
    return record


@pytest.mark.django_db
def test_a_change_records_the_old_and_new_value_of_each_changed_field(
    case: Any, regisseur: Any
) -> None:
    services.case_set_dates(case=case, by=regisseur, vestiging_date=date(2023, 4, 1))
    services.case_set_dates(
        case=case, by=regisseur, vestiging_date=date(2023, 5, 1), koppeling_date=date(2023, 3, 2)
    )
    record = _last("case")
    assert record.changes == {
        "koppeling_date": {"oud": None, "nieuw": "2023-03-02"},
        "vestiging_date": {"oud": "2023-04-01", "nieuw": "2023-05-01"},
    }
    assert (record.actor_id, record.actor_label) == (regisseur.pk, "regisseur")


@pytest.mark.django_db
def test_a_status_change_records_from_and_to(case: Any, regisseur: Any) -> None:
    services.case_change_status(case=case, to="intake", by=regisseur, on=date(2023, 4, 1))
    assert _last("case").changes == {
        "status": {"oud": "aangemeld", "nieuw": "intake"},
        "status_since": {"oud": "2023-03-01", "nieuw": "2023-04-01"},
    }


@pytest.mark.django_db
def test_health_notes_and_free_text_never_reach_the_log(case: Any, regisseur: Any) -> None:
    services.health_note_add(case=case, by=regisseur, physical="Rugklachten", mental="")
    changes = _last("health_note").changes
    assert changes is not None
    assert changes["physical"] == {"oud": None, "nieuw": events.MASK}
    assert "mental" not in changes  # empty: nothing changed
    assert "Rugklachten" not in str(changes)
    services.progress_talk_add(
        case=case,
        by=regisseur,
        held_on=date(2023, 4, 1),
        summary="Gaat goed",
        today=date(2023, 5, 1),
    )
    talk = _last("progress_talk").changes
    assert talk is not None and talk["summary"]["nieuw"] == events.MASK
    assert talk["held_on"]["nieuw"] == "2023-04-01"
    assert HealthNote.objects.get().physical == "Rugklachten"  # the row itself keeps it
    assert ProgressTalk.objects.get().summary == "Gaat goed"


def test_a_bsn_in_a_text_value_is_redacted() -> None:
    before = events.Snapshot(values={"reason_text": "oud"})
    after = events.Snapshot(values={"reason_text": events._plain("zie 123456782")})
    assert events.diff(before, after) == {"reason_text": {"oud": "oud", "nieuw": "zie [BSN]"}}


@pytest.mark.django_db
def test_typed_actors_are_recorded_with_their_label(case: Any) -> None:
    for actor, expected in (
        (UserActor(user_id=42, name="beheer"), (42, "beheer")),
        (SystemActor("systeem:import"), (None, "systeem:import")),
    ):
        events.person_changed(
            user=actor, person=case.person, action="update", object_type="x", object_id=1
        )
        record = _last("x")
        assert (record.actor_id, record.actor_label) == expected
