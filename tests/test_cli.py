"""Tests for the command line, run as `python -m mlebook` in a subprocess on tiny settings."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mlebook import zoo
from mlebook.cli import main
from mlebook.data import load_binarized_mnist
from mlebook.models import FVSBN, MADE, NADE, load
from mlebook.train import bits_per_dim, evaluate

REPO = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("one_thread")


def mlebook(*args, tmp_path, **popen):
    env = {**os.environ, "PYTHONPATH": str(REPO), "MLEBOOK_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "mlebook", *map(str, args)]
    if popen:
        return subprocess.Popen(command, env=env, text=True, **popen)
    return subprocess.run(command, env=env, text=True, capture_output=True, timeout=240)


@pytest.fixture(scope="module")
def trained_file(tmp_path_factory):
    """An FVSBN trained for one epoch on the embedded digits by the command line."""
    tmp_path = tmp_path_factory.mktemp("cli")
    out = tmp_path / "fvsbn.pt"
    run = mlebook("train", "fvsbn", "--data", "embedded", "--out", out, "--epochs", 1, "--lr", 0.01, "--quiet", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    return out, run.stdout


def test_train_saves_a_loadable_model_with_its_history(trained_file):
    out, stdout = trained_file
    model = load(out)
    assert isinstance(model, FVSBN)
    assert model.extras["history"]["best_epoch"] == 1
    assert model.extras["data"] == ["embedded", "threshold", 0]
    test = evaluate(model, load_binarized_mnist().test)
    assert f"test NLL {test:.2f} nats" in stdout


def test_eval_prints_test_nll_in_nats_and_bits_per_dim(trained_file, tmp_path):
    out, _ = trained_file
    run = mlebook("eval", out, "--data", "embedded", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    nll = evaluate(load(out), load_binarized_mnist().test)
    assert f"{nll:.2f} nats per image" in run.stdout
    assert f"{bits_per_dim(nll, 784):.4f} bits/dim" in run.stdout


def test_sample_writes_a_png_grid(trained_file, tmp_path):
    out, _ = trained_file
    png = tmp_path / "grid.png"
    run = mlebook("sample", out, "--n", 4, "--out", png, "--seed", 1, "--scale", 2, tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    image = np.asarray(Image.open(png).convert("L"))
    assert image.shape == (2 * (2 * 29 + 1), 2 * (2 * 29 + 1))  # 2 x 2 digits, 1-pixel borders, scaled 2x
    # The same seed draws the same images.
    again = tmp_path / "again.png"
    mlebook("sample", out, "--n", 4, "--out", again, "--seed", 1, tmp_path=tmp_path)
    assert np.array_equal(image, np.asarray(Image.open(again).convert("L")))


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "vae", "--out", "m.pt"], "invalid choice"),
        (["train", "fvsbn"], "--out"),
        (["train", "fvsbn", "--out", "m.pt", "--epochs", "0"], "positive integer"),
        (["train", "fvsbn", "--out", "m.pt", "--data", "cifar"], "invalid choice"),
        (["train", "fvsbn", "--out", "m.pt", "--hidden", "10"], "--hidden does not apply"),
        (["train", "nade", "--out", "m.pt", "--direct"], "--direct does not apply"),
        (["train", "nade", "--out", "m.pt", "--hidden", "10", "20", "--epochs", "1"], "one layer size"),
        (["eval", "missing.pt"], "missing.pt"),
        (["frobnicate"], "invalid choice"),
        ([], "COMMAND"),
    ],
)
def test_bad_arguments_give_a_usage_error(args, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "usage:" in error and message in error


def test_model_options_reach_the_model(tmp_path):
    for model, hidden, check in [("nade", ["7"], lambda m: isinstance(m, NADE) and m.n_hidden == 7),
                                 ("made", ["9", "5", "--direct", "--orderings", "3"],
                                  lambda m: isinstance(m, MADE) and m.config["hidden_sizes"] == (9, 5) and m.direct and m.n_orderings == 3)]:
        out = tmp_path / f"{model}.pt"
        assert main(["train", model, "--out", str(out), "--epochs", "1", "--hidden", *hidden, "--quiet"]) == 0
        assert check(load(out))


def test_bad_command_line_exits_non_zero_in_a_subprocess(tmp_path):
    run = mlebook("train", "fvsbn", "--out", tmp_path / "m.pt", "--lr", "-1", tmp_path=tmp_path)
    assert run.returncode == 2
    assert "usage:" in run.stderr and "--lr" in run.stderr


def test_ctrl_c_keeps_the_best_checkpoint_and_exits_130(tmp_path):
    out = tmp_path / "long.pt"
    run = mlebook("train", "fvsbn", "--out", out, "--epochs", 10_000, "--patience", 10_000, "--lr", 0.01, "--quiet",
                  tmp_path=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while not out.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert out.exists(), "training wrote no checkpoint"
    run.send_signal(signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    assert "interrupted" in stderr and str(out) in stderr
    model = load(out)
    history = model.extras["history"]
    assert history["best_epoch"] >= 1
    val = evaluate(model, load_binarized_mnist().val)
    assert val == pytest.approx(history["val_nll"][history["best_epoch"] - 1], rel=1e-5)


def test_zoo_command_trains_and_lists_every_model(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MLEBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(zoo, "RECIPES", {name: zoo.Recipe("independent", {"alpha": 1.0}) for name in zoo.NAMES})
    assert main(["zoo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines if line.split() and line.split()[0] in zoo.NAMES]
    assert [row[0] for row in rows] == list(zoo.NAMES)
    nll = evaluate(zoo.trained("independent"), load_binarized_mnist().test)
    assert all(row[2] == f"{nll:.2f}" for row in rows)
