from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from belong.lib.dates import BoundedDatesAdmin
from belong.library.models import Policy, PolicyVersion


class PolicyVersionFormSet(BaseInlineFormSet):
    """A version number another version of the policy holds is a field error (the form's own
    check leaves out constraints on the policy, and the database would refuse it with a 500)."""

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        held = dict(PolicyVersion.objects.filter(policy=self.instance).values_list("number", "pk"))
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            number = data.get("number")
            if data.get("DELETE") or number is None:
                continue
            if held.get(number, form.instance.pk) != form.instance.pk:
                form.add_error("number", _("Another version of this policy has this number."))


class PolicyVersionInline(BoundedDatesAdmin, admin.StackedInline):
    model = PolicyVersion
    formset = PolicyVersionFormSet
    extra = 0


@admin.register(Policy)
class PolicyAdmin(BoundedDatesAdmin, admin.ModelAdmin):
    list_display = ["title", "review_interval_months", "last_reviewed_on", "next_review_due"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PolicyVersionInline]
