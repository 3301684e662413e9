"""`manage.py nginx_config` fills the repository's nginx template from Belong's settings: the body
cap is Belong's own largest, /media/ is the public pictures' folder alone (tests/deploy runs the
result in the real nginx)."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from belong.home import nginx
from belong.lib.request_limits import MB, body_limit, max_request_body

OPTIONS = {
    "server_name": "belong.example.org",
    "upstream": "127.0.0.1:8000",
    "certificate": "/etc/ssl/belong/fullchain.pem",
    "certificate_key": "/etc/ssl/belong/privkey.pem",
}


def rendered(**changes):
    out = StringIO()
    call_command("nginx_config", **{**OPTIONS, **changes}, stdout=out)
    return out.getvalue()


def test_every_placeholder_is_filled_from_the_settings(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PUBLIC_MEDIA_ROOT = tmp_path / "public"
    settings.PREWORK_MAX_MB = 10
    text = rendered()
    assert not re.search(r"@[A-Z_]+@", text)
    assert f"client_max_body_size {body_limit(10 * MB)};" in text
    assert f"client_max_body_size {max_request_body()};" in text
    assert f"alias {tmp_path / 'static'}/;" in text
    assert f"alias {tmp_path / 'public'}/$1;" in text
    assert str(settings.MEDIA_ROOT) not in text  # pre-work and resources are never served
    assert "server_name belong.example.org;" in text
    assert "server 127.0.0.1:8000;" in text
    assert "ssl_certificate /etc/ssl/belong/fullchain.pem;" in text
    assert "listen 80;" in text and "listen 443 ssl http2;" in text


def test_the_cap_follows_the_largest_upload(settings):
    settings.PREWORK_MAX_MB = 10
    settings.COLLECTIVE_IMAGE_MAX_MB = 25
    assert f"client_max_body_size {body_limit(25 * MB)};" in rendered()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("server_name", "belong.example.org; include /etc/passwd"),
        ("upstream", "127.0.0.1:8000\n}"),
        ("certificate", "/etc/ssl/a b.pem"),
        ("certificate_key", "$document_root/key.pem"),
    ],
)
def test_a_value_that_would_change_the_configuration_is_refused(option, value):
    with pytest.raises(CommandError):
        rendered(**{option: value})


def test_public_pictures_must_have_a_folder_of_their_own(settings):
    settings.PUBLIC_MEDIA_ROOT = settings.MEDIA_ROOT
    with pytest.raises(CommandError, match="PUBLIC_MEDIA_ROOT"):
        rendered()


def test_a_template_name_without_a_value_is_refused(tmp_path):
    template = tmp_path / "belong.conf"
    template.write_text("server_name @SERVER_NAME@; root @SOMETHING_ELSE@;")
    with pytest.raises(nginx.ConfigError, match="SOMETHING_ELSE"):
        nginx.render({"SERVER_NAME": "x"}, template)
