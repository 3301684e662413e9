from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    """The front door: the home page, /healthz, the seed-content and demo loaders, and
    `runperiodic`. It sits at the top of the dependency graph beside insights and api."""

    name = "belong.home"
    label = "home"

    def ready(self):
        from belong.home.models import RateLimitCounter
        from belong.lib import ratelimit
        from belong.people.permissions import sync_role_permissions

        ratelimit.use_store(RateLimitCounter)

        post_migrate.connect(
            sync_role_permissions, sender=self, dispatch_uid="belong.sync_role_permissions"
        )
