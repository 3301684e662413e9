"""The reverse proxy's configuration (deploy/nginx/belong.conf) filled in from Belong's settings:
the body cap is Belong's own largest (belong.lib.request_limits.max_request_body) and the folders
are STATIC_ROOT and PUBLIC_MEDIA_ROOT, so that nginx and Belong never disagree."""

import re
from pathlib import Path

from django.conf import settings

from belong.lib.request_limits import max_request_body

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "belong.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# What a value may hold: a name, an address or a path; nothing that could end a directive,
# open a block, start a comment or a variable.
SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.:/\-\[\]* ]+$")


class ConfigError(ValueError):
    pass


def values(*, server_name, upstream, certificate, certificate_key, listen_http, listen_https):
    return {
        "SERVER_NAME": server_name,
        "UPSTREAM": upstream,
        "TLS_CERTIFICATE": certificate,
        "TLS_CERTIFICATE_KEY": certificate_key,
        "LISTEN_HTTP": listen_http,
        "LISTEN_HTTPS": listen_https,
        "STATIC_ROOT": str(settings.STATIC_ROOT).rstrip("/"),
        "PUBLIC_MEDIA_ROOT": str(settings.PUBLIC_MEDIA_ROOT).rstrip("/"),
        "MAX_BODY": str(max_request_body()),
    }


def render(filled: dict[str, str], template: Path = TEMPLATE) -> str:
    """The template with every @NAME@ replaced; a name without a value, or a value nginx could
    read as more than one word of a directive, is a ConfigError."""
    text = template.read_text(encoding="utf-8")
    wanted = set(PLACEHOLDER.findall(text))
    missing = sorted(wanted - set(filled))
    if missing:
        raise ConfigError(f"no value for {', '.join(missing)}")
    for name in sorted(wanted):
        value = str(filled[name])
        if not SAFE_VALUE.match(value) or (" " in value and name != "SERVER_NAME"):
            raise ConfigError(f"{name} cannot be {value!r}")
    if str(settings.PUBLIC_MEDIA_ROOT).rstrip("/") == str(settings.MEDIA_ROOT).rstrip("/"):
        raise ConfigError(
            "PUBLIC_MEDIA_ROOT must not be MEDIA_ROOT: /media/ would serve every upload"
        )
    return PLACEHOLDER.sub(lambda match: str(filled[match.group(1)]), text)
