"""The one home of the notices' numbers and of who an audience reaches."""

from django.db import models

# Recipients per batch task: one mail connection and a constant number of queries each. Large
# enough that a million recipients make a thousand tasks, small enough that a killed worker's
# redelivered batch repeats little (the claims make it send nothing twice).
BATCH_SIZE = 1000

# Mail connections a batch sends over at once, each in its own thread: an SMTP exchange is four
# round trips, mostly waiting for the server (docs/performance.md "Notices at scale").
SMTP_CONNECTIONS = 4

NO_EMAIL_REASON = "No email address on file for this person."


class Audience(models.TextChoices):
    ACTIVE_PROVIDERS = "active_providers", "All providers with an active certification"
    LEVEL = "level", "Providers with an active certification at one level"
    EXPIRING = "expiring", "Providers whose active certification expires within a window"
    ORGANIZATION_ADMINISTRATORS = "organization_administrators", "Organization administrators"
    TRAINING_INSTITUTIONS = "training_institutions", "Training institutions"


# Provider audiences reach a person on the state record (the contact email on it, which the
# person edits); the others reach portal accounts (the account's email).
PROVIDER_AUDIENCES = {Audience.ACTIVE_PROVIDERS, Audience.LEVEL, Audience.EXPIRING}


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


NOTICE_TRANSITIONS = {
    NoticeStatus.DRAFT: {NoticeStatus.SENDING},
    NoticeStatus.SENDING: {NoticeStatus.SENT},
    NoticeStatus.SENT: set(),
}
