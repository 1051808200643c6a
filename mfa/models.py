from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class SecondFactor(TOTPDevice):
    """A person's authenticator app, as administrators see it: who has one, when it was last used, and a way
    to remove it when the phone is lost. No table of its own; the secret never shows (mfa/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self):
        return str(self.user)
