# Merges the leaves built side by side: the action figures on the dashboard (issue 17), the
# signatures and the hash chain of sealed records (issue 18). No operations of its own.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0024_action_figures"),
        ("meetings", "0024_ledger"),
        ("meetings", "0024_signatures"),
    ]

    operations = []
