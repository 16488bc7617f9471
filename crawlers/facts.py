"""Reading pages by what they say, not how they are styled: labelled facts and headed sections.

A restyled page (new class names, new wrappers) still parses as long as its labels and headings
read the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from jobsift.crawlers.text import collapse
from parsel import Selector

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADINGS = "self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"


def text_of(node: Selector) -> str:
    return collapse(" ".join(node.xpath(".//text()").getall()))


def labelled_value(page: Selector, label: str) -> Selector | None:
    """The element right after the leaf element whose whole text is `label`.

    That covers `<span>Label</span><span>Value</span>`, `<dt>Label</dt><dd>Value</dd>` and
    `<th>Label</th><td>Value</td>`.
    """
    literal = _xpath_literal(label)
    for node in page.xpath(f"//*[not(*) and normalize-space(.)={literal}]"):
        following = node.xpath("following-sibling::*[1]")
        if following:
            return following[0]
    return None


def labelled_facts(page: Selector, labels: Iterable[str]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for label in labels:
        node = labelled_value(page, label)
        if node is not None and (value := text_of(node)):
            facts[label] = value
    return facts


def heading(page: Selector, title: str) -> Selector | None:
    """The first h1–h6 whose text is `title` (case-insensitive)."""
    literal = _xpath_literal(title.casefold())
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    lowered = f"translate(normalize-space(.), '{upper}', '{upper.lower()}')"
    found = page.xpath(f"//*[{_HEADINGS}][{lowered}={literal}]")
    return found[0] if found else None


def headed_sections(container: Selector, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(heading text, HTML of the siblings up to the next heading) for each heading inside.

    Headings in `skip` (page chrome such as "Role overview") are left out with their siblings.
    """
    skipped = {s.casefold() for s in skip}
    sections: list[tuple[str, str]] = []
    for head in container.xpath(f".//*[{_HEADINGS}]"):
        title = text_of(head)
        if not title or title.casefold() in skipped:
            continue
        body = []
        for sibling in head.xpath("following-sibling::*"):
            if sibling.root.tag in _HEADING_TAGS:
                break
            body.append(sibling.get())
        sections.append((title, "".join(body)))
    return sections


def items_under(page: Selector, title: str) -> list[str]:
    """The list items of the section a heading opens (its container's `li` elements)."""
    head = heading(page, title)
    if head is None:
        return []
    container = head.xpath("..")
    return [t for li in container.xpath(".//li") if (t := text_of(li))]


def _xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    parts = value.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"
