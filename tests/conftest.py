import re

import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the Boston sample content, loaded once."""
    with django_db_blocker.unblock():
        call_command("load_sample_content", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="reviewer", password="correct horse battery staple"
    )
    client.force_login(user)
    return client


def html_lang_dir(content: bytes):
    match = re.search(rb'<html lang="([^"]+)" dir="([^"]+)"', content)
    assert match, "the page has no <html lang dir>"
    return match.group(1).decode(), match.group(2).decode()


def count_h1(content: bytes) -> int:
    return len(re.findall(rb"<h1[ >]", content))


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request leaves its page's language active; the next test starts in
    English, whatever the last one asked for."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached page (the database is rolled back, the
    cache would not be)."""
    from django.core.cache import cache

    cache.clear()
