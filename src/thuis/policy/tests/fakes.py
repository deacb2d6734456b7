"""A small fake of the outside sources, with the indicator API's cell shape.

Values are computed from raw counts with the same rules as the indicator layer (Wilson interval,
suppression below k), so a test can compare the document with `indicator_table()` here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from thuis.policy import rules

K = 10


def cell(keys: dict[str, str], teller: int, noemer: int, *, k: int = K) -> dict[str, Any]:
    if noemer < k:
        return {
            **keys,
            "teller": None,
            "noemer": noemer,
            "waarde": None,
            "ondergrens": None,
            "bovengrens": None,
            "onderdrukt": True,
        }
    low, high = rules.wilson(teller, noemer)
    return {
        **keys,
        "teller": teller,
        "noemer": noemer,
        "waarde": round(100 * teller / noemer, 1),
        "ondergrens": low,
        "bovengrens": high,
        "onderdrukt": False,
    }


# code -> per -> list of (keys, teller, noemer); a version bump changes the data.
RAW: dict[str, dict[tuple[str, ...], list[tuple[dict[str, str], int, int]]]] = {
    "PARTICIPATIE_6M_VESTIGING": {
        (): [({}, 31, 52)],
        ("cohort",): [
            ({"cohort": "2018-H1"}, 11, 25),
            ({"cohort": "2018-H2"}, 4, 7),
            ({"cohort": "2019-H1"}, 16, 20),
            ({"cohort": "totaal"}, 31, 52),
        ],
    },
    "WERK_12M": {
        (): [({}, 37, 114)],
        ("geslacht",): [
            ({"geslacht": "M"}, 31, 64),
            ({"geslacht": "V"}, 6, 50),
            ({"geslacht": "totaal"}, 37, 114),
        ],
    },
}
META: dict[str, dict[str, Any]] = {
    "PARTICIPATIE_6M_VESTIGING": {
        "code": "PARTICIPATIE_6M_VESTIGING",
        "naam": "Participeert een half jaar na vestiging",
        "definitie": "Personen van 18 tot en met 64 jaar, gevestigd in de gemeente.",
        "teller": "personen met werk",
        "noemer": "personen",
        "eenheid": "%",
        "bron": "Gemeente Dalfsen, jaarverslag",
        "referenties": [
            {
                "label": "Dalfsen, doel",
                "waarde": 75.0,
                "bron": "jaarverslag",
                "url": "",
                "toelichting": "",
            }
        ],
    },
    "WERK_12M": {
        "code": "WERK_12M",
        "naam": "Met werk 12 maanden na de start van de plicht",
        "definitie": "Asielstatushouders van 18 tot en met 64 jaar.",
        "teller": "personen met werk",
        "noemer": "personen",
        "eenheid": "%",
        "bron": "Thuis",
        "referenties": [
            {
                "label": "Landelijk, cohort 2021",
                "waarde": 7.8,
                "bron": "NRC over CBS",
                "url": "",
                "toelichting": "",
            }
        ],
    },
}


class FakeSources:
    def __init__(
        self,
        *,
        shift: int = 0,
        consultations: list[dict[str, Any]] | None = None,
        surveys: list[dict[str, Any]] | None = None,
        support: dict[str, int] | None = None,
        missing: frozenset[str] = frozenset(),
        budget_years: tuple[int, ...] = (2024,),
    ) -> None:
        self.shift = shift  # adds to every teller: "the data changed"
        self._consultations = consultations
        self._surveys = surveys
        self._support = support
        self.missing = missing
        self._budget_years = budget_years
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def indicator_meta(self, code: str) -> dict[str, Any] | None:
        if "monitoring" in self.missing:
            return None
        return META.get(code)

    def indicator_table(
        self, *, code: str, municipality: Any, peildatum: date, per: list[str]
    ) -> dict[str, Any] | None:
        self.calls.append((code, tuple(per)))
        if "monitoring" in self.missing or code not in RAW:
            return None
        rows = RAW[code].get(tuple(per), [])
        cells = [cell(keys, min(t + self.shift, n), n) for keys, t, n in rows]
        # secondary suppression as the indicator layer would do: with one hidden cell in a
        # row, hide the smallest other non-total cell too.
        hidden = [c for c in cells if c["onderdrukt"]]
        if len(hidden) == 1 and len(cells) > 2:
            others = [c for c in cells if not c["onderdrukt"] and "totaal" not in c.values()]
            if others:
                victim = min(others, key=lambda c: c["noemer"])
                victim.update(
                    teller=None, waarde=None, ondergrens=None, bovengrens=None, onderdrukt=True
                )
        return {"code": code, "peildatum": peildatum.isoformat(), "k": K, "cellen": cells}

    def consultations(self, *, municipality: Any, start: date, end: date) -> Any:
        return None if "surveys" in self.missing else (self._consultations or [])

    def advices(self, *, municipality: Any) -> Any:
        return None if "surveys" in self.missing else [(1, "Participatieraad: evaluatie")]

    def advice(self, *, municipality: Any, advice_id: int) -> Any:
        if "surveys" in self.missing:
            return None
        return {
            "raad": "Participatieraad",
            "onderwerp": "Evaluatie Thuis in Dalfsen",
            "ontvangen": "2020-01-15",
            "inleiding": "De raad adviseert als volgt.",
            "reactie_inleiding": "Het college reageert als volgt.",
            "reactie_verstuurd": "",
            "punten": [
                {
                    "nummer": 1,
                    "tekst": "Let op vrouwen.",
                    "besluit": "Overgenomen",
                    "motivering": "Dit doen we.",
                    "acties": "Vrouwengroep",
                }
            ],
        }

    def survey_inputs(self, *, municipality: Any, start: date, end: date) -> Any:
        return None if "surveys" in self.missing else (self._surveys or [])

    def finance(self, *, municipality: Any, year: int) -> Any:
        if "finance" in self.missing:
            return None
        has_budget = year in self._budget_years
        budget = "137000.00" if has_budget else "0.00"
        return {
            "year": year,
            "has_budget": has_budget,
            "budget_years": list(self._budget_years),
            "budget": [{"label": "Rijksbijdrage", "amount": budget}],
            "budget_total": budget,
            "costs": [{"label": "Taallessen", "amount": "90000.00"}],
            "costs_total": "90000.00",
            "balance": f"{float(budget) - 90000:.2f}",
            "running_cases": [],
            "forecast": None,
            "estimates": [],
            "notes": ["Er is nog geen scenario voor de prognose vastgelegd."],
        }

    def budget_years(self, *, municipality: Any) -> Any:
        return None if "finance" in self.missing else list(self._budget_years)

    def support_dependence(self, *, municipality: Any, peildatum: date) -> Any:
        return None if "partners" in self.missing else self._support

    def cases_per_status(self, *, municipality: Any) -> Any:
        return [{"status": "Lopend", "aantal": 40}, {"status": "Afgerond", "aantal": 3}]
