"""Refuse a console form posted from another site (login CSRF, forced logout)."""

from urllib.parse import urlsplit


def same_origin(headers) -> bool:
    """Return whether a browser says the request came from this site; True for non-browsers.

    Browsers send `Sec-Fetch-Site`, and `Origin` on every POST (`null` under the console's
    `Referrer-Policy: no-referrer`); a client that sends neither nor `Referer` is no browser,
    so no one's session can be planted or ended through it.
    """
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    host = _host(headers.get("host", ""))
    origin = headers.get("origin")
    if origin == "null":  # an opaque origin: only a browser saying same-origin is believed
        return site == "same-origin"
    if origin is not None:
        return _url_host(origin) == host
    referer = headers.get("referer")
    return referer is None or _url_host(referer) == host


def _url_host(url: str) -> str | None:
    try:
        return _host(urlsplit(url).netloc)
    except ValueError:
        return None


def _host(netloc: str) -> str:
    """Return `host[:port]` lower-cased, without a default port (80, 443) or user info."""
    netloc = netloc.rsplit("@", 1)[-1].lower()
    for default in (":80", ":443"):
        if netloc.endswith(default):
            return netloc[: -len(default)]
    return netloc
