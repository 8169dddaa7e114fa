"""E-mail leaves through the task queue.

`TaskEmailBackend` is Django's `EMAIL_BACKEND`: it serialises each message and enqueues
`deliver_email`, which hands it to the "delivery" mailer (`MAILERS`, built from
`EMAIL_URL`: SMTP in production). A web request never waits for an SMTP server, and every mail of
every app (allauth's included) goes the same way.
"""

import base64
from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import task


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
        "content_subtype": message.content_subtype,
        "alternatives": alternatives,
        "attachments": attachments,
    }


def deserialise_message(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
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
