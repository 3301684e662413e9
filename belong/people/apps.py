from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "belong.people"
    label = "people"
