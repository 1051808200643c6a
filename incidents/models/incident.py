from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.catalog import Tt124Item, tt124_label
from incidents.search import REPORTER_FIELDS, SOURCE_FIELDS, document, matching
from incidents.text import fold


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ESCALATED)


class Severity(models.IntegerChoices):
    """domain.md 4.3 — a software convention, not law."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class ReferenceCounter(models.Model):
    """The last reference number used in a year. Locked while a number is taken, so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_list(self):
        # Places nest (room › floor › building) and a place prints its parents: three levels in one join.
        return self.select_related("category", "place__parent__parent", "assignee")

    def overdue(self, now=None):
        now = now or timezone.now()
        return self.open().filter(
            Q(acknowledged_at__isnull=True, acknowledge_due_at__lt=now) | Q(resolve_due_at__lt=now)
        )

    def search(self, text: str, *, reporter_visible: Q | None = None):
        """Incidents matching every word of `text`, in any order, diacritics ignored (incidents.search)."""
        condition = matching(text, reporter_visible=reporter_visible)
        return self if condition is None else self.filter(condition)


class Incident(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    category = models.ForeignKey(
        "incidents.Category", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("category")
    )
    place = models.ForeignKey(
        "incidents.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("place"),
    )
    place_detail = models.CharField(_("place details"), max_length=255, blank=True)
    occurred_at = models.DateTimeField(_("happened at"))
    detected_at = models.DateTimeField(_("detected at"))
    description = models.TextField(_("what happened"))
    people_involved = models.TextField(_("people involved"), blank=True)
    injuries_damage = models.TextField(_("injuries and damage"), blank=True)
    immediate_actions = models.TextField(_("what was done at once"), blank=True)
    proposed_severity = models.PositiveSmallIntegerField(
        _("severity proposed by the reporter"), choices=Severity.choices
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)

    # Who typed it in, and who really reported it (a member may file for someone at the gate).
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filed_incidents", verbose_name=_("filed by")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_incidents",
        verbose_name=_("reporter"),
    )
    reporter_name = models.CharField(
        _("reporter (not on staff)"),
        max_length=200,
        blank=True,
        help_text=_("When someone phoned or came to the gate: their name and how to reach them."),
    )
    confidential_reporter = models.BooleanField(
        _("confidential reporter"),
        default=False,
        help_text=_("Only the team leader, the deputy and the office leadership see who reported it."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_incidents",
        verbose_name=_("assigned to"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # TT 124 flags, for the annual evaluation; set by the leader and the leadership only.
    tt124_item = models.CharField(_("TT 124 criterion"), max_length=1, choices=Tt124Item.choices, blank=True)
    police_confirmed_serious = models.BooleanField(_("police confirmed a serious or worse crime"), default=False)
    force_majeure = models.BooleanField(_("force majeure"), default=False)

    # Service levels (from SlaPolicy when filed) and the escalation state.
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalation_due_at = models.DateTimeField(_("escalation to be acknowledged by"), null=True, blank=True)
    escalation_acknowledged_at = models.DateTimeField(_("escalation acknowledged at"), null=True, blank=True)
    escalation_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalation acknowledged by"),
    )
    # The deadlines count working hours (the level's clock when they were computed): the 50 % and 80 %
    # reminders then fall in working time too, not on a Sunday night.
    sla_in_working_hours = models.BooleanField(default=False, editable=False)
    # The next moment the SLA sweep must look at this incident (a reminder or a deadline);
    # NULL when nothing is left to watch. The sweep reads only rows due now, via a partial index.
    sla_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("filed at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Optimistic locking: every change bumps it; a change based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Folded for the search (incidents.search): what everyone who sees the incident may find it by,
    # and apart from it who reported it. Both carry a trigram index on PostgreSQL.
    search_text = models.TextField(editable=False, blank=True)
    reporter_search_text = models.TextField(editable=False, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="incident_recent_idx"),
            models.Index(fields=["status", "-created_at"], name="incident_status_idx"),
            models.Index(fields=["reporter", "-created_at"], name="incident_reporter_idx"),
            models.Index(fields=["assignee", "status"], name="incident_assignee_idx"),
            models.Index(
                fields=["-created_at", "-id"], condition=Q(status__in=OPEN_STATUSES), name="incident_open_recent_idx"
            ),
            # TT 124 criterion 3 reads the few flagged incidents of an evaluation window among thousands.
            models.Index(fields=["occurred_at"], condition=~Q(tt124_item=""), name="incident_tt124_window_idx"),
            # The SLA sweep claims, every minute, the open incidents whose checkpoint has come, a batch
            # at a time in date order: without it each batch reads the whole table (0.1 s at 200,000).
            models.Index(
                fields=["sla_check_at"],
                condition=Q(sla_check_at__isnull=False, status__in=OPEN_STATUSES),
                name="incident_sla_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(detected_at__gte=models.F("occurred_at")), name="incident_detected_after_occurred"
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.category}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.refresh_search_text()
        else:
            # Most saves (a status, an assignee, the version) leave the search document as it is.
            touched = {*update_fields}
            if touched & SOURCE_FIELDS:
                self.search_text = document(self)
                touched.add("search_text")
            if touched & REPORTER_FIELDS:
                self.reporter_search_text = fold(self.reporter_name)
                touched.add("reporter_search_text")
            kwargs["update_fields"] = {*touched, "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("incidents:detail", args=[self.pk])

    def conceals_in_audit(self, person) -> bool:
        """Whether an audit entry by `person` about this incident would name its confidential reporter."""
        return self.confidential_reporter and person.pk in (self.reporter_id, self.filed_by_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def tt124_label(self) -> str:
        return tt124_label(self.tt124_item)

    def refresh_search_text(self) -> None:
        self.search_text = document(self)
        self.reporter_search_text = fold(self.reporter_name)
