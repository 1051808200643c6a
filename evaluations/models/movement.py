"""The score sheet of the movement "Toàn dân bảo vệ an ninh Tổ quốc" (QĐ 510/QĐ-BCA-V05, 100 points)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreTemplate(models.Model):
    """A version of the score sheet; items known from QĐ 510 are loaded by a migration, the rest entered in admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    total_points = models.PositiveSmallIntegerField(_("total points"), default=100)

    class Meta:
        verbose_name = _("score sheet template")
        verbose_name_plural = _("score sheet templates")
        ordering = ["code"]

    def __str__(self):
        return self.name


class ScoreItem(models.Model):
    """A line of the score sheet. Lines with sub-lines (4 → 4.a, 4.b) are scored on the sub-lines."""

    template = models.ForeignKey(ScoreTemplate, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    code = models.CharField(_("number"), max_length=10)
    text = models.TextField(_("what is scored"))
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2, default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("score item")
        verbose_name_plural = _("score items")
        ordering = ["template", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="score_item_code_unique")]

    def __str__(self):
        return f"{self.code}. {self.text[:80]}"


class ScoreSheet(models.Model):
    """The office's self-scored sheet for one evaluation year."""

    evaluation = models.OneToOneField("evaluations.Evaluation", on_delete=models.CASCADE, related_name="score_sheet")
    template = models.ForeignKey(ScoreTemplate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("movement score sheet")
        verbose_name_plural = _("movement score sheets")

    def __str__(self):
        return str(_("Movement score sheet %(year)s") % {"year": self.evaluation.year})


class ItemScore(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoreItem, on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("self-score"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["sheet", "item__order", "item__code"]
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="item_scored_once")]

    def __str__(self):
        return f"{self.item.code}: {self.self_score}"
