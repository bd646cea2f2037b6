"""Load the office's help topics, FAQ and contact details (information.help_content); from here
on they are data staff edit in the admin. Rows staff already have are left alone."""

from django.db import migrations


def load(apps, schema_editor):
    from information import help_content

    help_content.load(
        topic_model=apps.get_model("information", "HelpTopic"),
        faq_model=apps.get_model("information", "FaqEntry"),
        contact_model=apps.get_model("information", "ContactDetails"),
    )


class Migration(migrations.Migration):
    dependencies = [("information", "0004_help_alerts_news_attachments")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
