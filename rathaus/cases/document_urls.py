"""The case file's documents in the back office, below /verwaltung/vorgaenge/<uuid:public_id>/akte/."""

from django.urls import path

from . import document_views

app_name = "case_documents"
urlpatterns = [
    path("", document_views.document_list, name="list"),
    path("vermerk/", document_views.note_add, name="note_add"),
    path("dokument/", document_views.document_upload, name="upload"),
    path("dokument/<uuid:document_id>/", document_views.document_download, name="download"),
    path("dokument/<uuid:document_id>/fassung/", document_views.document_upload_version, name="upload_version"),
    path("export/", document_views.case_export_download, name="export"),
]
