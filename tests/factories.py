import datetime

import factory
from django.utils import timezone

from meetings import models as m
from meetings.periods import quarter_of
from meetings.services.organizations import organization_create

PASSWORD = "chibo-test-2026"


# Vietnamese names for test members (factories cycle through the first ten).
MEMBER_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Đức",
    "Võ Thị Hà",
    "Đặng Văn Hùng",
    "Bùi Thị Lan",
    "Đỗ Văn Minh",
    "Hồ Thị Nga",
    "Ngô Văn Phúc",
    "Dương Thị Quỳnh",
    "Lý Văn Sơn",
    "Trịnh Thị Thảo",
    "Phan Văn Tuấn",
    "Vũ Thị Uyên",
    "Mai Văn Vinh",
    "Tạ Thị Xuân",
    "Châu Văn Yên",
    "Lưu Thị Ánh",
]


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organization

    name = factory.Sequence(lambda n: f"Đảng bộ số {n}")
    kind = m.OrgKind.COMMITTEE
    place = "Hà Tĩnh"
    email = factory.Sequence(lambda n: f"dangbo{n}@example.vn")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, which places the organisation in the tree.
        return organization_create(**kwargs)


class CommitteeFactory(OrganizationFactory):
    kind = m.OrgKind.COMMITTEE


class CellFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Chi bộ số {n}")
    kind = m.OrgKind.CELL
    parent = factory.SubFactory(CommitteeFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Member

    cell = factory.SubFactory(CellFactory)
    full_name = factory.Iterator(MEMBER_NAMES[:10])
    card_number = factory.Sequence(lambda n: f"{n:08d}")
    joined_on = datetime.date(2010, 5, 19)
    full_member_on = datetime.date(2011, 5, 19)
    email = factory.Sequence(lambda n: f"dangvien{n}@example.vn")
    position = m.Position.MEMBER
    status = m.MemberStatus.ACTIVE


class SecretaryFactory(MemberFactory):
    position = m.Position.SECRETARY
    user = factory.SubFactory(UserFactory)


class MemberWithUserFactory(MemberFactory):
    user = factory.SubFactory(UserFactory)


class StaffUserFactory(UserFactory):
    committee = factory.SubFactory(CommitteeFactory)


class DirectedTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DirectedTopic

    committee = factory.SubFactory(CommitteeFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(lambda n: f"Chuyên đề cấp trên {n}")
    group = factory.LazyFunction(lambda: m.TopicGroup.objects.get(number=1))


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Plan

    cell = factory.SubFactory(CellFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Topic

    cell = factory.SubFactory(CellFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = "Tự soi, tự sửa"
    group = factory.LazyFunction(lambda: m.TopicGroup.objects.get(number=2))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Meeting

    cell = factory.SubFactory(CellFactory)
    topic = factory.SubFactory(TopicFactory, cell=factory.SelfAttribute("..cell"))
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    quarter = factory.LazyFunction(lambda: quarter_of(timezone.localdate()))


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Contribution

    topic = factory.SubFactory(TopicFactory)
    member = factory.SubFactory(MemberFactory, cell=factory.SelfAttribute("..topic.cell"))
    subject = factory.Sequence(lambda n: f"Tham luận số {n}")
