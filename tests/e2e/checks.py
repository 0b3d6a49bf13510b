"""What the browser tests measure in a page, as small JavaScript functions run by
Playwright's page.evaluate (which works with the page's own JavaScript disabled),
and the helpers that turn their answers into readable failure messages."""

# A short, readable name for an element in failure messages.
DESCRIBE = """
el => {
  const parts = [];
  let node = el;
  for (; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
    let part = node.localName;
    if (node.id) part += '#' + node.id;
    else if (node.classList.length) part += '.' + [...node.classList].join('.');
    parts.unshift(part);
    if (node.id) break;
  }
  const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return parts.join(' > ') + (text ? ` "${text}"` : '');
}
"""

HORIZONTAL_SCROLL = """
() => {
  const root = document.scrollingElement;
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth};
}
"""

# Text that is cut off: outside the viewport's width, hidden by an ancestor that
# clips its overflow, or shortened with an ellipsis.
TEXT_CUT_OFF = (
    """
() => {
  const describe = """
    + DESCRIBE
    + """;
  const width = document.documentElement.clientWidth;
  const problems = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim()) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    for (const r of rects) {
      if (r.left < -1 || r.right > width + 1) {
        const x = `x ${Math.round(r.left)} to ${Math.round(r.right)}`;
        problems.push(`${describe(el)} runs off the screen (${x}, screen ${width})`);
        break;
      }
    }
    const root = document.documentElement;
    for (let box = el; box && box !== root; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const b = box.getBoundingClientRect();
      const outside = r => r.left < b.left - 1 || r.right > b.right + 1
        || r.top < b.top - 1 || r.bottom > b.bottom + 1;
      if (rects.some(outside)) {
        problems.push(`${describe(el)} is clipped by ${describe(box)}`);
        break;
      }
    }
    const style = getComputedStyle(el);
    if (style.textOverflow !== 'clip' && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} is shortened with "${style.textOverflow}"`);
    }
  }
  return [...new Set(problems)];
}
"""
)

# Elements that must be on the first screen, without scrolling.
ON_FIRST_SCREEN = (
    """
selector => {
  const describe = """
    + DESCRIBE
    + """;
  const elements = [...document.querySelectorAll(selector)];
  return {
    count: elements.length,
    problems: elements.flatMap(el => {
      const r = el.getBoundingClientRect();
      if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true}))
        return [`${describe(el)} is hidden`];
      if (r.top < 0 || r.left < -1 || r.bottom > innerHeight + 1
          || r.right > innerWidth + 1) {
        const x = `${Math.round(r.left)}-${Math.round(r.right)}`;
        const y = `${Math.round(r.top)}-${Math.round(r.bottom)}`;
        const screen = `${innerWidth}x${innerHeight}`;
        return [`${describe(el)} is off the first screen (x ${x}, y ${y}, ${screen})`];
      }
      return [];
    }),
  };
}
"""
)

# Tap targets smaller than 44x44 CSS pixels.
SMALL_TARGETS = (
    """
([selector, size]) => {
  const describe = """
    + DESCRIBE
    + """;
  const elements = [...document.querySelectorAll(selector)];
  return {
    count: elements.length,
    problems: elements.flatMap(el => {
      const r = el.getBoundingClientRect();
      return r.width + 0.5 < size || r.height + 0.5 < size
        ? [`${describe(el)} is ${r.width.toFixed(1)}x${r.height.toFixed(1)}`]
        : [];
    }),
  };
}
"""
)

# Where an element's first line of text starts and ends, and its box.
TEXT_EDGES = """
el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter(r => r.width > 0);
  const box = el.getBoundingClientRect();
  return {
    box: {left: box.left, right: box.right},
    text: rects.length ? {left: rects[0].left, right: rects[0].right} : null,
  };
}
"""

# The x positions of each character of an element's text, in logical order.
CHARACTER_POSITIONS = """
el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const positions = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      positions.push({character: node.textContent[i], x: r.left + r.width / 2});
    }
  }
  return positions;
}
"""


def problems_message(what, page, problems):
    listed = "\n  ".join(problems)
    return f"{page}: {what}:\n  {listed}"
