from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents import search


class Tt124Item(models.TextChoices):
    """Criterion 3 of Thông tư 124/2021/TT-BCA: the events an agency must not let happen (a–h, no f)."""

    A = "a", _("3.a Illegal propagation of beliefs or religions")
    B = "b", _("3.b Abuse of belief, religion, ethnicity, disputes or complaints")
    C = "c", _("3.c Inciting mass complaints, disturbing public order")
    D = "d", _("3.d Illegal strike or go-slow")
    DD = "đ", _("3.đ Serious crime or worse")
    E = "e", _("3.e Violation of state-secret protection")
    G = "g", _("3.g Serious fire, explosion, fatal work accident, serious incident")
    H = "h", _("3.h Staff sanctioned in security and order, or disciplined for social evils")


def tt124_label(code: str) -> str:
    """How an item is shown everywhere (timeline, detail, print, exports): "3.g Cháy, nổ nghiêm trọng; …".

    The code alone ("g") means nothing to a reader; a code no longer listed is shown as stored.
    """
    try:
        return str(Tt124Item(code).label)
    except ValueError:
        return code


class Category(models.Model):
    """A kind of incident (domain.md 4.1), kept in admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    tt124_item = models.CharField(
        _("TT 124 criterion"),
        max_length=1,
        choices=Tt124Item.choices,
        blank=True,
        help_text=_("The criterion-3 item this kind of incident may fall under."),
    )
    first_contact = models.CharField(_("whom to call first"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        renamed = self.pk and not Category.objects.filter(pk=self.pk, name=self.name).exists()
        super().save(*args, **kwargs)
        if renamed:  # its incidents are found by the category's name
            search.refresh(self.incidents.all())


class Place(models.Model):
    """Where in the headquarters: a building, a floor, a room or a gate, kept in admin."""

    class Kind(models.TextChoices):
        BUILDING = "building", _("Building")
        FLOOR = "floor", _("Floor")
        ROOM = "room", _("Room")
        GATE = "gate", _("Gate")
        AREA = "area", _("Outdoor area")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of place"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("inside")
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs):
        moved = self.pk and not Place.objects.filter(pk=self.pk, name=self.name, parent=self.parent_id).exists()
        super().save(*args, **kwargs)
        if moved:  # its incidents, and those of the rooms inside it, are found by the names of the places
            from incidents.models import Incident

            search.refresh(Incident.objects.filter(search.in_place(self.pk)))
