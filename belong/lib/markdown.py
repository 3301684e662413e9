"""Markdown written by people (announcements, stories, resources), rendered to HTML that is
safe to show: `markdown` renders, `nh3` (ammonia) keeps only the tags and attributes below.
Raw HTML in the text is dropped, never passed through."""

import markdown as _markdown
import nh3

TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str) -> str:
    """Sanitized HTML for `text` (headings start at level 3: a page has its own h1 and h2)."""
    if not text:
        return ""
    html = _markdown.markdown(
        text.replace("\r\n", "\n"),
        extensions=["sane_lists"],
        output_format="html",
    )
    for level in (2, 1):  # "# Title" in a post must not compete with the page's headings
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
