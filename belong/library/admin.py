from django.contrib import admin

from belong.library.models import Policy, PolicyVersion


class PolicyVersionInline(admin.StackedInline):
    model = PolicyVersion
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "review_interval_months", "last_reviewed_on", "next_review_due"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PolicyVersionInline]
