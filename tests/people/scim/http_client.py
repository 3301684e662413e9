"""A scim2-client engine over httpx (scim2-client 0.13 ships one for httpx2, which is not
installed here): the requests go over the network to a real server."""

from typing import Any

import httpx
from scim2_client import BaseSyncSCIMClient, RequestNetworkException


class HttpxSCIMClient(BaseSyncSCIMClient):
    def __init__(self, client: httpx.Client, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        base = self.client.base_url
        try:
            url = self.client.build_request("GET", endpoint).url
        except httpx.InvalidURL:
            return False
        return (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port) and (
            url.raw_path.startswith(base.raw_path)
        )

    def _parse_json(self, response) -> Any:
        return response.json()

    def request(self, method: str, url: str, **kwargs: Any):
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.RequestError as exc:
            network = RequestNetworkException()
            network.add_note(str(exc))
            raise network from exc
