"""Keyboard only: pressing Tab reaches every link and form control, in page order,
and the element with the focus is on screen and visibly marked."""

import pytest

from tests.e2e import checks
from tests.e2e.conftest import LANGUAGE_CODES, PHONE, SERVICE

FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary"

NUMBER_FOCUSABLE = f"""
() => {{
  const elements = [...document.querySelectorAll({FOCUSABLE!r})]
    .filter(el => el.checkVisibility());
  elements.forEach((el, i) => el.dataset.e2eIndex = i);
  return elements.length;
}}
"""

FOCUSED = (
    """
() => {
  const describe = """
    + checks.DESCRIBE
    + """;
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    index: el.dataset.e2eIndex === undefined ? null : Number(el.dataset.e2eIndex),
    name: describe(el),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && style.outlineColor !== 'rgba(0, 0, 0, 0)',
    shadow: style.boxShadow !== 'none',
    rect: [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight].map(Math.round),
    onScreen: r.width > 0 && r.height > 0 && r.top >= -1 && r.left >= -1
      && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1,
  };
}
"""
)


# The service page in every language with the site's small script on; the home
# page (with the search form) and both pages without JavaScript in a left-to-right
# and a right-to-left language.
CASES = [("service", lang, True) for lang in LANGUAGE_CODES] + [
    (kind, lang, javascript)
    for kind in ("home", "service")
    for lang in ("en", "ar")
    for javascript in (True, False)
    if (kind, javascript) != ("service", True)
]
PATHS = {"service": SERVICE, "home": "/{lang}/"}


@pytest.mark.parametrize(
    ("kind", "lang", "javascript"),
    CASES,
    ids=[f"{k}-{lang}-js-{'on' if js else 'off'}" for k, lang, js in CASES],
)
def test_tab_reaches_everything_with_visible_focus(
    kind, lang, javascript, site, browser
):
    context = browser.new_context(
        **PHONE, java_script_enabled=javascript, service_workers="block"
    )
    path = PATHS[kind].format(lang=lang)
    tab = context.new_page()
    try:
        tab.goto(site.url(path))
        total = tab.evaluate(NUMBER_FOCUSABLE)
        reached, problems = [], []
        for _ in range(total + 3):
            tab.keyboard.press("Tab")
            focused = tab.evaluate(FOCUSED)
            if focused is None or (reached and focused["index"] == reached[0]):
                break  # back at the start
            reached.append(focused["index"])
            if not (focused["outline"] or focused["shadow"]):
                problems.append(f"{focused['name']}: no visible focus")
            if not focused["onScreen"]:
                problems.append(
                    f"{focused['name']}: focused but not on screen {focused['rect']}"
                )
    finally:
        context.close()
    assert reached[:total] == list(range(total)), (
        f"{path}: Tab reached {len(set(reached) - {None})} of {total} links and "
        f"controls, in the order {reached}"
    )
    assert not problems, checks.problems_message("focus", path, problems)
