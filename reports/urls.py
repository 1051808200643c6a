from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.new_report, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/report.docx", views.download_docx, name="docx"),
    path("<int:pk>/report.xlsx", views.download_xlsx, name="xlsx"),
]
