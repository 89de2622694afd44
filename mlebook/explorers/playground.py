"""The model playground: the book's trained models, exported as data, scored and sampled in the page.

The reader draws a 28 x 28 digit (or picks a test digit) and every exported model shows, computed
in the page from its weights,

    log p(x) in nats,   the ideal code length -log2 p(x) = -log p(x) / log 2 in bits,

and the share of the test digits whose log p is lower (a percentile: a scribble sits near 0 %).
NADE also shows its conditionals P(x_i = 1 | x_<i), draws new digits (seeded) and completes
hidden pixels (``js/lib/scorers.js`` says how, with importance resampling).

**The export** is data, not code: :func:`export_models` writes every model's tensors as
little-endian float32 (int32 for orderings and degrees, uint8 for the packed test digits) into one
buffer, and a JSON manifest names each tensor's offset, type and shape. ``EXPORTS`` is the
registry: one entry per exported zoo model, a JS scorer ``kind`` (``SCORERS[kind]`` in
``js/lib/scorers.js``) and the function that takes the model's tensors. A new model is one entry
here and one scorer there.

**Where the page gets it.** The static book: :func:`write_site_data` (called by the book build,
``tools/explorers_static.py``) writes ``playground.json`` + ``playground.bin`` (fetched over
http) and ``playground.data.js`` (the same bytes in base64 inside one call,
``mlebookPlaygroundData(manifest, base64)``, loaded as a classic script by pages opened from the
disk, where browsers refuse to fetch files). Jupyter: the widget asks its kernel with a custom
message and :class:`ModelPlayground` answers with the manifest and the buffer as a binary
message buffer (not a synced traitlet, so a saved notebook does not carry megabytes of weights).
"""

from __future__ import annotations

import base64
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import traitlets

from .. import zoo
from ..checks import binary_images
from ..models import FVSBN, MADE, NADE, IndependentBernoulli, MixtureOfBernoullis
from .base import Explorer

FORMAT = "mlebook-playground"
VERSION = 1
SIDE = 28
SITE_NAME = "playground"  # playground.json, playground.bin, playground.data.js
_DTYPES = {"float32": np.dtype("<f4"), "int32": np.dtype("<i4"), "uint8": np.dtype("u1")}


def _float32(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().astype("<f4")


def _expect(model, cls, name: str):
    if not isinstance(model, cls):
        raise ValueError(f"the {name} export needs a {cls.__name__}, got {type(model).__name__}")


def _independent(model) -> dict:
    """logits l_i: p(x_i = 1) = sigmoid(l_i)."""
    _expect(model, IndependentBernoulli, "independent")
    return {"logits": _float32(model.logits)}


def _mixture(model) -> dict:
    """mean_logits (K, D): mu_ki = sigmoid(.); log_weights (K,): log pi_k."""
    _expect(model, MixtureOfBernoullis, "mixture")
    return {"mean_logits": _float32(model.mean_logits), "log_weights": _float32(model.log_weights)}


def _fvsbn(model) -> dict:
    """bias (D,) and the strictly lower triangle of W, row by row: W_ij for j < i at i(i-1)/2 + j."""
    _expect(model, FVSBN, "fvsbn")
    rows, cols = np.tril_indices(model.n_dims, k=-1)
    return {"bias": _float32(model.bias), "lower": _float32(model.weight)[rows, cols]}


def _nade(model) -> dict:
    """weight_t (D, H): row j is W_{:, j}; c (H,); v (D, H); b (D,)."""
    _expect(model, NADE, "nade")
    return {"weight_t": _float32(model.weight_t), "c": _float32(model.c), "v": _float32(model.v), "b": _float32(model.b)}


def _made(model) -> dict:
    """The weights of a one-hidden-layer MADE and, per ordering k, the degrees its masks come from.

    Input pixel i has degree d_ki (its position in ordering k, 1..D), hidden unit j degree m_kj; the
    masks are [m_kj >= d_ki] (input -> hidden), [d_ki > m_kj] (hidden -> output) and
    [d_ki > d_kl] (direct). Since the d_k are a permutation of 1..D, m_kj is the number of inputs
    hidden unit j sees; the masks rebuilt from the degrees are checked against the model's own.
    """
    _expect(model, MADE, "made")
    if len(model.weights) != 2:
        raise ValueError(f"the made export handles one hidden layer, this MADE has {len(model.weights) - 1}")
    d, k_orders = model.n_dims, model.n_orderings
    input_degrees = np.empty((k_orders, d), dtype="<i4")
    hidden_degrees = np.empty((k_orders, len(model.biases[0])), dtype="<i4")
    for k in range(k_orders):
        input_degrees[k, model.orders[k].numpy()] = np.arange(1, d + 1)
        hidden_degrees[k] = model.masks_0[k].sum(dim=1).numpy()
        din, dh = torch.from_numpy(input_degrees[k]).long(), torch.from_numpy(hidden_degrees[k]).long()
        rebuilt = [dh[:, None] >= din[None, :], din[:, None] > dh[None, :]]
        same = torch.equal(rebuilt[0], model.masks_0[k].bool()) and torch.equal(rebuilt[1], model.masks_1[k].bool())
        if model.direct:
            same = same and torch.equal(din[:, None] > din[None, :], model.direct_masks[k].bool())
        if not same:
            raise ValueError(f"MADE ordering {k}: its masks are not those of any degrees; cannot export it")
    tensors = {
        "w1": _float32(model.weights[0]), "b1": _float32(model.biases[0]),
        "w2": _float32(model.weights[1]), "b2": _float32(model.biases[1]),
        "input_degrees": input_degrees, "hidden_degrees": hidden_degrees,
    }
    if model.direct:
        tensors["direct"] = _float32(model.direct_weight)
    return tensors


@dataclass(frozen=True)
class Export:
    """How one zoo model goes to the page: ``kind`` names its JS scorer (``SCORERS[kind]`` in
    ``js/lib/scorers.js``), ``tensors(model)`` returns its named arrays."""

    kind: str
    tensors: Callable[[object], dict]


EXPORTS = {
    "independent": Export("independent", _independent),
    "mixture": Export("mixture", _mixture),
    "fvsbn": Export("fvsbn", _fvsbn),
    "nade": Export("nade", _nade),
    "made": Export("made", _made),
}


class _Buffer:
    """Arrays laid end to end, each at a multiple of 4 bytes; ``add`` returns its manifest entry."""

    def __init__(self):
        self.parts, self.length = [], 0

    def add(self, array: np.ndarray) -> dict:
        dtype = next((name for name, t in _DTYPES.items() if np.dtype(array.dtype) == t), None)
        if dtype is None:
            raise ValueError(f"cannot export an array of type {array.dtype}")
        data = np.ascontiguousarray(array, dtype=_DTYPES[dtype]).tobytes()
        entry = {"offset": self.length, "dtype": dtype, "shape": list(array.shape)}
        padding = -len(data) % 4
        self.parts.append(data + bytes(padding))
        self.length += len(data) + padding
        return entry

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def export_models(models: dict, test_digits, test_labels=None, names: dict | None = None) -> tuple[dict, bytes]:
    """(manifest, buffer) for the page: each model of ``models`` ({zoo name: model}, each in
    ``EXPORTS``) with its tensors and its log p of every test digit in nats, sorted (the page's
    percentiles), and the test digits themselves (bits packed 8 to a byte, the pixel order the
    images use, most significant bit first) with their labels."""
    test = binary_images(test_digits, name="test_digits", min_count=1)
    if not models:
        raise ValueError("export_models needs at least one model")
    n_dims = test.shape[1]
    buffer = _Buffer()
    entries = []
    for name, model in models.items():
        if name not in EXPORTS:
            raise ValueError(f"no export for {name!r}; EXPORTS has {', '.join(EXPORTS)}")
        if model.n_dims != n_dims:
            raise ValueError(f"{name} models {model.n_dims} pixels, the test digits have {n_dims}")
        export = EXPORTS[name]
        with torch.no_grad():
            log_p = model.log_prob(test).double().numpy()
        tensors = {key: buffer.add(array) for key, array in export.tensors(model).items()}
        entries.append({
            "name": name, "kind": export.kind, "display": (names or zoo.DISPLAY_NAMES).get(name, name),
            "n_dims": n_dims, "tensors": tensors,
            "test_log_probs": buffer.add(np.sort(log_p).astype("<f4")),
        })
    labels = np.zeros(len(test), dtype=np.uint8) if test_labels is None else np.asarray(test_labels).astype(np.uint8)
    manifest = {
        "format": FORMAT, "version": VERSION, "n_dims": n_dims,
        "test": {"n": len(test), "digits": buffer.add(np.packbits(test, axis=1)), "labels": buffer.add(labels)},
        "models": entries,
    }
    blob = buffer.bytes()
    manifest["byte_length"] = len(blob)
    return manifest, blob


@functools.lru_cache(maxsize=1)
def zoo_bundle() -> tuple[str, bytes]:
    """(manifest as JSON text, buffer) of every model in ``EXPORTS`` as the zoo trained it, with the
    zoo's test digits; computed once per process."""
    digits = zoo.digits()
    models = {name: zoo.trained(name, progress=False) for name in EXPORTS}
    manifest, blob = export_models(models, digits.test, digits.test_labels)
    return json.dumps(manifest, separators=(",", ":")), blob


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def write_bundle(folder, manifest_json: str, blob: bytes) -> dict:
    """Write ``playground.json``, ``playground.bin`` and ``playground.data.js`` into ``folder``
    (each to a temporary name, then renamed); returns {file name: size in bytes}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        f"{SITE_NAME}.json": manifest_json.encode("utf-8"),
        f"{SITE_NAME}.bin": blob,
        # a classic script for pages opened from the disk: the same manifest and bytes, as data
        f"{SITE_NAME}.data.js": (f"mlebookPlaygroundData({manifest_json}, \"{base64.b64encode(blob).decode('ascii')}\");\n").encode("ascii"),
    }
    for name, data in files.items():
        _write_atomically(folder / name, data)
    return {name: len(data) for name, data in files.items()}


def write_site_data(folder) -> dict:
    """The zoo's exported models in ``folder`` (the site's ``mlebook-explorers/data``)."""
    return write_bundle(folder, *zoo_bundle())


class ModelPlayground(Explorer):
    """Draw a digit and watch each exported model score it; sample and complete digits with NADE.

    ``digit`` is the test digit shown first (0-based), ``seed`` the first seed of the sampler,
    ``sample_model`` the model the grid samples from. The weights are not part of the state: the
    static book loads them from the site, Jupyter from this kernel (a custom message).
    """

    module = "playground"
    models = traitlets.List(traitlets.Unicode()).tag(sync=True)
    digit = traitlets.Int(0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    sample_model = traitlets.Unicode("nade").tag(sync=True)
    weights_source = traitlets.Unicode("kernel").tag(sync=True)

    def __init__(self, digit: int = 0, seed: int = 0, sample_model: str = "nade", **kwargs):
        names = list(EXPORTS)
        if sample_model not in names:
            raise ValueError(f"sample_model must be one of {', '.join(names)}, got {sample_model!r}")
        n_test = len(zoo.digits().test)
        if isinstance(digit, bool) or not isinstance(digit, (int, np.integer)) or not 0 <= digit < n_test:
            raise ValueError(f"digit must be an integer in [0, {n_test - 1}] (a test digit), got {digit!r}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**31:
            raise ValueError(f"seed must be an integer in [0, 2^31), got {seed!r}")
        super().__init__(models=names, digit=int(digit), seed=int(seed), sample_model=sample_model, **kwargs)
        self.on_msg(self._answer)

    def _answer(self, widget, content, buffers) -> None:
        """The page asks {"request": "weights"}; the answer carries the manifest and the buffer."""
        if isinstance(content, dict) and content.get("request") == "weights":
            manifest_json, blob = zoo_bundle()
            self.send({"weights": json.loads(manifest_json)}, buffers=[blob])

    def static_state(self) -> dict:
        """The static book's state: the page loads the weights from the site."""
        return {**self.state(), "weights_source": "site"}
