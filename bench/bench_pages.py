"""Public list pages against a floor: /healthz (one trivial query) in the same run.

Prints, per page, the median time per request as a ratio to the floor's median."""

from django.core.management import call_command
from django.test import Client

from bench.harness import median_time

ROUNDS = 7
REQUESTS = 20


def median_seconds(client, path):
    def request():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    return median_time(request, ROUNDS, repeat=REQUESTS)[0]


def run():
    from django.conf import settings

    call_command("load_content", verbosity=0)
    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    client = Client()
    floor = median_seconds(client, "/healthz")
    print(f"floor /healthz: {floor * 1000:.2f} ms per request (= 1.0)")
    for path in [
        "/",
        "/collectives/",
        "/training/",
        "/training/implicit-bias/",
        "/lectures/",
        "/api/v1/courses",
        "/api/v1/events",
    ]:
        ratio = median_seconds(client, path) / floor
        print(f"{path:32} {ratio:6.1f} x floor")
