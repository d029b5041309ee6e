"""Addresses machines know from CKAN and ckanext-dcat: the Action API, the catalogue and the dataset URIs."""

from django.urls import path, re_path

from . import actions, views

RDF = r"(?P<extension>ttl|rdf|jsonld)"

urlpatterns = [
    path("api/3/action/<str:name>", actions.action_view, name="ckan_action"),
    path("api/action/<str:name>", actions.action_view, name="ckan_action_unversioned"),
    re_path(rf"^catalog\.{RDF}$", views.catalog_view, name="dcat_catalog"),
    re_path(rf"^dataset/(?P<name>[a-z0-9_-]{{2,100}})\.{RDF}$", views.dataset_rdf_view, name="dcat_dataset"),
    path("dataset/<uuid:dataset_id>", views.dataset_uri_view, name="dataset_uri"),
    path("dataset/<uuid:dataset_id>/resource/<uuid:resource_id>", views.resource_uri_view, name="resource_uri"),
    path("organization/<slug:name>", views.organization_uri_view, name="organization_uri"),
]
