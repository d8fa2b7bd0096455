import pytest

from compliance.models import PrivacyPolicy
from core.groups import COUNCIL_APPROVERS, MEMBERSHIP_SECRETARIAT
from tests.factories import UserFactory, credit_code


@pytest.fixture
def policy(db):
    """The privacy policy in force (version 1 comes with compliance's migrations)."""
    return PrivacyPolicy.objects.current()


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
