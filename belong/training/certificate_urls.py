"""A person's certificates, under /me/certificates/ (the public check is training:certificate_verify)."""

from django.urls import path

from belong.training.views import certificates as certificate_views

app_name = "certificates"

urlpatterns = [
    path("<str:code>.pdf", certificate_views.download, name="pdf"),
]
