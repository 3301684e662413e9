from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "belong.insights"
    label = "insights"
