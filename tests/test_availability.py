"""When the database goes away, residents still get help; the site recovers."""

import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import translation

from tests.conftest import html_lang_dir

pytestmark = pytest.mark.django_db


def database_down():
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("could not connect to server"),
    )


@pytest.mark.parametrize("language", ["ar", "so", "zh-hant", "ht"])
def test_residents_get_a_503_page_in_their_language_with_help_lines(client, language):
    client.get(f"/{language}/")  # the help lines are remembered from a visit
    with database_down():
        response = client.get(f"/{language}/health/emergency-rooms/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert html_lang_dir(response.content)[0] == language
    html = response.content.decode()
    with translation.override(language):
        title = translation.gettext("This site is not available right now")
    assert title in html
    assert 'href="tel:911"' in html
    assert 'href="tel:6179880606"' in html  # a legal help line
    assert not response.cookies


def test_the_site_recovers_by_itself_when_the_database_returns(client):
    with database_down():
        assert client.get("/es/food/").status_code == 503
    assert client.get("/es/food/").status_code == 200


def test_a_page_already_cached_is_still_served_while_the_database_is_down(client):
    assert client.get("/fr/schools/").status_code == 200
    with database_down():
        response = client.get("/fr/schools/")
    assert response.status_code == 200


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
    assert not response.cookies
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"
