"""Where a year's evaluation stands and what each reader should do next."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.access import can
from evaluations.models import Evaluation
from evaluations.results import Outcome

S = Evaluation.Status


@dataclass
class NextStep:
    text: str
    url: str = ""
    label: str = ""


def _day(moment) -> str:
    return date_format(moment, "d/m/Y") if moment else ""


def next_step(evaluation: Evaluation, user, result: Outcome, open_codes: list[str]) -> NextStep:
    detail_url = evaluation.get_absolute_url()
    status = evaluation.status
    if status == S.PREPARING:
        if open_codes:
            if can(user, "evaluations.prepare", evaluation):
                return NextStep(_("Assess the criteria still open: %(codes)s.") % {"codes": ", ".join(open_codes)})
            return NextStep(
                _("The team is assessing the criteria: %(done)s of %(total)s done.")
                % {"done": result.total - result.pending, "total": result.total}
            )
        if can(user, "evaluations.send_for_sign_off", evaluation):
            return NextStep(_("Every criterion is assessed: send the evaluation to the Chief of Office for sign-off."))
        return NextStep(_("Every criterion is assessed: the team leader sends it to the Chief of Office for sign-off."))
    if status == S.AWAITING_SIGN_OFF:
        sent = _day(evaluation.submitted_for_sign_off_at)
        if can(user, "evaluations.sign_off", evaluation):
            return NextStep(
                _(
                    "Sent for your sign-off on %(date)s. Read each criterion and its evidence, then sign off or "
                    "return it with your comments."
                )
                % {"date": sent}
            )
        return NextStep(_("Waiting for the sign-off of the Chief of Office (sent on %(date)s).") % {"date": sent})
    if status == S.SIGNED_OFF:
        text = _("Signed off on %(date)s by %(person)s.") % {
            "date": _day(evaluation.signed_off_at),
            "person": evaluation.signed_off_by,
        }
        if can(user, "evaluations.record_outcome", evaluation):
            text += " " + _(
                "Issue the report, the minutes and the submission, then record when the dossier went to %(body)s."
            ) % {"body": evaluation.receiving_body}
            return NextStep(text, reverse("evaluations:document", args=[evaluation.year, "report"]), _("Documents"))
        return NextStep(text)
    if status == S.SUBMITTED:
        text = _("Dossier submitted on %(date)s to %(body)s.") % {
            "date": _day(evaluation.dossier_submitted_on),
            "body": evaluation.dossier_submitted_to,
        }
        if can(user, "evaluations.record_outcome", evaluation):
            text += " " + _("Record the decision of %(body)s when it arrives.") % {"body": evaluation.recognising_body}
            return NextStep(text, reverse("evaluations:stage", args=[evaluation.year, "decision"]), _("Decision"))
        return NextStep(text)
    if evaluation.recognised:
        return NextStep(
            _("Recognised as “An toàn về an ninh, trật tự” by decision %(number)s of %(date)s.")
            % {"number": evaluation.decision_number, "date": _day(evaluation.decision_date)},
            detail_url,
        )
    return NextStep(
        _("Not recognised (decision %(number)s of %(date)s).")
        % {"number": evaluation.decision_number, "date": _day(evaluation.decision_date)}
    )
