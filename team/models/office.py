from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Office(models.Model):
    """The agency the team protects, e.g. Văn phòng UBND tỉnh.

    The names here are printed on official documents (Decree 30/2020 header), so they are
    data an administrator sets, not constants in code.
    """

    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. Văn phòng UBND tỉnh Bình An."))
    managing_body = models.CharField(
        _("managing body"), max_length=200, help_text=_("E.g. UBND tỉnh Bình An (cơ quan chủ quản).")
    )
    place_name = models.CharField(
        _("place name"), max_length=100, help_text=_('Used on documents: "<place name>, ngày … tháng … năm …".')
    )
    abbreviation = models.CharField(
        _("abbreviation"), max_length=20, help_text=_("Used in document numbers, e.g. VP in 05/BC-VP.")
    )
    managing_body_abbreviation = models.CharField(_("managing body abbreviation"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # While the Chief of Office is away, a Deputy Chief signs off evaluations and decides
    # commendations for him ("KT. CHÁNH VĂN PHÒNG" on the documents).
    acting_chief = models.ForeignKey(
        "team.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting for the Chief of Office"),
        help_text=_("A Deputy Chief who signs off evaluations and decides commendations while the Chief is away."),
    )
    acting_chief_from = models.DateField(_("acting from"), null=True, blank=True)
    acting_chief_until = models.DateField(_("acting until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name

    def acting_chief_on(self, day):
        """The Deputy Chief acting for the Chief on `day`, or None."""
        if not self.acting_chief_id:
            return None
        if self.acting_chief_from and day < self.acting_chief_from:
            return None
        if self.acting_chief_until and day > self.acting_chief_until:
            return None
        return self.acting_chief


class Department(models.Model):
    """A subordinate unit of the office (phòng, ban, trung tâm)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="departments", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_subordinate_unit = models.BooleanField(
        _("subordinate unit"),
        default=True,
        help_text=_(
            "Counts among the office's units in TT 124 criterion 5 (at least seven in ten rated well). "
            "Untick for groupings such as the office leadership."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="department_name_unique_in_office")]

    def __str__(self):
        return self.name


class Position(models.Model):
    """A job title. Its kind decides who counts as office leadership."""

    class Kind(models.TextChoices):
        CHIEF = "chief", _("Chief of Office")
        DEPUTY_CHIEF = "deputy_chief", _("Deputy Chief of Office")
        OTHER = "other", _("Other position")

    LEADERSHIP_KINDS = (Kind.CHIEF, Kind.DEPUTY_CHIEF)

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("position type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    order = models.PositiveSmallIntegerField(_("display order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def is_leadership(self) -> bool:
        return self.kind in self.LEADERSHIP_KINDS
