"""Markdown written by people (announcements, stories, resources), rendered to HTML that is
safe to show: `markdown-it-py` renders (CommonMark), `nh3` (ammonia) keeps only the tags and
attributes below. Raw HTML in the text is dropped, never passed through.

markdown-it-py's work grows with the length of the text, whatever the text: Python-Markdown,
used before, took 10 to 20 seconds of a web process for 20,000 characters such as ``[a](``
repeated or ``<a `` repeated (an announcement or a recommendation may hold that many), on every
page showing it."""

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Raw HTML goes through to nh3, which drops it (keeping the words between tags). One parser for
# every thread: each render keeps its state to itself.
_PARSER = MarkdownIt("commonmark", {"html": True})


def render(text: str) -> str:
    """Sanitized HTML for `text` (headings start at level 3: a page has its own h1 and h2)."""
    if not text:
        return ""
    html = _PARSER.render(text.replace("\r\n", "\n"))
    for level in (2, 1):  # "# Title" in a post must not compete with the page's headings
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
