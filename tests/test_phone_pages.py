"""What a resident's phone shows (the browser suite measures it at 360 x 740):
a one-line emergency strip, a compact language control, the police caveat only
where it applies, addresses and web addresses that read left to right, a
referral page of short cards, and share links the phone itself sends."""

import re

import pytest

from services.models import Service

pytestmark = pytest.mark.django_db

POLICE_NOTE = "Boston police do not enforce civil immigration law."


def page(client, address):
    return client.get(address).content.decode()


def test_the_language_control_lists_every_language_in_its_own_script(client):
    html = page(client, "/ar/schools/public-schools/")
    control = re.search(r'<nav class="languages".*?</nav>', html, re.S).group()
    assert "<details>" in control and "<summary>" in control
    assert '<span lang="ar">العربية</span>' in control
    assert '<span lang="en" class="language-word">Language</span>' in control
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="\2"', control)
    assert len(links) == 12
    assert ("/es/schools/public-schools/", "es") in links


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("/en/", True),
        ("/en/emergency/", True),
        ("/en/emergency/police-and-911/", True),
        ("/en/guides/know-your-rights/", True),
        ("/en/libraries/library-card/", False),
        ("/en/schools/", False),
        ("/en/about/", False),
    ],
)
def test_the_police_caveat_is_where_it_applies(client, address, shown):
    assert (POLICE_NOTE in page(client, address)) is shown


def test_the_emergency_strip_is_the_number_and_the_exit(client):
    html = page(client, "/en/libraries/library-card/")
    strip = re.search(r'<aside class="emergency".*?</aside>', html, re.S).group()
    assert 'href="tel:911"' in strip
    assert 'class="quick-exit"' in strip
    assert POLICE_NOTE not in strip


def test_an_address_reads_left_to_right_in_arabic(client):
    html = page(client, "/ar/schools/public-schools/")
    assert '<span class="address" dir="ltr">2300 Washington St, Roxbury, MA</span>' in (
        html
    )
    handout = page(client, "/ar/schools/public-schools/print/")
    assert '<span class="address" dir="ltr">2300 Washington St, Roxbury, MA</span>' in (
        handout
    )


def test_a_web_address_in_a_text_is_a_link(client):
    html = page(client, "/en/guides/know-your-rights/")
    assert (
        '<a class="web-address" href="https://mass.gov/fedmisconduct" dir="ltr" '
        'rel="noreferrer">mass.gov/<wbr>fedmisconduct</a>.'
    ) in html
    steps = page(client, "/ar/schools/public-schools/")
    assert 'href="https://bostonpublicschools.org/register" dir="ltr"' in steps


def test_a_referral_is_short_cards_with_links_and_numbers_to_tap(client):
    services = [
        Service.objects.get(slug=slug) for slug in ("boston-311", "safelink", "wic")
    ]
    numbers = "-".join(str(service.pk) for service in services)
    html = page(client, f"/so/referral/{numbers}/")
    cards = re.search(
        r'<ul class="cards referral-cards screen-only">.*?</ul>\n    <div', html, re.S
    ).group()
    for service in services:
        assert f'href="/so/{service.category.slug}/{service.slug}/"' in cards
    assert 'href="tel:8777852020"' in cards
    assert 'href="tel:311"' in cards
    # English beside the reader's language is for paper only.
    assert 'lang="en"' not in cards
    printed = html.split('<div class="print-only">', 1)[1]
    assert '<section class="handout-column" lang="en" dir="ltr">' in printed


def test_a_service_page_can_be_sent_by_the_phone_itself(client):
    html = page(client, "/es/schools/public-schools/")
    share = re.search(r'<section class="share".*?</section>', html, re.S).group()
    address = "http%3A//testserver/es/schools/public-schools/"
    assert f'href="sms:?&amp;body={address}"' in share
    assert f"&amp;body={address}" in share and 'href="mailto:?subject=' in share
    assert f'href="https://wa.me/?text={address}" rel="noreferrer"' in share
    assert 'readonly value="http://testserver/es/schools/public-schools/"' in share
    # Nothing goes through this site: no form, no address of ours to post to.
    assert "<form" not in share
