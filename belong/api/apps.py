from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "belong.api"
    label = "api"
