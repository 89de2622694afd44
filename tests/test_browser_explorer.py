"""The browser explorers in headless Chromium, with no kernel and no network: move a real
range input, read the numbers the page shows, and check them against mlebook.info."""

import functools
import http.server
import math
import threading

import numpy as np
import pytest
from playwright.sync_api import sync_playwright

from mlebook import info
from mlebook.explorers import kl as widgets

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>explorers</title></head>
<body>{body}</body></html>
"""


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    """A minimal page holding two KL explorers, a Bernoulli one and a forward/reverse one,
    served over http on 127.0.0.1 from a thread."""
    folder = tmp_path_factory.mktemp("explorers")
    parts = [
        widgets.browser_kl_explorer([0.5, 0.3, 0.2], [0.2, 0.3, 0.5]).data,
        widgets.browser_kl_explorer([0.1, 0.9], [0.6, 0.4], base=2).data,
        widgets.browser_bernoulli_kl_explorer(0.2, 0.7).data,
        widgets.browser_forward_reverse_explorer(distances=[0.0, 2.0, 6.0]).data,
    ]
    (folder / "index.html").write_text(PAGE.format(body="\n".join(parts)), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def page(page_url):
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        # Block everything but the page itself: the explorers must need no network.
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(page_url.rsplit("/", 1)[0])
                   else route.abort())
        page.goto(page_url)
        page.errors = errors
        yield page
        browser.close()


def move(explorer, role, value):
    """Set a range input the way a drag does: a new value, then an input event."""
    explorer.locator(f'input[data-role="{role}"]').evaluate(
        "(element, value) => { element.value = value; element.dispatchEvent(new Event('input', {bubbles: true})); }",
        str(value),
    )


def shown(explorer, role) -> float:
    return widgets.parse_value(explorer.locator(f'[data-role="{role}"]').first.inner_text())


def slider_distribution(explorer, name, n):
    weights = np.array([float(explorer.locator(f'input[data-role="{name}-{i}"]').input_value()) for i in range(n)])
    return weights / weights.sum()


def assert_shows(explorer, p, q, base=None):
    expected = {"kl-pq": info.kl_divergence(p, q, base), "kl-qp": info.kl_divergence(q, p, base),
                "h-p": info.entropy(p, base), "h-pq": info.cross_entropy(p, q, base)}
    for role, value in expected.items():
        if math.isinf(value):
            assert shown(explorer, role) == math.inf, role
        else:
            assert shown(explorer, role) == pytest.approx(value, abs=5e-4 + 1e-12), role


def test_each_explorer_has_its_own_id(page):
    ids = page.locator("[data-kl-explorer]").evaluate_all("nodes => nodes.map(n => n.id)")
    assert len(ids) == 2 and len(set(ids)) == 2


def test_moving_a_slider_updates_kl_in_the_browser(page):
    explorer = page.locator("[data-kl-explorer]").nth(0)
    assert_shows(explorer, np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5]))
    before = shown(explorer, "kl-pq")
    move(explorer, "p-0", 0.9)
    move(explorer, "q-2", 0.05)
    p, q = slider_distribution(explorer, "p", 3), slider_distribution(explorer, "q", 3)
    assert shown(explorer, "kl-pq") != pytest.approx(before, abs=1e-3)
    assert_shows(explorer, p, q)
    # the other explorer on the page did not move
    other = page.locator("[data-kl-explorer]").nth(1)
    assert_shows(other, np.array([0.1, 0.9]), np.array([0.6, 0.4]), base=2)
    assert page.errors == []


def test_more_outcomes_and_an_infinite_divergence(page):
    explorer = page.locator("[data-kl-explorer]").nth(0)
    move(explorer, "n-outcomes", 5)
    assert explorer.locator('[data-outcome="4"]').is_visible()
    assert not explorer.locator('[data-outcome="5"]').is_visible()
    p, q = slider_distribution(explorer, "p", 5), slider_distribution(explorer, "q", 5)
    assert_shows(explorer, p, q)
    move(explorer, "q-1", 0)  # the model gives 0 to an outcome the data produces
    assert explorer.locator('[data-role="kl-pq"]').inner_text() == "∞"
    assert_shows(explorer, p, slider_distribution(explorer, "q", 5))
    assert "nan" not in explorer.inner_text().lower()
    assert page.errors == []


def test_bits_explorer(page):
    explorer = page.locator("[data-kl-explorer]").nth(1)
    move(explorer, "q-0", 0.123)
    assert_shows(explorer, slider_distribution(explorer, "p", 2), slider_distribution(explorer, "q", 2), base=2)


def test_bernoulli_explorer_in_the_browser(page):
    explorer = page.locator("[data-bernoulli-kl-explorer]")
    for p, q in ((0.35, 0.8), (0.0, 0.5), (1.0, 1.0), (0.5, 1.0)):
        move(explorer, "p", p)
        move(explorer, "q", q)
        assert_shows(explorer, np.array([1 - p, p]), np.array([1 - q, q]))
        assert info.kl_bernoulli(p, q) == pytest.approx(shown(explorer, "kl-pq"), abs=5e-4) or (
            shown(explorer, "kl-pq") == math.inf == info.kl_bernoulli(p, q)
        )
    assert page.errors == []


def test_forward_reverse_explorer_in_the_browser(page):
    explorer = page.locator("[data-forward-reverse-explorer]")
    move(explorer, "distance", 2)  # the third distance: 6
    assert explorer.locator('[data-role="distance-value"]').inner_text() == "6.00"
    mixture = info.two_mode_mixture(6.0)
    mu, sigma = info.fit_normal_reverse_kl(mixture)
    assert shown(explorer, "reverse-mu") == pytest.approx(mu, abs=5e-4)
    assert shown(explorer, "reverse-sigma") == pytest.approx(sigma, abs=5e-4)
    assert shown(explorer, "forward-sigma") == pytest.approx(math.sqrt(10), abs=5e-4)
    assert shown(explorer, "reverse-kl-qp") == pytest.approx(info.kl_normal_to_mixture(mu, sigma, mixture), abs=5e-4)
    points = explorer.locator('[data-role="reverse-curve"]').get_attribute("points")
    assert len(points.split()) == 321
    assert page.errors == []
