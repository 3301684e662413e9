from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "belong.library"
    label = "library"
