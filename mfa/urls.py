from django.urls import path

from mfa import views

app_name = "mfa"

urlpatterns = [
    path("", views.status, name="status"),
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="codes"),
    path("recovery-codes/new/", views.regenerate_codes, name="regenerate_codes"),
    path("new-phone/", views.start_over, name="start_over"),
    path("off/", views.switch_off, name="switch_off"),
]
