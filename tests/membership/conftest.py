import factory
import pytest
from django.utils import timezone
from stdnum.cn import uscc

from compliance.models import PrivacyPolicy
from core.groups import COUNCIL_APPROVERS, MEMBERSHIP_SECRETARIAT
from membership.models import Action, ApplicationEvent, MembershipApplication, Stage
from tests.factories import UserFactory, pdf_file


def credit_code(number):
    """A valid unified social credit code (its check character computed per GB 32100-2015)."""
    first = f"91320594MA{number:07d}"
    return first + uscc.calc_check_digit(first)


@pytest.fixture
def policy(db):
    """The privacy policy in force (version 1 comes with compliance's migrations)."""
    return PrivacyPolicy.objects.current()


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"苏州申请科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Suzhou Applicant Technology {n}")
    credit_code = factory.Sequence(lambda n: credit_code(n + 100))
    address = "苏州市吴中区示例路1号"
    description = "一家工业互联网企业。"
    contact_name = "王联络"
    contact_title = "总经理助理"
    contact_mobile = "+8613912345678"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    licence = factory.LazyFunction(lambda: pdf_file("licence.pdf"))
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_policy = factory.LazyFunction(
        lambda: (
            PrivacyPolicy.objects.current()
            or PrivacyPolicy.objects.create(version=1, title="隐私政策", published_at=timezone.now())
        )
    )

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            ApplicationEvent.objects.create(application=self, action=Action.SUBMIT, target=Stage.SUBMITTED)


@pytest.fixture
def secretariat(db):
    return UserFactory(groups=[MEMBERSHIP_SECRETARIAT], email="secretariat@example.org")


@pytest.fixture
def council(db):
    return UserFactory(groups=[COUNCIL_APPROVERS], email="council@example.org")


def application_data(**overrides):
    """What the public form sends for a valid application (files separately)."""
    data = {
        "name": "苏州新成员智能科技有限公司",
        "name_en": "Suzhou New Member Intelligent Technology Co., Ltd.",
        "kind": "enterprise",
        "credit_code": credit_code(1),
        "address": "苏州市吴中区东吴北路1号",
        "website": "https://new-member.example.cn/",
        "description": "工业互联网平台服务商。",
        "contact_name": "李明",
        "contact_title": "市场总监",
        "contact_mobile": "139 1234 5678",
        "contact_email": "liming@example.cn",
        "consent": "on",
    }
    data.update(overrides)
    return data
