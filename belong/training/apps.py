from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "belong.training"
    label = "training"
