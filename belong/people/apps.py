from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "belong.people"
    label = "people"

    def ready(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from belong.people import me_sections, sessions  # noqa: F401 (its sign-in receiver)

        def links(person):
            return [
                me_sections.Link(
                    40,
                    reverse("people:profile"),
                    _("Edit your profile"),
                    _("Name, pronouns, campus, language and email preferences"),
                ),
                me_sections.Link(
                    50,
                    reverse("people:privacy"),
                    _("Self-identification and privacy"),
                    _("How you identify, seen by you only, and your consents to its uses"),
                ),
                me_sections.Link(
                    80,
                    reverse("people:tokens"),
                    _("API tokens"),
                    _("Personal access tokens for scripts and other tools"),
                ),
                me_sections.Link(
                    85,
                    reverse("people:sign_out_everywhere"),
                    _("Sign out everywhere"),
                    _("End every sign-in to Belong, on this device and any other"),
                ),
            ]

        me_sections.register("people", order=0, links=links)

        from belong.people.mfa import setup as two_step

        two_step.ready()
