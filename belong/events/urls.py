from django.urls import path

from belong.events import views

app_name = "events"

urlpatterns = [
    path("", views.lectures, name="lectures"),
]
