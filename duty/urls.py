from django.urls import path

from duty import views

app_name = "duty"

urlpatterns = [
    path("", views.my_shift, name="my_shift"),
    path("shifts/<int:pk>/", views.shift_log, name="shift_log"),
    path("shifts/<int:pk>/entries/new/", views.entry_add, name="entry_add"),
    path("shifts/<int:pk>/handover/", views.handover, name="handover"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/correct/", views.entry_correct, name="entry_correct"),
    path("entries/<int:pk>/photo/", views.entry_photo, name="entry_photo"),
    path("entries/<int:pk>/incident/", views.entry_incident, name="entry_incident"),
    path("handovers/<int:pk>/receive/", views.receive, name="receive"),
    path("keys/", views.keys, name="keys"),
    path("keys/<int:pk>/return/", views.key_return, name="key_return"),
    path("days/", views.days, name="days"),
    path("days/<str:day>/", views.day, name="day"),
    path("days/<str:day>/print/", views.day_print, name="day_print"),
    path("days/<str:day>/xlsx/", views.day_xlsx, name="day_xlsx"),
]
