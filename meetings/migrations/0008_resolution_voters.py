from django.db import migrations, models


class Migration(migrations.Migration):
    """The resolution's denominator becomes the counted full members (DOMAIN.md §8 "Votes").
    A rename, so figures already stored are kept; their explanation stays blank."""

    dependencies = [
        ("meetings", "0006_drop_page_cache"),
    ]

    operations = [
        migrations.RenameField(model_name="resolution", old_name="expected_members", new_name="eligible_voters"),
        migrations.AlterField(
            model_name="resolution",
            name="eligible_voters",
            field=models.PositiveIntegerField(
                default=0, verbose_name="số đảng viên chính thức được tính để biểu quyết"
            ),
        ),
        migrations.AddField(
            model_name="resolution",
            name="eligible_explanation",
            field=models.CharField(blank=True, max_length=255, verbose_name="cách tính số đảng viên được biểu quyết"),
        ),
    ]
