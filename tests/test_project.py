from io import StringIO

import pytest
from django.core.management import call_command


def test_system_check_passes():
    call_command("check", stdout=StringIO())


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_topic_groups_created_by_data_migration():
    from meetings.models import TopicGroup

    assert list(TopicGroup.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_locale_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
