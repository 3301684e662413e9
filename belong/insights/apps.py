from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "belong.insights"
    label = "insights"

    def ready(self):
        from belong.collectives import counts, page_cache
        from belong.insights import access, cutting
        from belong.insights.dashboards import collectives
        from belong.insights.models import Release
        from belong.people import me_sections, sealed

        # The collectives' counts come from the latest release; a new release is a change of
        # what their cached pages show.
        counts.register(collectives.counts)
        page_cache.pages.connect([Release])
        # `identity_keys rotate` reseals the releases' states too.
        sealed.register_resealer("release states", cutting.reseal_states)
        # /me/ links the dashboards for those who may see them (a link, no section of its own).
        me_sections.register("insights", order=90, links=access.me_links)
