from django.urls import path

from belong.events import views

app_name = "events"

urlpatterns = [
    path("lectures/", views.lectures, name="lectures"),
    path("events/<id:pk>/", views.detail, name="detail"),
    path("events/<id:pk>.ics", views.event_ics, name="ics"),
    path("events/<id:pk>/register", views.register, name="register"),
    path("events/<id:pk>/cancel", views.cancel, name="cancel"),
    path("events/<id:pk>/prework", views.prework, name="prework"),
    path("events/feed/<str:token>.ics", views.feed, name="feed"),
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("me/calendar/replace", views.replace_calendar, name="replace_calendar"),
]
