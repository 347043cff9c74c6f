"""Requests made straight to an ASGI application, as a server would hand them over."""


def http_get(path: str, query_string: bytes = b"") -> dict:
    """The ASGI scope of a plain GET from a browser on loopback."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string,
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
