from django_tasks import task

from belong.people import actions


@task()
def send_password_reset_by_email(email: str) -> int:
    """Look the address up and queue a reset link to its account, if it has one (the page that
    asked has answered already, the same way for every address)."""
    return actions.send_password_reset_by_email(email=email)
