"""A mail backend for the benchmarks: counts what it is given and keeps nothing, so a run that
sends hundreds of thousands of reminders measures the sending code, not an outbox in memory."""

from django.core.mail.backends.base import BaseEmailBackend


class CountingBackend(BaseEmailBackend):
    sent = 0

    def send_messages(self, email_messages):
        messages = list(email_messages)
        for message in messages:
            message.message()  # build it as SMTP would (headers, both parts), then drop it
        CountingBackend.sent += len(messages)
        return len(messages)
