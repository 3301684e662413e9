from django.contrib import admin

from belong.training.models import Contact, Course, LearningObjective, TrainingPage


class LearningObjectiveInline(admin.TabularInline):
    model = LearningObjective
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "foundational", "duration_minutes", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LearningObjectiveInline]


@admin.register(TrainingPage)
class TrainingPageAdmin(admin.ModelAdmin):
    list_display = ["title"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "email"]
