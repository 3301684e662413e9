from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "belong.mentorship"
    label = "mentorship"
