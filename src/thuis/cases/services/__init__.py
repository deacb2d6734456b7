"""Operations on integration cases (one atomic function per change, each writes the log).

Split per topic; import from here: `from thuis.cases import services`.
"""

from .case import (
    ALLOWED_TRANSITIONS,
    DETAIL_FOR_DOELGROEP,
    case_assign,
    case_change_doelgroep,
    case_change_status,
    case_open,
    current_doelgroep,
)
from .facts import case_dates, case_facts
from .handhaving import enforcement_record, no_show_register
from .intake import appointment_plan, health_note_add, intake_update
from .ontzorgen import ontzorgen_payment_add, ontzorgen_set
from .pip import extension_record, pip_establish, pip_pdf_export
from .progress import (
    case_set_dates,
    completion_record,
    exam_record,
    hours_record,
    loan_status_set,
    plicht_end,
    progress_talk_add,
)
from .signals import signals_refresh, signals_refresh_all

__all__ = [
    "ALLOWED_TRANSITIONS",
    "DETAIL_FOR_DOELGROEP",
    "appointment_plan",
    "case_assign",
    "case_change_doelgroep",
    "case_change_status",
    "case_dates",
    "case_facts",
    "case_open",
    "case_set_dates",
    "completion_record",
    "current_doelgroep",
    "enforcement_record",
    "exam_record",
    "extension_record",
    "health_note_add",
    "hours_record",
    "intake_update",
    "loan_status_set",
    "no_show_register",
    "ontzorgen_payment_add",
    "ontzorgen_set",
    "pip_establish",
    "pip_pdf_export",
    "plicht_end",
    "progress_talk_add",
    "signals_refresh",
    "signals_refresh_all",
]
