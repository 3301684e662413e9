from django.core.management.base import BaseCommand

from belong.insights import cutting
from belong.insights.models import Release


class Command(BaseCommand):
    help = (
        "Cut a release now: every figure about people, counted as of now, protected together "
        "and perturbed, served by every dashboard, download, API answer and collective page "
        "until the next one. The schedule (runperiodic's `releases` job) needs no operator; "
        "this is for an operator who must publish now."
    )

    def handle(self, *args, **options):
        release = cutting.cut_release(kind=Release.Kind.OPERATOR)
        topics = release.topics.values_list("topic", "published", "built_seconds")
        for topic, published, seconds in topics.order_by("pk"):
            withheld = published.get("withheld_reason")
            self.stdout.write(
                f"{topic}: {'withheld (' + withheld + ')' if withheld else 'published'} "
                f"in {seconds:.2f} s"
            )
        self.stdout.write(f"release {release.number} cut, as of {release.as_of}")
