"""Background work of the newsletter: sending a letter, one batch per task."""

from django.tasks import task


@task()
def send_letter_batch(letter_id: int) -> int:
    from .services import letter_send_batch

    return letter_send_batch(letter_id=letter_id)
