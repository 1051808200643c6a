from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Evaluation(models.Model):
    """One year's evaluation of the office for the title "An toàn về an ninh, trật tự" (TT 124/2021).

    The window, the deadlines and the bodies are data: they start from the defaults of
    `evaluations.calendar` (or last year's values) and the team corrects them when the province
    sets other dates or TT 48/2025 moves the dossier elsewhere.
    """

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        AWAITING_SIGN_OFF = "awaiting_sign_off", _("Awaiting sign-off")
        SIGNED_OFF = "signed_off", _("Signed off")
        SUBMITTED = "submitted", _("Dossier submitted")
        DECIDED = "decided", _("Decided")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("Handed in")
        POST = "post", _("By post")
        ELECTRONIC = "electronic", _("Through the electronic document system")

    year = models.PositiveSmallIntegerField(_("evaluation year"), unique=True)
    criteria_set = models.ForeignKey(
        "evaluations.CriteriaSet", on_delete=models.PROTECT, related_name="+", verbose_name=_("criteria set")
    )
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window until"))
    receiving_body = models.CharField(_("dossier goes to"), max_length=300)
    recognising_body = models.CharField(_("recognised by"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARING)

    submitted_for_sign_off_at = models.DateTimeField(_("sent for sign-off at"), null=True, blank=True)
    submitted_for_sign_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )

    dossier_submitted_on = models.DateField(_("dossier submitted on"), null=True, blank=True)
    dossier_submitted_to = models.CharField(_("submitted to"), max_length=300, blank=True)
    dossier_method = models.CharField(_("how"), max_length=12, choices=Method.choices, blank=True)

    recognised = models.BooleanField(_("recognised"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic locking, as for incidents: a change based on an older page is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(window_end__gt=F("window_start")), name="evaluation_window_ordered"),
        ]

    def __str__(self):
        return _("Evaluation %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("evaluations:detail", args=[self.year])

    @property
    def is_locked(self) -> bool:
        """Signed off: criteria, evidence, meeting and window can only change after a recorded reopening."""
        return self.status in (self.Status.SIGNED_OFF, self.Status.SUBMITTED, self.Status.DECIDED)

    @property
    def window_closed(self) -> bool:
        return timezone.localdate() > self.window_end


class Stage(models.Model):
    """A step of the annual cycle with its deadline, its responsible person and its documents."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration (Quarter I)")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment of the criteria")
        MEETING = "meeting", _("Evaluation meeting")
        DOSSIER = "dossier", _("Submission of the dossier")
        DECISION = "decision", _("Recognition decision")
        MOVEMENT = "movement", _("Movement score sheet")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(_("deadline"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["evaluation", "order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "kind"], name="stage_once_per_evaluation")]
        indexes = [models.Index(fields=["due_on"], name="stage_open_due_idx", condition=Q(completed_on=None))]

    def __str__(self):
        return f"{self.evaluation.year} · {self.get_kind_display()}"

    def days_left(self, today=None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    def is_late(self, today=None) -> bool:
        return self.completed_on is None and self.days_left(today) < 0


class Meeting(models.Model):
    """The evaluation meeting chaired by the Chief of Office (TT 124 Điều 9.1.c); its minutes are a document."""

    class VoteMethod(models.TextChoices):
        HANDS = "hands", _("Show of hands")
        BALLOT = "ballot", _("Secret ballot")

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="meeting")
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("secretary"),
    )
    opinions = models.TextField(
        _("opinions"), blank=True, help_text=_("Who said what: one opinion per line, e.g. the ward police's comments.")
    )
    vote_method = models.CharField(_("vote"), max_length=10, choices=VoteMethod.choices, default=VoteMethod.HANDS)
    votes_for = models.PositiveSmallIntegerField(_("in favour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    conclusion = models.TextField(_("the chair's conclusion"), blank=True)

    class Meta:
        verbose_name = _("evaluation meeting")
        verbose_name_plural = _("evaluation meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting cannot end before it starts."),
            )
        ]

    def __str__(self):
        return str(_("Evaluation meeting %(year)s") % {"year": self.evaluation.year})

    @property
    def present(self) -> int:
        return sum(1 for participant in self.participants.all() if participant.present)


class MeetingParticipant(models.Model):
    """Who was invited to the meeting, in which capacity, and whether they came."""

    class Role(models.TextChoices):
        LEADERSHIP = "leadership", _("Office leadership")
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        TRADE_UNION = "trade_union", _("Trade union")
        YOUTH_UNION = "youth_union", _("Youth union")
        TEAM = "team", _("Security team")
        WARD_POLICE = "ward_police", _("Ward police")
        MANAGING_AUTHORITY = "managing_authority", _("Managing authority")
        DEPARTMENT = "department", _("Head of a department")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("representing"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position and unit"), max_length=200, blank=True)
    present = models.BooleanField(_("present"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"
