"""The model playground in headless Chromium, offline: the book's trained models in the page.

A page laid out as the static book lays it out (tools/explorers_static.py: the explorers' modules
and the exported zoo models in ``_static/mlebook-explorers/data``) holds the playground. In it,
``window.mlebook.models[name].logProb`` must agree with Python's ``log_prob`` of the same trained
model within 0.01 nats on test digits, for every exported model; samples are binary and seeded;
the reader's mouse, keys and buttons change what it shows; completion keeps the observed pixels.
The page must also work opened from the disk (file://) and, as in Jupyter, from a Blob URL with
its weights sent by the Python widget.
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from mlebook import zoo
from mlebook.explorers import playground

from tests.browser_tools import OfflinePage, assert_every_control_acts, serve, wait_for_explorers, write_explorer_page, write_jupyter_page

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import explorers_static  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # loads the trained zoo models; about a minute

N_DIGITS = 60
TOLERANCE = 0.01  # nats


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("playground")
    explorers = write_explorer_page(folder, playground.ModelPlayground(digit=3, seed=2).placeholder_html(), "playground")
    playground.write_site_data(explorers / explorers_static.DATA)
    with serve(folder) as url:
        yield folder, url


def open_offline(browser, url, allowed):
    offline = OfflinePage(browser, allowed=(allowed,))
    page = offline.goto(url)
    wait_for_explorers(page, timeout=60_000)
    return offline, page


@pytest.fixture
def page(browser, site):
    _, url = site
    offline, page = open_offline(browser, url + "index.html", url)
    yield page
    offline.close()
    assert not offline.errors, f"errors in the page: {offline.errors}"
    assert not offline.outside, f"requests to other hosts: {offline.outside}"


def python_log_probs(name, images) -> np.ndarray:
    with torch.no_grad():
        return zoo.trained(name, progress=False).log_prob(np.asarray(images)).double().numpy()


def js_log_probs(page, name, images) -> np.ndarray:
    return np.array(page.evaluate("([name, xs]) => xs.map((x) => window.mlebook.models[name].logProb(x))", [name, np.asarray(images).tolist()]))


def shown(root, role) -> float:
    return float(root.locator(f'[data-role="{role}"]').inner_text().strip().rstrip("%"))


def drawn_image(root) -> np.ndarray:
    """The 28 x 28 bits the drawing canvas shows (ink is dark, hidden ink dark orange)."""
    reds = root.locator("canvas.mlebook-drawing").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, r = [];"
        " for (let i = 0; i < 784; i++) r.push(d[4 * (((i / 28 | 0) * 10 + 5) * c.width + (i % 28) * 10 + 5)]); return r; }")
    return (np.array(reds) < 200).astype(np.uint8)


def test_every_exported_model_scores_test_digits_as_python_does(page):
    digits = zoo.digits().test[:N_DIGITS]
    assert sorted(page.evaluate("() => Object.keys(window.mlebook.models)")) == sorted(playground.EXPORTS)
    for name in playground.EXPORTS:
        js, python = js_log_probs(page, name, digits), python_log_probs(name, digits)
        assert np.abs(js - python).max() < TOLERANCE, f"{name}: JS and Python differ by up to {np.abs(js - python).max():.4f} nats"


def test_the_readouts_are_log_p_bits_and_the_percentile_among_test_digits(page):
    root = page.locator(".mlebook-explorer")
    test = zoo.digits().test
    digit = test[3]
    for name in playground.EXPORTS:
        log_p = float(python_log_probs(name, digit[None])[0])
        all_test = python_log_probs(name, test)
        assert shown(root, f"logp-{name}") == pytest.approx(log_p, abs=0.006)
        assert shown(root, f"bits-{name}") == pytest.approx(-log_p / math.log(2), abs=0.06)
        assert shown(root, f"percentile-{name}") == pytest.approx(100 * np.mean(all_test < log_p), abs=0.1 + 1e-9)
    assert (drawn_image(root) == digit).all()


def test_samples_are_binary_and_the_same_seed_gives_the_same_sample(page):
    for name in playground.EXPORTS:
        first, again, other = page.evaluate("(name) => [3, 3, 4].map((s) => Array.from(window.mlebook.models[name].sample(s)))", name)
        assert len(first) == 784 and set(first) <= {0, 1}, name
        assert first == again and first != other, name


def test_drawing_with_the_mouse_changes_the_readouts_and_a_scribble_is_an_anomaly(page):
    root = page.locator(".mlebook-explorer")
    root.get_by_role("button", name="clear").click()
    before = root.locator('[data-role="readout"]').inner_text()
    box = root.locator("canvas.mlebook-drawing").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    for k in range(1, 13):  # a zigzag across the whole canvas
        page.mouse.move(box["x"] + 20 + k * 20, box["y"] + (240 if k % 2 else 20), steps=4)
    page.mouse.up()
    page.wait_for_function("(before) => document.querySelector('[data-role=readout]').innerText !== before", arg=before)
    image = drawn_image(root)
    assert image.sum() > 100
    page.wait_for_timeout(100)  # the last frame's update
    log_p = float(python_log_probs("nade", drawn_image(root)[None])[0])
    assert shown(root, "logp-nade") == pytest.approx(log_p, abs=0.006)
    assert shown(root, "percentile-nade") < 1.0, "NADE should score a scribble below nearly every test digit"


def test_completion_keeps_the_observed_pixels_and_fills_the_hidden_ones(page):
    root = page.locator(".mlebook-explorer")
    digit = zoo.digits().test[3].reshape(28, 28)
    root.get_by_label("hide a region").select_option("bottom")
    assert "392 pixels hidden" in root.locator('[data-role="hidden"]').inner_text()
    root.get_by_role("button", name="complete the hidden pixels with NADE").click()
    image = drawn_image(root).reshape(28, 28)
    assert (image[:14] == digit[:14]).all()
    assert "effective sample size 32.0 of 32" in root.locator('[data-role="completion"]').inner_text()  # nothing observed after a hidden pixel
    assert shown(root, "logp-nade") == pytest.approx(float(python_log_probs("nade", image.reshape(1, -1))[0]), abs=0.006)
    root.get_by_label("hide a region").select_option("top")  # observed pixels after the hidden ones: importance weights
    root.get_by_role("button", name="complete the hidden pixels with NADE").click()
    completed, image = image, drawn_image(root).reshape(28, 28)
    assert (image[14:] == completed[14:]).all()
    ess = float(root.locator('[data-role="completion"]').inner_text().split("effective sample size ")[1].split()[0])
    assert 1 <= ess <= 32


def test_every_control_changes_what_it_shows(page):
    assert assert_every_control_acts(page.locator(".mlebook-explorer"), "the playground") >= 8


def test_the_playground_works_from_the_disk(browser, site):
    folder, _ = site
    offline, page = open_offline(browser, (folder / "index.html").as_uri(), folder.as_uri())
    try:
        digits = zoo.digits().test[:5]
        for name in playground.EXPORTS:
            assert np.abs(js_log_probs(page, name, digits) - python_log_probs(name, digits)).max() < TOLERANCE
        assert not offline.errors and not offline.outside, offline.errors + offline.outside
    finally:
        offline.close()


# The kernel's side of the widget's custom message: answer with what the Python widget sent.
KERNEL_JS = """async (message) => {
    window.asked = message;
    const [content, bytes] = await Promise.all([fetch("weights.json").then((r) => r.json()), fetch("weights.bin").then((r) => r.arrayBuffer())]);
    (listeners["msg:custom"] || []).forEach((f) => f(content, [new DataView(bytes)]));
  }"""


def test_in_jupyter_the_widget_sends_the_weights_to_the_page(browser, tmp_path):
    widget = playground.ModelPlayground()
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, buffers))
    widget._answer(widget, {"request": "weights"}, [])
    (content, buffers), = sent
    (tmp_path / "weights.json").write_text(json.dumps(content))
    (tmp_path / "weights.bin").write_bytes(bytes(buffers[0]))
    assert widget.state()["weights_source"] == "kernel"
    write_jupyter_page(tmp_path, widget, KERNEL_JS)
    with serve(tmp_path) as url:
        offline = OfflinePage(browser, allowed=(url,))
        page = offline.goto(url + "index.html")
        try:
            page.wait_for_function("() => window.rendered === true", timeout=60_000)
            assert page.evaluate("() => window.asked") == {"request": "weights"}
            digits = zoo.digits().test[:5]
            assert np.abs(js_log_probs(page, "nade", digits) - python_log_probs("nade", digits)).max() < TOLERANCE
            assert not offline.errors and not offline.outside, offline.errors + offline.outside
        finally:
            offline.close()
