import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from services.models import Category, Guide, Icon, Policy, Service, SiteProfile, Status
from services.public.templating import ICON_PATHS
from tests.conftest import CHECKED_ON, LANGUAGE_CODES, count_h1, html_lang_dir

pytestmark = pytest.mark.django_db


def public_urls():
    """One page of each type, built from the sample content."""
    service = Service.objects.published().select_related("category").first()
    policy = Policy.objects.published().first()
    guide = Guide.objects.published().first()
    return {
        "home": reverse("services:home"),
        "category": service.category.get_absolute_url(),
        "service": service.get_absolute_url(),
        "policy": policy.get_absolute_url(),
        "guide": guide.get_absolute_url(),
        "search": reverse("services:search") + "?q=school",
        "about": reverse("services:about"),
    }


def all_sample_pages():
    urls = [reverse("services:home"), reverse("services:about")]
    for service in Service.objects.published().select_related("category"):
        urls.append(service.get_absolute_url())
        urls.append(service.category.get_absolute_url())
    urls += [policy.get_absolute_url() for policy in Policy.objects.published()]
    urls += [guide.get_absolute_url() for guide in Guide.objects.published()]
    return sorted(set(urls))


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_page_type_answers_in_every_language(client, language):
    """Each page type is 200, in the right language and direction, with one <h1>."""
    with translation.override(language):
        urls = public_urls()
    for page, url in urls.items():
        assert url.startswith(f"/{language}/"), url
        response = client.get(url)
        assert response.status_code == 200, (page, url)
        lang, direction = html_lang_dir(response.content)
        assert lang == language, (page, url)
        assert direction == ("rtl" if language == "ar" else "ltr"), (page, url)
        assert count_h1(response.content) == 1, (page, url)
        assert not response.cookies, f"{url} set a cookie"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_sample_page_answers_in_every_language(client, language):
    with translation.override(language):
        urls = all_sample_pages()
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang_dir(response.content)[0] == language
        assert not response.cookies, f"{url} set a cookie"


def test_service_page_shows_each_assurance_with_rule_source_and_date(
    client, make_service
):
    service = make_service()
    html = client.get(service.get_absolute_url()).content.decode()
    safety = html[html.index('class="safety"') : html.index("</section>")]
    assert "Your safety" in safety
    does, limit = service.assurances.order_by("position")
    for assurance in (does, limit):
        assert assurance.statement_en in safety
        assert assurance.source_url in safety
    assert does.policy.get_absolute_url() in safety
    assert f"Last checked {date_format(CHECKED_ON)}" in safety
    # What the city cannot control comes after what the service does.
    assert (
        safety.index(does.statement_en)
        < safety.index("What the city cannot control")
        < safety.index(limit.statement_en)
    )


def test_the_safety_box_comes_before_the_rest_of_the_service_page(client, make_service):
    html = client.get(make_service().get_absolute_url()).content.decode()
    assert html.index("Your safety") < html.index("Who can use it")
    assert html.index("Your safety") < html.index("How to reach it")


def test_phone_numbers_are_tel_links_kept_left_to_right(client, make_service):
    service = make_service()
    with translation.override("ar"):
        html = client.get(service.get_absolute_url()).content.decode()
    assert '<a class="phone" href="tel:6175550142" dir="ltr">617-555-0142</a>' in html
    assert 'href="tel:911"' in html


def test_pages_have_canonical_and_hreflang_alternates(client):
    html = client.get("/es/health/").content.decode()
    assert '<link rel="canonical" href="http://testserver/es/health/">' in html
    for code in LANGUAGE_CODES:
        assert (
            f'<link rel="alternate" hreflang="{code}" '
            f'href="http://testserver/{code}/health/">'
        ) in html
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/en/health/">'
    ) in html


def test_language_switch_links_to_the_same_page_named_in_each_language(client):
    html = client.get("/en/health/emergency-rooms/").content.decode()
    switch = html[html.index('class="languages"') : html.index("</nav>")]
    for code, name in [
        ("ht", "Kreyòl ayisyen"),
        ("kea", "Kriolu"),
        ("so", "Soomaali"),
        ("ar", "العربية"),
        ("zh-hant", "繁體中文"),
    ]:
        assert (
            f'<a href="/{code}/health/emergency-rooms/" hreflang="{code}" '
            f'lang="{code}">{name}</a>'
        ) in switch


def test_root_redirects_by_accept_language_without_a_cookie(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="so-SO,so;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/so/"
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-TW", "/zh-hant/"),
        ("zh-CN,zh;q=0.9", "/zh-hans/"),
        ("pt-BR", "/pt-br/"),
        ("pt-PT", "/pt-br/"),
        ("ar-EG", "/ar/"),
        ("de-DE,fr;q=0.8", "/fr/"),
    ],
)
def test_root_picks_the_closest_language(client, header, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response["Location"] == expected


def test_root_without_a_known_language_shows_the_chooser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/kea/" hreflang="kea" lang="kea">Kriolu</a>' in html
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies


def test_drafts_are_not_public(client, make_service):
    service = make_service(name_en="Quillfeather Clinic")
    address = service.get_absolute_url()
    assert client.get(address).status_code == 200
    service.status = Status.DRAFT
    service.save()
    assert client.get(address).status_code == 404
    category = client.get(service.category.get_absolute_url())
    assert "Quillfeather" not in category.content.decode()
    results = client.get("/en/search/?q=quillfeather").content.decode()
    assert address not in results


def test_service_under_the_wrong_category_is_not_found(client, make_service):
    service = make_service()
    assert client.get(f"/en/food/{service.slug}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/xx/",
        "/en/no-such-category/",
        "/en/schools/no-such-service/",
        "/en/policies/no-such-rule/",
        "/en/guides/no-such-guide/",
        "/en/schools/public-schools/extra/",
        "/en/%E2%80%8F/",
        "/en/" + "a" * 3000 + "/",
    ],
)
def test_bad_urls_are_not_found_never_an_error(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 404
    assert count_h1(response.content) == 1


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "école " * 200,
        "q=%00",
        "q=%ff%fe",
        "q=school&q=food",
        "q[]=x",
        "q=%25%27%22%3C%3E",
        "q=" + "%F0%9F%98%80" * 50,
        "x=" + "y" * 5000,
    ],
)
def test_odd_or_huge_search_queries_get_a_clear_page(client, query):
    response = client.get(f"/en/search/?{query}")
    assert response.status_code == 200
    assert count_h1(response.content) == 1
    assert not response.cookies


def test_too_long_search_says_so(client):
    response = client.get("/en/search/?q=" + "a" * 101)
    assert "Please use fewer words" in response.content.decode()


def test_search_finds_in_the_readers_language_and_in_english(client, make_service):
    service = make_service(name_en="Quillfeather Clinic", name_es="Clínica Pluma")
    with translation.override("es"):
        address = service.get_absolute_url()
    assert address in client.get("/es/search/?q=pluma").content.decode()
    assert address in client.get("/es/search/?q=quillfeather").content.decode()


def test_search_puts_name_matches_first(client, make_service):
    summary = make_service(
        "in-summary", summary_en="Help near the Quillfeather bridge."
    )
    name = make_service("in-name", name_en="Quillfeather Help Desk")
    html = client.get("/en/search/?q=quillfeather").content.decode()
    assert html.index(name.get_absolute_url()) < html.index(summary.get_absolute_url())


def test_the_about_page_says_what_is_not_collected_and_who_runs_the_site(client):
    site = SiteProfile.objects.get()
    site.operator_en = "Run by the Test Office of Immigrant Advancement."
    site.save()
    html = client.get("/en/about/").content.decode()
    assert "No cookies are set" in html
    assert "do not record your internet address or what you searched for" in html
    assert site.operator_en in html


def test_404_page_is_in_the_readers_language_and_needs_no_database(
    client, rf, django_assert_num_queries
):
    response = client.get("/ar/no-such-category/no-such-service/extra/")
    assert response.status_code == 404
    assert html_lang_dir(response.content) == ("ar", "rtl")
    from services.public.errors import page_not_found

    with translation.override("so"), django_assert_num_queries(0):
        response = page_not_found(rf.get("/so/x/y/z/"))
    assert html_lang_dir(response.content) == ("so", "ltr")


def test_500_page_is_in_the_readers_language_and_needs_no_database(
    rf, django_assert_num_queries
):
    from services.public.errors import server_error

    with translation.override("ar"), django_assert_num_queries(0):
        response = server_error(rf.get("/ar/"))
    assert response.status_code == 500
    assert html_lang_dir(response.content) == ("ar", "rtl")
    assert b'href="tel:911"' in response.content


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
@pytest.mark.parametrize("page", ["home", "category", "service", "policy", "guide"])
def test_public_pages_use_a_small_bounded_number_of_queries(
    client, django_assert_max_num_queries, page, language
):
    """In English and in translations, whose state each page reads too; with
    the alerts of its place and, where it shows hours, the holidays near today."""
    with translation.override(language):
        url = public_urls()[page]
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_search_uses_a_small_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/en/search/?q=free help")


ICON = re.compile(
    r'<svg class="icon" aria-hidden="true" focusable="false"[^>]*>'
    r'<path d="([^"]+)"/></svg>'
)


def test_each_category_on_the_home_page_has_its_own_icon(client):
    """Inline SVG, hidden from screen readers, its drawing the category's own."""
    drawn = ICON.findall(client.get("/en/").content.decode())
    shown = Category.objects.filter(services__status=Status.PUBLISHED).distinct()
    assert len(drawn) >= shown.count() > 0
    assert {ICON_PATHS[category.icon] for category in shown} <= set(drawn)


def test_every_icon_a_caseworker_can_choose_has_its_own_drawing():
    """icon() falls back to the shield: a new choice without a drawing would
    quietly show the wrong picture."""
    assert set(Icon.values) <= set(ICON_PATHS)


def test_the_safety_box_shows_the_shield(client):
    page = client.get(public_urls()["service"]).content.decode()
    heading = re.search(r'<h2 id="safety-heading">(.*?)</h2>', page).group(1)
    assert ICON.findall(heading) == [ICON_PATHS["rights"]]
