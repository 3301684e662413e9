from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "belong.mentorship"
    label = "mentorship"

    def ready(self):
        from belong.mentorship.me import me_context, me_links
        from belong.people import me_sections

        me_sections.register(
            "mentorship",
            order=30,
            template="mentorship/partials/me.html",
            context=me_context,
            links=me_links,
        )
