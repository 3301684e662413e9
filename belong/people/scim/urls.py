"""/scim/v2/ (belong/urls.py includes it under the namespace "scim")."""

from django.urls import path, re_path

from belong.people.scim import views

app_name = "scim"

urlpatterns = [
    path("", views.not_found, name="root"),
    re_path(r"^ServiceProviderConfig/?$", views.service_provider_config, name="config"),
    re_path(r"^ResourceTypes/?$", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:name>", views.resource_types, name="resource_type"),
    re_path(r"^Schemas/?$", views.schemas, name="schemas"),
    path("Schemas/<str:uri>", views.schemas, name="schema"),
    re_path(r"^Users/?$", views.users, name="users"),
    path("Users/.search", views.users_search, name="users_search"),
    path(".search", views.search_everything, name="search"),
    path("Users/<str:scim_id>", views.user, name="user"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
