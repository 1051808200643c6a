from django.urls import path, re_path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_form, name="new"),
    path("check-in/", views.check_in, name="check_in"),
    path("coverage/<int:year>/", views.year_coverage, name="year_coverage"),
    re_path(r"^coverage/(?P<year>\d+)/export/(?P<kind>csv|xlsx)/$", views.year_export, name="year_export"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_form, name="edit"),
    re_path(r"^(?P<pk>\d+)/(?P<action>schedule|complete|cancel|copy)/$", views.campaign_action, name="action"),
    path("<int:pk>/sessions/add/", views.session_add, name="session_add"),
    path("<int:pk>/materials/add/", views.material_add, name="material_add"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    re_path(r"^(?P<pk>\d+)/export/(?P<kind>csv|xlsx)/$", views.export, name="export"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/sheet/", views.session_sheet, name="session_sheet"),
    path("materials/<int:pk>/", views.material_open, name="material"),
]
