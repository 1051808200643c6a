"""A place taken out of use (admin, "Địa điểm") takes its checkpoint out of use with it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from incidents.models import Place
from patrols import services
from patrols.models import Checkpoint


@receiver(post_save, sender=Place, dispatch_uid="patrols.place_out_of_use")
def place_saved(sender, instance: Place, **kwargs) -> None:
    if instance.is_active:
        return  # a place back in use does not patrol itself again: the command decides that on its page
    checkpoint = Checkpoint.objects.active().filter(place=instance).first()
    if checkpoint is not None:
        services.set_active(checkpoint=checkpoint, active=False)
