import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0019_report_comment_limit"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExemplaryTopic",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("marked_at", models.DateTimeField(auto_now_add=True, verbose_name="chọn lúc")),
                ("reason", models.CharField(blank=True, max_length=500, verbose_name="lý do")),
                (
                    "committee",
                    models.ForeignKey(
                        limit_choices_to={"kind": "committee"},
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exemplary_topics",
                        to="meetings.organization",
                        verbose_name="cấp ủy chọn",
                    ),
                ),
                (
                    "marked_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người chọn",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exemplary_marks",
                        to="meetings.topic",
                        verbose_name="chuyên đề",
                    ),
                ),
            ],
            options={
                "verbose_name": "chuyên đề tiêu biểu",
                "verbose_name_plural": "chuyên đề tiêu biểu",
                "ordering": ["-marked_at"],
                "indexes": [models.Index(fields=["committee", "topic"], name="exemplary_committee_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("topic", "committee"), name="exemplary_topic_once_per_committee")
                ],
            },
        ),
    ]
