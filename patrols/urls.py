from django.urls import path

from patrols import views

app_name = "patrols"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("plan/", views.plan, name="plan"),
    path("checkpoints/", views.checkpoints, name="checkpoints"),
    path("checkpoints/<int:pk>/active/", views.checkpoint_active, name="checkpoint_active"),
    path("checkpoints/qr/", views.qr_sheet, name="qr_sheet"),
    path("scan/<slug:token>/", views.scan, name="scan"),
]
