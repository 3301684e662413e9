from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "belong.insights"
    label = "insights"

    def ready(self):
        from belong.insights import freshness

        freshness.watch()
