from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "belong.notifications"
    label = "notifications"
