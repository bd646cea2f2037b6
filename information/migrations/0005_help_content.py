"""Load the office's help topics, FAQ and contact details (information.help_content); from here
on they are data staff edit in the admin. Rows staff already have are left alone."""

from django.db import migrations


def load(apps, schema_editor):
    from information.help_content import CONTACT, FAQ, TOPICS

    HelpTopic = apps.get_model("information", "HelpTopic")
    FaqEntry = apps.get_model("information", "FaqEntry")
    ContactDetails = apps.get_model("information", "ContactDetails")
    topics = {}
    for position, (slug, title, summary, body) in enumerate(TOPICS):
        topics[slug], _ = HelpTopic.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "summary": summary, "body": body, "position": position},
        )
    for position, (question, answer, topic) in enumerate(FAQ):
        FaqEntry.objects.get_or_create(
            question=question,
            defaults={"answer": answer, "topic": topics.get(topic), "position": position},
        )
    if not ContactDetails.objects.exists():
        ContactDetails.objects.create(**CONTACT)


class Migration(migrations.Migration):
    dependencies = [("information", "0004_help_alerts_news_attachments")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
