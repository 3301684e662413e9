"""The admin of people, org units, tokens and the audit log.

Roles are granted, never taken (DESIGN, Security): only operators (active superusers) grant or
remove roles, admin access and operator status, nobody changes their own, and no one sets a
password here (the password page is refused; a reset email can be sent instead). DEI
administrators see and change names and places only. Every save goes through
actions.save_person, which checks the same rules again, writes the audit log and tells the
person.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from belong.lib.admin_autocomplete import SafeAutocompleteAdmin
from belong.lib.admin_changelist import SafeChangeListAdmin
from belong.people import access, actions, roles
from belong.people.mfa import admin_actions as two_step_admin
from belong.people.models import ApiToken, AuditEvent, OrgUnit, Person


def _operator(request):
    return access.is_operator(request.user)


@admin.register(OrgUnit)
class OrgUnitAdmin(SafeAutocompleteAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = []

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        taken = Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Someone else already signs in with this address."))
        return email


@admin.register(Person)
class PersonAdmin(SafeAutocompleteAdmin, admin.ModelAdmin):
    form = PersonForm
    ordering = ["full_name"]
    list_display = ["email", "full_name", "preferred_name", "kind", "org_unit", "is_active"]
    list_filter = ["kind", "is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "full_name", "preferred_name"]
    autocomplete_fields = ["org_unit"]
    filter_horizontal = ["groups"]
    actions = ["send_password_reset", two_step_admin.reset_two_step]

    NAME_FIELDS = ["full_name", "preferred_name", "pronouns", "name_pronunciation", "credentials"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": ["email", *access.PROFILE_FIELDS],
                        "description": _(
                            "The person chooses their own password: they are told by email "
                            "that an account was made, and use “Forgot your password?”."
                        ),
                    },
                )
            ]
        operator = _operator(request)
        may_grant = "groups" in access.editable_person_fields(request.user, obj)
        organization = ["kind", "org_unit", "campus"]
        if operator:
            organization += ["language", "email_announcements"]
        return [
            (None, {"fields": ["email"]}),
            (_("Name"), {"fields": self.NAME_FIELDS}),
            (_("Organization"), {"fields": organization}),
            (
                _("Access"),
                {
                    "fields": [
                        "is_active",
                        "is_staff",
                        "is_superuser",
                        "groups" if may_grant else "roles_held",
                    ],
                    "description": _(
                        "Only operators grant or remove roles, admin access and operator "
                        "status, and never their own. The person is told by email."
                    ),
                },
            ),
            (
                _("Dates"),
                {"fields": ["last_login", "date_joined"] if operator else ["date_joined"]},
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        editable = set(access.editable_person_fields(request.user, obj))
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        return [name for name in shown if name not in editable]

    @admin.display(description=_("roles"))
    def roles_held(self, obj):
        names = sorted(obj.groups.values_list("name", flat=True))
        return ", ".join(str(roles.ROLES.get(name, name)) for name in names) or "-"

    def has_add_permission(self, request):
        return super().has_add_permission(request) and bool(
            access.editable_person_fields(request.user, None)
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or bool(access.editable_person_fields(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # People are erased (their privacy page, or manage.py erase_person), never deleted here.
        return False

    def lookup_allowed(self, lookup, value, request=None):
        # Only the list's own filters: no lookups through passwords, self-identification,
        # consents or memberships.
        filters = {"kind", "is_active", "is_staff", "is_superuser", "groups"}
        return lookup.split("__", 1)[0] in filters and super().lookup_allowed(
            lookup, value, request
        )

    def get_urls(self):
        refused = self.admin_site.admin_view(self.password_refused)
        return [path("<id>/password/", refused, name="people_person_password")] + super().get_urls()

    def password_refused(self, request, id):
        """Django's "change password" page, refused to everyone: a password is set by its owner
        (or through the reset email) only."""
        raise PermissionDenied

    def history_view(self, request, object_id, extra_context=None):
        if not _operator(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        values = {name: value for name, value in form.cleaned_data.items() if name != "groups"}
        saved = actions.save_person(
            actor=request.user,
            person_id=obj.pk if change else None,
            values=values,
            groups=form.cleaned_data.get("groups"),
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """The roles were set by actions.save_person (audited); nothing else is related."""

    def has_reset_two_step_permission(self, request):
        return two_step_admin.may_reset(request)

    @admin.action(description=_("Send a password reset email"), permissions=["change"])
    def send_password_reset(self, request, queryset):
        sent = sum(
            actions.send_password_reset(actor=request.user, person=person) for person in queryset
        )
        messages.info(
            request,
            ngettext(
                "%(count)d reset email queued (to each person's own address).",
                "%(count)d reset emails queued (to each person's own address).",
                sent,
            )
            % {"count": sent},
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles (Django groups) and their permissions: operators only, whatever permissions a role
    holds. Who holds a role is set on the person's page."""

    def has_module_permission(self, request):
        return _operator(request)

    def has_view_permission(self, request, obj=None):
        return _operator(request)

    def has_add_permission(self, request):
        return _operator(request)

    def has_change_permission(self, request, obj=None):
        return _operator(request)

    def has_delete_permission(self, request, obj=None):
        return _operator(request)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owner (/me/tokens/) or `manage.py issue_token`; here they are
    seen and revoked."""

    list_display = [
        "name",
        "person",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    readonly_fields = [
        "person",
        "name",
        "hint",
        "scopes",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    exclude = ["digest"]
    search_fields = ["person__email", "name"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return _operator(request)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            actions.revoke_token(person=request.user, token=token)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "object_type", "object_id"]
    list_filter = ["verb"]
    readonly_fields = ["at", "actor", "verb", "object_type", "object_id", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# HR roster imports' reports: read-only, operators only (belong/people/roster/admin.py).
from belong.people.roster import admin as _roster_admin  # noqa: E402, F401

# SCIM tokens: read-only, operators only (belong/people/scim/admin.py).
from belong.people.scim import admin as _scim_admin  # noqa: E402, F401


# django-axes' sign-in logs (registered by axes, before this app): the same admins, with a
# date-hierarchy year beyond any date a bad filter instead of a 500 (belong.lib.admin_changelist).
def _safe_changelists_for_axes():
    from axes import admin as axes_admin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model, model_admin in (
        (AccessAttempt, axes_admin.AccessAttemptAdmin),
        (AccessLog, axes_admin.AccessLogAdmin),
        (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
            admin.site.register(
                model, type(model_admin.__name__, (SafeChangeListAdmin, model_admin), {})
            )


_safe_changelists_for_axes()


# django-otp's admins show a device's secret (the TOTP key, its QR code, recovery codes) to
# anyone with the model's permissions: never. A second factor is enrolled by its owner and reset
# by an operator on Belong's own pages (belong.people.mfa).
def _no_second_factor_admin():
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_no_second_factor_admin()
