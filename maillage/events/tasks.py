"""Background work of events: the reminder before an event (scheduled with run_after)."""

from django.tasks import task


@task()
def send_reminders(event_id: int, starts_at: str, base_url: str = "") -> int:
    """Remind the registered people of an event; a no-op if the event moved since."""
    from .services import reminders_send

    return reminders_send(event_id=event_id, starts_at=starts_at, base_url=base_url)
