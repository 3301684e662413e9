from django.contrib import admin

from belong.lib.admin_delete import UncountedDeletionAdmin
from belong.training.models import Contact, Course, LearningObjective, Topic, TrainingPage


class LearningObjectiveInline(admin.TabularInline):
    model = LearningObjective
    extra = 0


@admin.register(Course)
class CourseAdmin(UncountedDeletionAdmin, admin.ModelAdmin):
    # Its sessions' anonymous evaluations (the sessions go with it) and its objectives' ratings
    # are counted only once a session's are published with enough answers: the page asking to
    # delete the course counts none of them.
    uncounted = ("training.evaluation", "training.objectiverating")
    list_display = ["title", "foundational", "duration_minutes", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    inlines = [LearningObjectiveInline]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TrainingPage)
class TrainingPageAdmin(admin.ModelAdmin):
    list_display = ["title"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "email"]
