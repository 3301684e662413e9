from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "belong.events"
    label = "events"
