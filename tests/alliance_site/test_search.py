import pytest

from core.search import filter_by_search
from core.text import search_document, search_terms
from members.models import Organisation
from tests.factories import OrganisationFactory


def test_query_terms_use_the_tokens_of_the_documents_they_should_find():
    assert search_terms("考評指標 5G") == [["考评", "评指", "指标"], ["5g"]]
    assert search_terms("吴") == [["吴"]]
    assert search_terms("华为（苏州）DevCloud") == [["华为", "为", "苏州", "州", "devcloud"]]
    assert search_document("华为（苏州）DevCloud创新中心").startswith("华为 为 苏州 州 devcloud 创新")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["华为（苏州）DevCloud创新中心", "华为（苏州）", "华為(蘇州)devcloud", "DevCloud创新", "苏州）Dev", "为"]
)
def test_a_name_with_punctuation_and_latin_words_is_found_by_any_part_of_it(query):
    huawei = OrganisationFactory(name_zh_hans="华为（苏州）DevCloud创新中心", name_en="Huawei (Suzhou) DevCloud")
    OrganisationFactory(name_zh_hans="苏州协同创新智能制造装备有限公司", name_en="Collaborative Innovation")
    assert list(filter_by_search(Organisation.objects.all(), query)) == [huawei]
