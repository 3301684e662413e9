from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "belong.training"
    label = "training"

    def ready(self):
        from belong.training import catalog_cache

        catalog_cache.connect()
