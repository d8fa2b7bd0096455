"""Site settings: the footer's record numbers and contact in every language, a new content version on
save, and the mourning period starting and ending on time on cached pages."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance.models import SiteSettings
from core.cache import content_version
from tests.factories import SiteSettingsFactory, image_file
from tests.news.pages import get_page

pytestmark = pytest.mark.django_db

PAGES = ["/", "/en/", "/zh-hant/", "/news/", "/en/offices/", "/zh-hant/members/", "/privacy/", "/en/about/"]


def footer_of(client, url):
    _response, html = get_page(client, url)
    return html.find("footer", class_="site-footer")


@pytest.mark.parametrize("url", ["/", "/en/", "/zh-hant/"])
def test_with_the_numbers_set_the_footer_shows_them_with_the_right_links(client, url):
    SiteSettingsFactory()

    footer = footer_of(client, url)

    icp = footer.find("a", class_="icp-record")
    assert icp.text.strip() == "苏ICP备00000000号-1"
    assert icp["href"] == "https://beian.miit.gov.cn/"
    assert icp["target"] == "_blank" and "noopener" in icp["rel"]
    police = footer.find("a", class_="public-security-record")
    assert police.text.strip() == "苏公网安备32050000000000号"
    assert police["href"] == "https://beian.mps.gov.cn/#/query/webSearch?code=32050000000000"
    assert police.find("img")["src"].endswith("public-security-badge.svg")
    contact = footer.find("div", class_="footer-contact")
    assert contact.find("a", href="tel:051200000000") is not None
    assert contact.find("a", href="mailto:secretariat@example.org") is not None
    organiser = {
        "/": "苏州市工业互联网产业联盟秘书处",
        "/en/": "Secretariat of the Suzhou Industrial Internet Industry Alliance",
        "/zh-hant/": "蘇州市工業互聯網產業聯盟祕書處",
    }
    assert organiser[url] in contact.text


@pytest.mark.parametrize("url", PAGES)
def test_with_nothing_set_no_empty_footer_line(client, url):
    footer = footer_of(client, url)

    assert footer.find(class_="footer-records") is None
    assert footer.find(class_="footer-contact") is None
    for element in footer.find_all(["p", "li", "address", "figure"]):
        assert element.get_text(strip=True), f"an empty {element.name} in the footer of {url}"


def test_only_the_numbers_set_are_shown(client):
    SiteSettingsFactory(public_security_number="", organiser_zh_hans="", organiser_en="", address_zh_hans="")
    footer = footer_of(client, "/")

    assert footer.find("a", class_="icp-record") is not None
    assert footer.find("a", class_="public-security-record") is None
    contact = footer.find("address")
    assert [p.find(class_="meta-label").text for p in contact.find_all("p")] == ["电话", "电子邮箱", "微信公众号"]


def test_the_wechat_qr_code_is_shown_with_the_account_name(client):
    SiteSettingsFactory(wechat_qr=image_file("qr.png", size=(120, 120), image_format="PNG"))

    figure = footer_of(client, "/en/").find("figure", class_="footer-qr")

    assert figure.find("img")["alt"] == "QR code of the WeChat official account"
    assert "Suzhou Industrial Internet Alliance" in figure.find("figcaption").text


def test_saving_the_settings_starts_a_new_content_version(client, page_cache):
    before = content_version()
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"

    with page_cache(execute=True):
        SiteSettingsFactory(icp_number="苏ICP备00000000号-2")

    assert content_version() != before
    response = client.get("/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "苏ICP备00000000号-2" in response.content.decode()


def test_a_public_security_number_without_digits_is_refused():
    settings = SiteSettings(pk=1, public_security_number="苏公网安备号")
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert "public_security_number" in refused.value.message_dict


def test_a_mourning_period_needs_its_end_after_its_start():
    start = timezone.now()
    with pytest.raises(ValidationError):
        SiteSettings(pk=1, mourning_starts_at=start, mourning_ends_at=start - datetime.timedelta(hours=1)).full_clean()
    with pytest.raises(ValidationError):
        SiteSettings(pk=1, mourning_starts_at=start).full_clean()


def greyscale(client, url):
    _response, html = get_page(client, url)
    return "mourning" in (html.find("html").get("class") or [])


def test_mourning_starts_and_ends_on_time_on_cached_pages(client, page_cache):
    start = timezone.now() + datetime.timedelta(hours=1)
    end = start + datetime.timedelta(days=1)
    with page_cache(execute=True):
        SiteSettingsFactory(mourning_starts_at=start, mourning_ends_at=end)
    urls = ["/", "/en/news/", "/zh-hant/privacy/"]
    for url in urls:
        assert not greyscale(client, url)
        assert client.get(url).headers["X-Page-Cache"] == "hit"

    with time_machine.travel(start - datetime.timedelta(seconds=1)):
        assert not any(greyscale(client, url) for url in urls), "still cached before the start"
    with time_machine.travel(start):
        assert all(greyscale(client, url) for url in urls), "grey from the start, no job run"
        assert client.get("/").headers["X-Page-Cache"] == "hit"
    with time_machine.travel(end - datetime.timedelta(seconds=1)):
        assert all(greyscale(client, url) for url in urls)
    with time_machine.travel(end):
        assert not any(greyscale(client, url) for url in urls), "in colour again at the end"


def test_the_admin_goes_straight_to_the_one_row_and_saving_it_works(superuser_client):
    response = superuser_client.get("/admin/compliance/sitesettings/")
    assert response.status_code == 302 and response["Location"].endswith("/sitesettings/add/")

    response = superuser_client.post(
        "/admin/compliance/sitesettings/add/",
        {"icp_number": "苏ICP备00000000号-1", "organiser_zh_hans": "联盟秘书处", "email": "a@example.org"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SiteSettings.load().icp_number == "苏ICP备00000000号-1"
    assert SiteSettings.load().organiser_zh_hant == "聯盟祕書處"
    response = superuser_client.get("/admin/compliance/sitesettings/")
    assert response["Location"].endswith("/sitesettings/1/change/")
