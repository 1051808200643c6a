from django.urls import path, re_path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.new_incident, name="new"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/print/", views.incident_print, name="print"),
    path("<int:pk>/transition/", views.incident_transition, name="transition"),
    path("<int:pk>/reject/", views.incident_reject, name="reject"),
    path("<int:pk>/regrade/", views.incident_regrade, name="regrade"),
    path("<int:pk>/assign/", views.incident_assign, name="assign"),
    path("<int:pk>/note/", views.incident_note, name="note"),
    path("<int:pk>/info/", views.incident_info, name="info"),
    path("<int:pk>/acknowledge-escalation/", views.incident_acknowledge_escalation, name="acknowledge_escalation"),
    path("<int:pk>/external-report/", views.incident_external_report, name="external_report"),
    path("<int:pk>/tt124/", views.incident_tt124, name="tt124"),
    path("<int:pk>/duplicate/", views.incident_duplicate, name="duplicate"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    re_path(r"^export/(?P<kind>csv|xlsx)/$", views.incident_export, name="export"),
]
