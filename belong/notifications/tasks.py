from django_tasks import task

from belong.notifications import outbox


@task()
def deliver_message(message_id: int) -> str:
    return outbox.deliver(message_id)
