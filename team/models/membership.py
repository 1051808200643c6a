from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from team.models.team import Team

# "Active" means not ended: end_date is NULL. Keeping the definition this plain lets the
# database enforce the roster rules with partial unique indexes, which a date comparison
# against "today" could not.
ACTIVE = Q(end_date__isnull=True)

ONE_LEADER_MESSAGE = _("The team already has an active leader. End that membership before appointing another leader.")
ONE_DEPUTY_MESSAGE = _(
    "The team already has an active deputy leader. End that membership before appointing another deputy."
)
ONE_ROLE_MESSAGE = _("This person already holds an active role in the team. End that membership first.")
END_BEFORE_START_MESSAGE = _("The end date cannot be before the start date.")
SYSTEM_ACCOUNT_MESSAGE = _("%(person)s is a system account, not a staff member: it cannot hold a role in the team.")


def team_full_message(limit: int) -> str:
    return ngettext(
        "The team already has %(limit)d active member, the most allowed. End a membership first.",
        "The team already has %(limit)d active members, the most allowed. End a membership first.",
        limit,
    ) % {"limit": limit}


def active_roster_errors(active_rows: list[tuple[int, str]]) -> list[str]:
    """Check a whole roster at once: the (user id, role) pairs of every active membership.

    Used where several memberships are saved together (the team's inline in admin), since
    each row's own validation only sees what is already in the database.
    """
    errors = []
    roles = [role for _user, role in active_rows]
    if roles.count(Membership.Role.LEADER) > 1:
        errors.append(ONE_LEADER_MESSAGE)
    if roles.count(Membership.Role.DEPUTY) > 1:
        errors.append(ONE_DEPUTY_MESSAGE)
    users = [user for user, _role in active_rows]
    if len(set(users)) < len(users):
        errors.append(ONE_ROLE_MESSAGE)
    limit = settings.TEAM_MAX_ACTIVE_MEMBERS
    if len(active_rows) > limit:
        errors.append(team_full_message(limit))
    return errors


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ACTIVE)

    def with_people(self):
        return self.select_related("user", "user__department", "user__position")

    def command_vacancies(self, team_ids) -> dict[int, list[str]]:
        """For each team, the command roles (leader, deputy) nobody holds now. One query for all the teams."""
        held = set(self.active().filter(team_id__in=team_ids, role__in=COMMAND_ROLES).values_list("team_id", "role"))
        return {team_id: [role for role in COMMAND_ROLES if (team_id, role) not in held] for team_id in team_ids}

    def in_roster_order(self):
        # Leader, deputy, then members, each group by name: the order used on paper rosters.
        rank = models.Case(
            models.When(role=Membership.Role.LEADER, then=0),
            models.When(role=Membership.Role.DEPUTY, then=1),
            default=2,
        )
        return self.order_by(rank, "user__name_sort_key")


class Membership(models.Model):
    """A person's role in the team over a period. Ended memberships stay as history."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Team leader")
        DEPUTY = "deputy", _("Deputy team leader")
        MEMBER = "member", _("Team member")

    team = models.ForeignKey("team.Team", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty while the role is held."))
    appointed_by = models.ForeignKey(
        "team.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointing decision"),
    )
    relieved_by = models.ForeignKey(
        "team.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relieving decision"),
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=ACTIVE & Q(role="leader"),
                name="team_one_active_leader",
                violation_error_message=ONE_LEADER_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=ACTIVE & Q(role="deputy"),
                name="team_one_active_deputy",
                violation_error_message=ONE_DEPUTY_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=ACTIVE,
                name="person_one_active_role",
                violation_error_message=ONE_ROLE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=END_BEFORE_START_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["team", "end_date"], name="membership_team_active_idx")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"

    def save(self, *args, notify: bool = True, **kwargs):
        """`notify=False` when the caller tells the person itself (a role change is one notice, not two)."""
        from team import notices  # notices imports the models

        with transaction.atomic():
            created = self._state.adding
            before = None if created else Membership.objects.filter(pk=self.pk).values("role", "end_date").first()
            # A new row was not active before: entering a past membership as history ends nothing today.
            was_active = bool(before and before["end_date"] is None)
            super().save(*args, **kwargs)
            ended = was_active and not self.is_active
            # Same transaction as the roster change: no notice for a change that rolls back.
            if notify:
                notices.membership_changed(self, created=created, ended=ended)
            self._audit(created=created, ended=ended, old_role=before["role"] if before else None)

    def _audit(self, *, created: bool, ended: bool, old_role: str | None) -> None:
        from audit.models import AuditEntry
        from audit.services import record

        if created:
            detail = f"appointed {self.role} from {self.start_date:%d/%m/%Y}"
        elif ended:
            detail = f"ended {self.role} on {self.end_date:%d/%m/%Y}"
        elif old_role != self.role:
            detail = f"role {old_role} -> {self.role}"
        else:
            return
        record(AuditEntry.Action.ROLE_CHANGE, obj=self, detail=detail)

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    def clean(self):
        # Ending a role stays possible: only a role held from now on is refused. No role, no duty shift.
        if self.is_active and self.user_id and self.user.is_system_account:
            raise ValidationError({"user": SYSTEM_ACCOUNT_MESSAGE % {"person": self.user}}, code="system_account")
        if self.is_active and self.team_id:
            self._check_team_has_room()

    def _check_team_has_room(self):
        # Lock the team row first: two administrators adding the 7th and 8th member at the
        # same moment would otherwise both count 6 and both pass. The lock is held until
        # the surrounding transaction (the admin's or the service's) commits.
        with transaction.atomic():
            Team.objects.select_for_update().filter(pk=self.team_id).first()
            others = Membership.objects.active().filter(team_id=self.team_id).exclude(pk=self.pk)
            limit = settings.TEAM_MAX_ACTIVE_MEMBERS
            if others.count() >= limit:
                raise ValidationError(team_full_message(limit), code="team_full")


# Incidents are triaged, escalated and reminded about by whoever holds these (incidents/workflow.py in_command,
# incidents/notices.py team_leaders): a team without them has nobody in command.
COMMAND_ROLES = (Membership.Role.LEADER, Membership.Role.DEPUTY)
