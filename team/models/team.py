from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Decision(models.Model):
    """An official decision (Quyết định) that establishes the team, appoints or relieves a member,
    or issues the operating regulation. Kept as a record so every roster change can cite it."""

    number = models.CharField(_("number and symbol"), max_length=50, help_text=_("E.g. 125/QĐ-VP."))
    signed_on = models.DateField(_("signed on"))
    signer_name = models.CharField(_("signer"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    summary = models.CharField(_("summary"), max_length=500, help_text=_("The subject line (trích yếu)."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "number"]
        constraints = [models.UniqueConstraint(fields=["number", "signed_on"], name="decision_number_unique_per_date")]

    def __str__(self):
        return _("Decision %(number)s of %(date)s") % {
            "number": self.number,
            "date": self.signed_on.strftime("%d/%m/%Y"),
        }


class Team(models.Model):
    """The security-and-order self-management team (Tổ bảo vệ an ninh, trật tự cơ quan)."""

    office = models.ForeignKey("team.Office", on_delete=models.PROTECT, related_name="teams", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=20, blank=True, help_text=_("Used in the team's own document numbers, e.g. TBV.")
    )
    establishment_decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("establishment decision"),
    )
    start_date = models.DateField(_("operating since"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("security team")
        verbose_name_plural = _("security teams")
        ordering = ["start_date"]

    def __str__(self):
        return self.name

    @property
    def max_active_members(self) -> int:
        return settings.TEAM_MAX_ACTIVE_MEMBERS

    def current_regulation(self):
        today = timezone.localdate()
        return self.regulations.filter(effective_from__lte=today).order_by("-version").first()


class OperatingRegulation(models.Model):
    """One version of the team's operating regulation (Quy chế hoạt động)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="regulations", verbose_name=_("team"))
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing decision"),
    )
    effective_from = models.DateField(_("effective from"))
    content = models.TextField(_("content"), help_text=_("The full text of the regulation."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("operating regulation")
        verbose_name_plural = _("operating regulations")
        ordering = ["team", "-version"]
        constraints = [models.UniqueConstraint(fields=["team", "version"], name="regulation_version_unique")]

    def __str__(self):
        return _("%(title)s (version %(version)s)") % {"title": self.title, "version": self.version}
