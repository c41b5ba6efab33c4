"""One way in to the rules for the screener, the command line, claims and journeys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from benefits import rules, selectors
from benefits.rules.base import Household, Result


class RatesNotAvailable(ValueError):
    pass


@dataclass(frozen=True)
class Assessment:
    on: date
    results: list[Result]

    def as_dict(self) -> dict[str, object]:
        return {"date": self.on.isoformat(), "results": [r.as_dict() for r in self.results]}

    @property
    def missing(self) -> list[str]:
        """Every fact any rule still needs, in the order the rules ask for them."""
        return list(dict.fromkeys(name for result in self.results for name in result.missing))

    @property
    def left_out(self) -> list[str]:
        """Facts an estimate went without (it does not wait for them; giving them may
        change an amount or add a charge)."""
        return list(dict.fromkeys(name for result in self.results for name in result.left_out))


def assess_household(*, household: Household, on: date) -> Assessment:
    """Assess every benefit for a household on a date, with the rates in force then."""
    rates = selectors.rates_on(on)
    if "uc.standard_allowance.single_25_plus" not in rates:
        earliest = selectors.earliest_rates_date()
        raise RatesNotAvailable(
            f"No rates are loaded for {on.isoformat()}; the earliest date with rates is "
            f"{earliest.isoformat() if earliest else 'none'}."
        )
    return Assessment(on=on, results=rules.assess_all(household, on, rates))
