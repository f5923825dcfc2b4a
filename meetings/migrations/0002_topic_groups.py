from django.db import migrations

from meetings.models.topics import TOPIC_GROUPS


def create_groups(apps, schema_editor):
    TopicGroup = apps.get_model("meetings", "TopicGroup")
    for number, name in TOPIC_GROUPS:
        TopicGroup.objects.update_or_create(number=number, defaults={"name": name})


def remove_groups(apps, schema_editor):
    apps.get_model("meetings", "TopicGroup").objects.filter(number__in=[n for n, _ in TOPIC_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
