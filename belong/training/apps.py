from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "belong.training"
    label = "training"

    def ready(self):
        from belong.training import catalog_cache

        catalog_cache.connect()

        from belong.people import me_sections
        from belong.training.transcript import me_context, me_links

        me_sections.register(
            "training",
            order=20,
            template="training/partials/transcript.html",
            context=me_context,
            links=me_links,
        )
