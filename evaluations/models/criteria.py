from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from incidents.models.catalog import Tt124Item


class CriteriaSet(models.Model):
    """One legal text's list of criteria (TT 124/2021 Điều 6 for an agency, loaded by a data migration).

    A change of the law is a new set; an evaluation keeps the set it was made with, so last
    year's dossier still shows last year's wording.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(
        _("legal basis"), help_text=_('One citation per line; printed as "Căn cứ …" in the documents.')
    )
    effective_from = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-effective_from", "code"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A criterion of a set, in the legal Vietnamese wording, or an item of one (criterion 3, items a–h)."""

    class Evidence(models.TextChoices):
        """What TựQuản can compute from its own records for this criterion (a suggestion only)."""

        NONE = "", _("Nothing computed")
        BRIEFING = "briefing", _("Briefing coverage, registration documents and the movement model")
        INCIDENTS = "incidents", _("Incidents flagged under criterion 3")
        PROTECTION_FORCE = "protection_force", _("Rating and discipline of the security team")
        UNITS = "units", _("Ratings of the departments and discipline of staff")

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("criteria set")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="items", verbose_name=_("item of")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("E.g. 1, 3, 3.đ; a province's own: T1, T2 …"))
    tt124_item = models.CharField(
        _("incident flag"),
        max_length=1,
        choices=Tt124Item.choices,
        blank=True,
        help_text=_("For the items of criterion 3: the flag the team sets on incidents."),
    )
    title = models.CharField(_("short title"), max_length=200)
    title_en = models.CharField(_("short title in English"), max_length=200, blank=True)
    text = models.TextField(_("legal wording"))
    evidence = models.CharField(_("computed evidence"), max_length=20, choices=Evidence.choices, blank=True)
    is_provincial = models.BooleanField(
        _("added by the province"), default=False, help_text=_("TT 124 Điều 8.1 lets the province add criteria.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("A criterion no longer in use is not added to new evaluations.")
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique_in_set")]

    def __str__(self):
        return f"{self.code}. {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title
