"""The model playground's Python side: the export of models as data, its files, and the widget.

Small models of every exported class, with random weights, go through :func:`export_models` and
the page's scorers under node (``tests/js/score_bundle.mjs``); their log p must match Python's
``log_prob``. The trained zoo models are compared in Chromium (tests/test_browser_playground.py).
"""

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from mlebook.explorers import playground
from mlebook.models import FVSBN, MADE, NADE, IndependentBernoulli, MixtureOfBernoullis

SCORE = Path(__file__).resolve().parent / "js" / "score_bundle.mjs"
D = 784


def random_models():
    """One small model of each exported class, its weights drawn so that logits are far from 0."""
    built = {
        "independent": IndependentBernoulli(D),
        "mixture": MixtureOfBernoullis(D, n_components=4),
        "fvsbn": FVSBN(D),
        "nade": NADE(D, n_hidden=12),
        "made": MADE(D, hidden_sizes=[20], n_orderings=3, direct=True, seed=1),
    }
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for model in built.values():
            for parameter in model.parameters():
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.3)
    return built


def score_in_node(manifest, blob, images, seeds, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js (tools/install.sh does)")
    sizes = playground.write_bundle(tmp_path, json.dumps(manifest), blob)
    assert set(sizes) == {"playground.json", "playground.bin", "playground.data.js"}
    result = subprocess.run([node, str(SCORE), str(tmp_path / "playground.json"), str(tmp_path / "playground.bin")],
                            input=json.dumps({"images": np.asarray(images).tolist(), "seeds": seeds}), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_page_scores_exported_models_as_python_does(tmp_path):
    rng = np.random.default_rng(0)
    images = (rng.random((60, D)) < rng.uniform(0.05, 0.6, size=(60, 1))).astype(np.uint8)
    models = random_models()
    manifest, blob = playground.export_models(models, images[:10], np.arange(10))
    out = score_in_node(manifest, blob, images, [1, 1, 0], tmp_path)
    for name, model in models.items():
        with torch.no_grad():
            python = model.log_prob(images).double().numpy()
        js = np.array(out["log_probs"][name])
        assert np.abs(js - python).max() < 1e-3, f"{name}: up to {np.abs(js - python).max()} nats apart"
        first, again, other = out["samples"][name]
        assert len(first) == D and set(first) <= {0, 1} and first == again != other, name


def test_the_manifest_names_aligned_tensors_the_sorted_test_scores_and_the_packed_digits():
    rng = np.random.default_rng(1)
    test = (rng.random((9, D)) < 0.2).astype(np.uint8)
    models = random_models()
    manifest, blob = playground.export_models(models, test, np.arange(9) % 10)
    assert manifest["format"] == playground.FORMAT and manifest["byte_length"] == len(blob)
    assert [entry["name"] for entry in manifest["models"]] == list(playground.EXPORTS)
    for entry in manifest["models"]:
        assert entry["kind"] == playground.EXPORTS[entry["name"]].kind
        for ref in [*entry["tensors"].values(), entry["test_log_probs"]]:
            assert ref["offset"] % 4 == 0 and ref["offset"] + np.prod(ref["shape"]) * (1 if ref["dtype"] == "uint8" else 4) <= len(blob)
        ref = entry["test_log_probs"]
        stored = np.frombuffer(blob, "<f4", count=ref["shape"][0], offset=ref["offset"])
        with torch.no_grad():
            expected = np.sort(models[entry["name"]].log_prob(test).numpy())
        np.testing.assert_allclose(stored, expected, rtol=1e-6)
    nade = next(entry for entry in manifest["models"] if entry["name"] == "nade")["tensors"]["weight_t"]
    stored = np.frombuffer(blob, "<f4", count=D * 12, offset=nade["offset"]).reshape(D, 12)
    np.testing.assert_array_equal(stored, models["nade"].weight_t.detach().numpy())
    digits = manifest["test"]["digits"]
    packed = np.frombuffer(blob, np.uint8, count=9 * 98, offset=digits["offset"]).reshape(9, 98)
    np.testing.assert_array_equal(np.unpackbits(packed, axis=1)[:, :D], test)


def test_made_degrees_rebuild_its_masks_and_only_one_hidden_layer_exports():
    made = random_models()["made"]
    tensors = playground.EXPORTS["made"].tensors(made)
    for k in range(made.n_orderings):
        d = torch.from_numpy(tensors["input_degrees"][k]).long()
        m = torch.from_numpy(tensors["hidden_degrees"][k]).long()
        assert torch.equal(m[:, None] >= d[None, :], made.masks_0[k].bool())
        assert torch.equal(d[:, None] > m[None, :], made.masks_1[k].bool())
    with pytest.raises(ValueError, match="one hidden layer"):
        playground.EXPORTS["made"].tensors(MADE(8, hidden_sizes=[5, 5]))


def test_bad_exports_say_what_is_wrong():
    test = np.zeros((3, D), dtype=np.uint8)
    with pytest.raises(ValueError, match="no export for 'gan'"):
        playground.export_models({"gan": IndependentBernoulli(D)}, test)
    with pytest.raises(ValueError, match="needs a NADE"):
        playground.export_models({"nade": FVSBN(D)}, test)
    with pytest.raises(ValueError, match="10 pixels"):
        playground.export_models({"independent": IndependentBernoulli(10)}, test)
    with pytest.raises(ValueError, match="at least one model"):
        playground.export_models({}, test)
    with pytest.raises(ValueError):
        playground.export_models({"independent": IndependentBernoulli(D)}, np.full((3, D), 2))


def test_the_site_files_hold_the_same_bytes_for_http_and_for_the_disk(tmp_path):
    manifest, blob = playground.export_models({"independent": IndependentBernoulli(D)}, np.eye(2, D, dtype=np.uint8))
    sizes = playground.write_bundle(tmp_path, json.dumps(manifest), blob)
    assert (tmp_path / "playground.bin").read_bytes() == blob and sizes["playground.bin"] == len(blob)
    assert json.loads((tmp_path / "playground.json").read_text()) == manifest
    script = (tmp_path / "playground.data.js").read_text()
    match = re.fullmatch(r'mlebookPlaygroundData\((\{.*\}), "([A-Za-z0-9+/=]*)"\);\n', script, flags=re.S)
    assert match and json.loads(match.group(1)) == manifest and base64.b64decode(match.group(2)) == blob
    assert sorted(p.name for p in tmp_path.iterdir()) == ["playground.bin", "playground.data.js", "playground.json"]


def test_the_widget_state_its_static_placeholder_and_its_answer_to_the_page(monkeypatch):
    widget = playground.ModelPlayground(digit=4, seed=9, sample_model="fvsbn")
    state = widget.state()
    assert state["models"] == list(playground.EXPORTS) and state["digit"] == 4 and state["seed"] == 9
    assert state["weights_source"] == "kernel" and state["sample_model"] == "fvsbn"
    markup = widget.placeholder_html()
    placed = json.loads(__import__("html").unescape(re.search(r'data-state="([^"]*)"', markup).group(1)))
    assert placed == {**state, "weights_source": "site"} and widget.weights_source == "kernel"
    manifest, blob = playground.export_models({"independent": IndependentBernoulli(D)}, np.eye(2, D, dtype=np.uint8))
    monkeypatch.setattr(playground, "zoo_bundle", lambda: (json.dumps(manifest), blob))
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, buffers))
    widget._answer(widget, {"request": "something else"}, [])
    widget._answer(widget, {"request": "weights"}, [])
    assert sent == [({"weights": manifest}, [blob])]


@pytest.mark.parametrize("arguments, message", [
    ({"digit": 1000}, "digit must be"), ({"digit": -1}, "digit must be"), ({"digit": 1.5}, "digit must be"),
    ({"seed": -3}, "seed must be"), ({"sample_model": "gan"}, "sample_model must be one of"),
])
def test_the_widget_refuses_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        playground.ModelPlayground(**arguments)
