"""Videos are embedded from their address on a known platform, never fetched.

The embed address is built from the parsed URL alone (an id that matches the platform's
pattern); the server never requests the page. PeerTube is federated: any https host
with a PeerTube-shaped path is accepted, and its player is framed from that host only.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"\d{1,12}")
_DAILYMOTION_ID = re.compile(r"[A-Za-z0-9]{5,12}")
_PEERTUBE_ID = re.compile(r"[A-Za-z0-9-]{8,40}")
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


@dataclass(frozen=True)
class Embed:
    platform: str
    url: str

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def _youtube(host: str, path: list[str], query: dict) -> str | None:
    if host == "youtu.be" and path:
        candidate = path[0]
    elif host in ("youtube.com", "m.youtube.com", "youtube-nocookie.com"):
        if path == ["watch"]:
            candidate = (query.get("v") or [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live"):
            candidate = path[1]
        else:
            return None
    else:
        return None
    if _YOUTUBE_ID.fullmatch(candidate):
        return f"https://www.youtube-nocookie.com/embed/{candidate}"
    return None


def _vimeo(host: str, path: list[str]) -> str | None:
    if host == "vimeo.com" and path and _VIMEO_ID.fullmatch(path[-1]):
        return f"https://player.vimeo.com/video/{path[-1]}"
    if host == "player.vimeo.com" and len(path) == 2 and path[0] == "video":
        if _VIMEO_ID.fullmatch(path[1]):
            return f"https://player.vimeo.com/video/{path[1]}"
    return None


def _dailymotion(host: str, path: list[str]) -> str | None:
    candidate = None
    if host == "dai.ly" and len(path) == 1:
        candidate = path[0]
    elif host == "dailymotion.com" and len(path) >= 2 and path[0] == "video":
        candidate = path[1].split("_")[0]
    elif host == "dailymotion.com" and len(path) == 3 and path[:2] == ["embed", "video"]:
        candidate = path[2]
    if candidate and _DAILYMOTION_ID.fullmatch(candidate):
        return f"https://www.dailymotion.com/embed/video/{candidate}"
    return None


def _peertube(host: str, netloc: str, path: list[str]) -> str | None:
    candidate = None
    if len(path) == 2 and path[0] == "w":
        candidate = path[1]
    elif len(path) == 3 and path[0] == "videos" and path[1] in ("watch", "embed"):
        candidate = path[2]
    if candidate and _PEERTUBE_ID.fullmatch(candidate) and _HOST.fullmatch(host):
        return f"https://{netloc}/videos/embed/{candidate}"
    return None


def video_embed(url: str) -> Embed | None:
    """The embed of a YouTube, Vimeo, Dailymotion or PeerTube address, else None."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return None
    host = parts.hostname.lower()
    short = host.removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    query = parse_qs(parts.query)
    if found := _youtube(short, path, query):
        return Embed("YouTube", found)
    if found := _vimeo(short, path):
        return Embed("Vimeo", found)
    if found := _dailymotion(short, path):
        return Embed("Dailymotion", found)
    # PeerTube players are only framed over https.
    if parts.scheme == "https":
        netloc = host if port in (None, 443) else f"{host}:{port}"
        if found := _peertube(host, netloc, path):
            return Embed("PeerTube", found)
    return None
