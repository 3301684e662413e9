from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "belong.events"
    label = "events"

    def ready(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from belong.people import me_sections

        def links(person):
            return [
                me_sections.Link(
                    70,
                    reverse("events:my_calendar"),
                    _("Your calendar feed"),
                    _("Your sessions in Outlook, Google or Apple Calendar"),
                )
            ]

        me_sections.register("events", order=15, links=links)
