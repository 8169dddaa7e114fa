"""E-mail leaves through the task queue.

`TaskEmailBackend` is Django's `EMAIL_BACKEND`: it serialises each message and enqueues
`deliver_email`, which hands it to the "delivery" mailer (`MAILERS`, built from
`EMAIL_URL`: SMTP in production). A web request never waits for an SMTP server, and every mail of
every app (allauth's included) goes the same way.
"""

import base64
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.core.mail.backends import console
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import task
from django.utils.encoding import iri_to_uri


class RawHeader(str):
    """A header value written as it is, on one line, never folded nor MIME-encoded.

    Python's e-mail package folds a header line longer than 78 characters, and writes a
    word too long to fold (an unsubscribe URL) as RFC 2047 encoded words
    (`=?utf-8?q?=3Chttps=3A//…?=`), which mail providers do not read as the
    `List-Unsubscribe` of RFC 2369 / RFC 8058. The policy writes a header object (a value
    with a `name`) through its own `fold()`: this one returns the line unchanged. The value
    must be ASCII, on one line (up to RFC 5322's 998 characters).

    Django passes a `str` subclass through unchanged to the message; `serialise_message`
    remembers which headers were raw, so that they stay raw after the task queue.
    """

    name: str

    def __new__(cls, name: str, value: str) -> "RawHeader":
        value = str(value)
        if not value.isascii() or "\r" in value or "\n" in value:
            raise ValueError(f"{name}: a raw header must be ASCII, on one line.")
        if len(name) + 2 + len(value) > 998:
            raise ValueError(f"{name}: a header line may not exceed 998 characters.")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"

    def __reduce__(self):  # copy and pickle (the locmem mailer deep-copies each message)
        return (RawHeader, (self.name, str(self)))


def ascii_url(url: str) -> str:
    """An absolute URL as ASCII, for a header: an IDNA host, percent-encoded path."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = parts.netloc
    if host and not host.isascii():
        netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
    return iri_to_uri(urlunsplit(parts._replace(netloc=netloc)))


def unsubscribe_headers(url: str) -> dict[str, RawHeader]:
    """The one-click unsubscribe headers of RFC 8058, for an HTTPS (or HTTP) URL that
    unsubscribes on a POST: `List-Unsubscribe: <https://…>` and `List-Unsubscribe-Post`."""
    return {
        "List-Unsubscribe": RawHeader("List-Unsubscribe", f"<{ascii_url(url)}>"),
        "List-Unsubscribe-Post": RawHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    }


def serialise_message(message: EmailMessage) -> dict[str, Any]:
    alternatives = [
        {"content": str(content), "mimetype": mimetype}
        for content, mimetype in getattr(message, "alternatives", [])
    ]
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append(
            {
                "filename": filename,
                "content": base64.b64encode(raw).decode("ascii"),
                "mimetype": mimetype,
            }
        )
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {k: str(v) for k, v in message.extra_headers.items()},
        "raw_headers": [k for k, v in message.extra_headers.items() if isinstance(v, RawHeader)],
        "content_subtype": message.content_subtype,
        "alternatives": alternatives,
        "attachments": attachments,
    }


def deserialise_message(data: dict[str, Any]) -> EmailMultiAlternatives:
    raw = set(data.get("raw_headers", []))
    headers = {k: RawHeader(k, v) if k in raw else v for k, v in data["headers"].items()}
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=headers,
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for alternative in data["alternatives"]:
        message.attach_alternative(alternative["content"], alternative["mimetype"])
    for attachment in data["attachments"]:
        content = base64.b64decode(attachment["content"])
        mimetype = attachment["mimetype"] or "application/octet-stream"
        if mimetype.startswith("text/"):
            message.attach(attachment["filename"], content.decode(), mimetype)
        else:
            message.attach(attachment["filename"], content, mimetype)
    return message


@task()
def deliver_email(data: dict[str, Any]) -> int:
    """Send one serialised message through the configured delivery backend."""
    return mailers["delivery"].send_messages([deserialise_message(data)])


class TaskEmailBackend(BaseEmailBackend):
    """Enqueue each message as a `deliver_email` task instead of sending it now."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            deliver_email.enqueue(serialise_message(message))
            count += 1
        return count


class ConsoleEmailBackend(console.EmailBackend):
    """The development mailer (`EMAIL_URL=consolemail://`, what `make run` uses): each
    message as a person reads it.

    Django's console mailer prints the MIME source, where a text line longer than 76
    characters is quoted-printable: a confirmation link comes out cut by « = » over two
    lines and cannot be copied. This one prints the headers decoded, then each text part
    decoded (links whole, accents as they are), and names the other parts.
    """

    def write_message(self, message: EmailMessage) -> None:
        msg = message.message()
        lines = [f"{name}: {value}" for name, value in msg.items()]
        for part in msg.walk():
            if part.is_multipart():
                continue
            content_type = part.get_content_type()
            filename = part.get_filename()
            if content_type == "text/plain" and not filename:
                lines += ["", part.get_content().rstrip("\n")]
            else:
                size = len(part.get_payload(decode=True) or b"")
                name = f" {filename}" if filename else ""
                lines += ["", f"[{content_type}{name}, {size} bytes]"]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
