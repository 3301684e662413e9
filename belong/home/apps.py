from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The front door: the home page, /healthz, the seed-content and demo loaders, and
    `runperiodic`. It sits at the top of the dependency graph beside insights and api."""

    name = "belong.home"
    label = "home"
