"""The public templates' Jinja2 environment calls the guide's functions directly
and escapes values without Markup objects (config/jinja2.py, PageCodeGenerator);
what templates can do and what they write stay the same."""

import pytest
from django.utils import translation
from jinja2 import UndefinedError, pass_context
from markupsafe import Markup

from config.jinja2 import environment


@pytest.fixture
def env():
    with translation.override("en"):
        yield environment()


def test_a_function_that_asks_for_the_context_still_gets_it(env):
    @pass_context
    def greeting(context, name):
        return f"{context['salutation']}, {name}"

    env.globals["greeting"] = greeting
    template = env.from_string('{{ greeting("Ana") }}: {{ _("Search") }}')
    assert template.render(salutation="Hello") == "Hello, Ana: Search"


def test_keywords_and_call_blocks_reach_the_function(env):
    env.globals["label"] = lambda name, suffix="": f"{name}{suffix}"
    template = env.from_string(
        '{{ label("Schools", suffix=":") }} '
        '{% call in_language("es") %}{{ _("Search") }}{% endcall %}'
    )
    assert template.render() == "Schools: Buscar"


def test_values_from_functions_are_still_escaped(env):
    env.globals["shout"] = lambda text: text.upper()
    template = env.from_string("{{ shout('<b>') }}")
    assert template.render() == "&lt;B&gt;"


def test_text_is_escaped_and_safe_markup_is_not_escaped_twice(env):
    template = env.from_string(
        "{{ text }}|{{ markup }}|{{ number }}|{{ nothing }}|{{ text|upper }}"
        "{% macro box(inner) %}<b>{{ inner }}</b>{% endmacro %}|{{ box(text) }}"
        "{% set block %}<i>{{ text }}</i>{% endset %}|{{ block }}"
    )
    rendered = template.render(
        text='Tom & "Jerry" <3', markup=Markup("<em>safe</em>"), number=7
    )
    escaped = "Tom &amp; &#34;Jerry&#34; &lt;3"
    assert rendered == (
        f"{escaped}|<em>safe</em>|7||TOM &amp; &#34;JERRY&#34; &lt;3"
        f"|<b>{escaped}</b>|<i>{escaped}</i>"
    )


def test_calling_something_undefined_is_still_an_error(env):
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing_function() }}").render()
