"""How a protection check reports to the release manifest - the suppression's own attacker check
(control.Controlled) and the independent audit (independent.AuditResult) alike: k, the protection
level, passed or FAILED by its findings. Formatting only; what each check finds is its own."""

from __future__ import annotations


class CheckOutcome:
    """Mixin for a result with `k`, `protection_level` and the list `problems()` returns."""

    k: int
    protection_level: int

    def problems(self) -> list:
        raise NotImplementedError

    @property
    def passed(self) -> bool:
        return not self.problems()

    def head(self, verdict: str, listed: str) -> dict:
        """{k, protection_level, <verdict>: passed/FAILED, <listed>: the first 50 findings as lines}."""
        return {
            "k": self.k,
            "protection_level": self.protection_level,
            verdict: "passed" if self.passed else "FAILED",
            listed: [p.line() for p in self.problems()[:50]],
        }
