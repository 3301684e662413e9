from django.apps import AppConfig


class CollectivesConfig(AppConfig):
    name = "belong.collectives"
    label = "collectives"
