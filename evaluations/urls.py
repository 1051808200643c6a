from django.urls import path, re_path

from evaluations.views import commendations, criteria, cycle, documents, movement, records

app_name = "evaluations"

DOCUMENT_KINDS = "pledge|report|submission|minutes|score_sheet"

urlpatterns = [
    # The annual cycle
    path("", cycle.index, name="index"),
    path("start/", cycle.start_year, name="start_year"),
    path("<int:year>/", cycle.detail, name="detail"),
    path("<int:year>/settings/", cycle.edit_settings, name="settings"),
    path("<int:year>/history/", cycle.history, name="history"),
    path("<int:year>/stages/<slug:kind>/", cycle.stage, name="stage"),
    path("<int:year>/meeting/", cycle.meeting, name="meeting"),
    re_path(r"^(?P<year>\d{4})/sign-off/(?P<action>send|sign|return|reopen)/$", cycle.sign_off, name="sign_off"),
    re_path(r"^(?P<year>\d{4})/outcome/(?P<step>dossier|decision)/$", cycle.outcome, name="outcome"),
    # Criteria and evidence
    path("<int:year>/criteria/<int:pk>/", criteria.assessment, name="assessment"),
    path("<int:year>/criteria/<int:pk>/review/", criteria.review, name="review"),
    path("<int:year>/evidence/add/", criteria.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", criteria.evidence_file, name="evidence"),
    path("evidence/<int:pk>/remove/", criteria.evidence_remove, name="evidence_remove"),
    # Movement score sheet, ratings, discipline
    path("<int:year>/movement/", movement.score_sheet, name="movement"),
    path("<int:year>/ratings/", records.ratings, name="ratings"),
    path("discipline/", records.discipline, name="discipline"),
    # Official documents
    re_path(rf"^(?P<year>\d{{4}})/documents/(?P<kind>{DOCUMENT_KINDS})/$", documents.draft, name="document"),
    re_path(rf"^(?P<year>\d{{4}})/documents/(?P<kind>{DOCUMENT_KINDS})/preview/$", documents.preview, name="preview"),
    re_path(rf"^(?P<year>\d{{4}})/documents/(?P<kind>{DOCUMENT_KINDS})/issue/$", documents.issue, name="issue"),
    path("<int:year>/dossier/", documents.dossier, name="dossier"),
    path("documents/<int:pk>/", documents.issued_file, name="issued"),
    path("documents/<int:pk>/signed/", documents.signed_copy, name="signed_copy"),
    # Commendations
    path("commendations/", commendations.register, name="commendations"),
    re_path(r"^commendations/export/(?P<kind>csv|xlsx)/$", commendations.export, name="commendations_export"),
    path("commendations/new/", commendations.propose, name="propose"),
    path("commendations/<int:pk>/", commendations.detail, name="commendation"),
    re_path(
        r"^commendations/(?P<pk>\d+)/(?P<action>review|approve|reject|record)/$",
        commendations.act,
        name="commendation_action",
    ),
    path("commendations/<int:pk>/document/", documents.commendation_draft, name="commendation_document"),
    path("commendations/<int:pk>/document/preview/", documents.commendation_preview, name="commendation_preview"),
    path("commendations/<int:pk>/document/issue/", documents.commendation_issue, name="commendation_issue"),
]
