from django.urls import path

from visitors import views

app_name = "visitors"

urlpatterns = [
    path("", views.gate, name="gate"),
    path("arrival/", views.new_arrival, name="new_arrival"),
    path("export/", views.export, name="export"),
    path("print/", views.print_register, name="print"),
    path("mine/", views.mine, name="mine"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/check-out/", views.check_out, name="check_out"),
]
