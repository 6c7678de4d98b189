from collections.abc import Mapping, Sequence
from ssl import SSLContext
from urllib.request import OpenerDirector

class URLFetcherResponse:
    def __init__(
        self,
        url: str,
        body: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        status: int = 200,
    ) -> None: ...

class URLFetcher(OpenerDirector):
    def __init__(
        self,
        timeout: float = 10,
        ssl_context: SSLContext | None = None,
        http_headers: Mapping[str, str] | None = None,
        allowed_protocols: Sequence[str] | None = None,
        allow_redirects: bool = True,
        fail_on_errors: bool = False,
    ) -> None: ...
    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse: ...
