"""`manage.py nginx_config`: print nginx's configuration for this installation (docs/deploy.md)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from belong.home import nginx


class Command(BaseCommand):
    help = (
        "Print the nginx configuration for this installation, from deploy/nginx/belong.conf: the "
        "body cap and the static and public media folders come from Belong's settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--server-name",
            default=urlsplit(settings.SITE_URL).hostname or "localhost",
            help="the site's host name (default: BELONG_SITE_URL's)",
        )
        parser.add_argument(
            "--upstream", default="127.0.0.1:8000", help="where gunicorn listens (HOST:PORT)"
        )
        parser.add_argument("--certificate", required=True, help="the TLS certificate (chain)")
        parser.add_argument("--certificate-key", required=True, help="the TLS private key")
        parser.add_argument("--listen-http", default="80", help="plain HTTP: [ADDRESS:]PORT")
        parser.add_argument("--listen-https", default="443", help="HTTPS: [ADDRESS:]PORT")
        parser.add_argument("--template", default=str(nginx.TEMPLATE), help="the template")

    def handle(self, *args, template, **options):
        filled = nginx.values(
            server_name=options["server_name"],
            upstream=options["upstream"],
            certificate=options["certificate"],
            certificate_key=options["certificate_key"],
            listen_http=options["listen_http"],
            listen_https=options["listen_https"],
        )
        try:
            self.stdout.write(nginx.render(filled, nginx.Path(template)), ending="")
        except (nginx.ConfigError, OSError) as problem:
            raise CommandError(str(problem)) from problem
