"""HTML detection and HTML-to-text with block structure kept."""

from __future__ import annotations

import pytest

from extractor.cleaning import html_to_text, is_html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("<body>Senior engineer</body>", True),
        ("<div><p>a</p><p>b</p><ul><li>c</li></ul></div>", True),
        ("Senior engineer\nRequirements:\n- Python\n", False),
        # a frontend posting that mentions a few tags is still plain text
        ("Know your <div> from your <span> and write semantic <p> markup.", False),
    ],
)
def test_is_html(text: str, expected: bool) -> None:
    assert is_html(text) is expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param("<h1>Title</h1><p>Para one.</p><p>Para two.</p>", "Title\n\nPara one.\n\nPara two.\n", id="blocks"),
        pytest.param("<ul><li>Python</li><li> SQL <em>and</em>  dbt </li></ul>", "- Python\n- SQL and dbt\n", id="list"),
        pytest.param("<p>a<br>b<br><br>c</p>", "a\nb\n\nc\n", id="br"),
        pytest.param("<p>We <b>build</b> things &amp; stuff.</p>", "We build things & stuff.\n", id="inline-entities"),
        pytest.param("<table><tr><th>Pay</th><td>€60k</td></tr><tr><td>a</td><td>b</td></tr></table>", "Pay | €60k\na | b\n", id="table"),
        pytest.param("<pre>a\n  b</pre>", "a\n  b\n", id="pre"),
        pytest.param(
            "<nav>Home &gt; Jobs</nav><script>var x=1</script><style>p{}</style><p>Kept</p>"
            "<aside>Ad</aside><footer>© 2026</footer><div id='cookie-banner'>We use cookies</div>"
            "<ul class='menu'><li>Login</li></ul><div class='promo'>Boost</div><button>Apply</button>",
            "Kept\n",
            id="chrome-dropped",
        ),
        pytest.param("<p>日本語 café 🎉</p>", "日本語 café 🎉\n", id="non-ascii"),
        pytest.param("<div><span>Acme</span> <span>Berlin</span></div><div>Next</div>", "Acme Berlin\nNext\n", id="inline-spans"),
        pytest.param("<div><span>Full-time</span><span>Remote</span></div><p><b>Py</b>thon</p>", "Full-time · Remote\n\nPython\n", id="touching-fields"),
        pytest.param("<div><a>Lumenpay</a>\n  <span>Remote (US)</span></div><p><b>Pay:</b>\n <span>$5</span></p>", "Lumenpay · Remote (US)\n\nPay: $5\n", id="spaced-fields"),
    ],
)  # fmt: skip
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_html_to_text_survives_deep_nesting() -> None:
    html = "<div>" * 3000 + "deep" + "</div>" * 3000
    assert html_to_text(html) == "deep\n"


def test_a_bare_hidden_attribute_hides_the_element() -> None:
    from extractor.cleaning.html import html_to_text

    text = html_to_text("<html><body><div hidden>secret</div><p>shown</p></body></html>")
    assert "secret" not in text and "shown" in text
