from django.urls import path

from belong.mentorship import views

app_name = "mentorship"

urlpatterns = [
    path("", views.program, name="program"),
]
