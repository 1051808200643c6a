from django.urls import path

from duty import views

app_name = "duty"

urlpatterns = [
    path("", views.my_shift, name="my_shift"),
]
