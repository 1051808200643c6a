"""The overall result of an evaluation from its assessments: "đạt" only when every criterion holds."""

from dataclasses import dataclass

from evaluations.models import Assessment

R = Assessment.Result


@dataclass(frozen=True)
class Outcome:
    total: int
    met: int
    not_met: int
    not_applicable: int
    pending: int

    @property
    def passed(self) -> bool | None:
        """True when every criterion is met (or does not apply to the office), False when one is not met,
        None while some are not assessed yet."""
        if self.not_met:
            return False
        if self.pending:
            return None
        return True

    @property
    def holding(self) -> int:
        return self.met + self.not_applicable


def outcome(assessments) -> Outcome:
    results = [assessment.result for assessment in assessments]
    return Outcome(
        total=len(results),
        met=results.count(R.MET),
        not_met=results.count(R.NOT_MET),
        not_applicable=results.count(R.NOT_APPLICABLE),
        pending=results.count(R.PENDING),
    )
