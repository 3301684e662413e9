from django.apps import AppConfig


class CollectivesConfig(AppConfig):
    name = "belong.collectives"
    label = "collectives"

    def ready(self):
        from belong.collectives.hosting import CollectiveHostRules
        from belong.events import hosting

        hosting.register(CollectiveHostRules())

        from belong.collectives import page_cache

        page_cache.connect()

        from belong.collectives.me import me_context
        from belong.people import me_sections

        me_sections.register(
            "collectives",
            order=10,
            template="collectives/partials/me.html",
            context=me_context,
        )

        from belong.collectives import access
        from belong.people import sessions

        # A collective's current leaders hold a staff role: their sign-ins end sooner when idle.
        sessions.register_staff_check(lambda person: bool(access.led_collective_ids(person)))
