"""belong.lib.markdown: what people write is shown as safe HTML, and rendering it costs work in
proportion to its length whatever it holds. Python-Markdown, used before, took 10 to 20 seconds
of a web process for 20,000 characters such as ``[x]: y`` lines followed by ``[x]`` repeated
(an announcement or a recommendation may be that long), on every page showing it.

The work is counted, not timed: the calls the renderer makes (Python's and C's, as the profiler
sees them) for a text and for one twice as long."""

import sys

import pytest

from belong.lib.markdown import render


def test_what_is_kept_and_what_is_dropped():
    html = render(
        "# Title\n\nSome **bold** and *soft* words, a [link](https://example.org) and "
        "[a trap](javascript:alert(1)).\n\n- one\n- two\n\n<script>steal()</script>"
        '<img src=x onerror="steal()"><b>kept</b>\r\n'
    )
    assert "<h3>Title</h3>" in html
    assert "<strong>bold</strong>" in html and "<em>soft</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>' in html
    assert 'href="javascript' not in html and "a trap" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<script" not in html and "steal" not in html and "<img" not in html
    assert "<b>kept</b>" in html
    assert render("") == ""


def work(text):
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        calls += 1

    sys.setprofile(count)
    try:
        render(text)
    finally:
        sys.setprofile(None)
    return calls


PATHOLOGICAL = {
    "references then uses": lambda n: "[x]: y\n" * (n // 3) + "[x]" * n,
    "unclosed links": lambda n: "[a](" * n,
    "unclosed tags": lambda n: "<a " * n,
    "unclosed autolinks": lambda n: "<http://" * n,
    "unclosed images": lambda n: "![" * n,
    "brackets": lambda n: "[" * n + "]" * n,
    "emphasis": lambda n: "*a **b " * n,
    "nested quotes": lambda n: "> " * n + "x",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_the_work_grows_with_the_length_of_the_text(name):
    make = PATHOLOGICAL[name]
    once, twice = work(make(600)), work(make(1200))
    assert twice < 2.5 * once, (name, once, twice)
