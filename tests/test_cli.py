"""Tests for the command line, run as `python -m mlebook` in a subprocess on tiny settings."""

import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from mlebook import cli, zoo
from mlebook.cli import main
from mlebook.data import load_binarized_mnist
from mlebook.models import FVSBN, MADE, NADE, ContextNADE, load
from mlebook.train import bits_per_dim, evaluate
from tests.processes import child_env, ignoring_sigint, obeying_file_modes, read_only_folder

pytestmark = pytest.mark.usefixtures("one_thread")


def mlebook(*args, tmp_path, popen=False, **options):
    """Run ``python -m mlebook ARGS`` in a child process (``popen``: start it and return the Popen)."""
    command = [sys.executable, "-m", "mlebook", *map(str, args)]
    if popen:
        return subprocess.Popen(command, env=child_env(tmp_path), text=True, **options)
    return subprocess.run(command, env=child_env(tmp_path), text=True, capture_output=True, timeout=240, **options)


def assert_one_line_error(run, status, *fragments):
    """The command failed with ``status`` and said why in one line of stderr naming every fragment."""
    assert run.returncode == status, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def exit_status(argv) -> int:
    """main(argv)'s exit status, whether it returns it or argparse exits."""
    try:
        return main(argv)
    except SystemExit as exit_info:
        return exit_info.code


@pytest.fixture(scope="module")
def trained_file(tmp_path_factory):
    """An FVSBN trained for one epoch on the embedded digits by the command line."""
    tmp_path = tmp_path_factory.mktemp("cli")
    out = tmp_path / "fvsbn.pt"
    run = mlebook("train", "fvsbn", "--data", "embedded", "--out", out, "--epochs", 1, "--lr", 0.01, "--quiet", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    return out, run.stdout


@pytest.mark.slow
def test_train_saves_a_loadable_model_with_its_history(trained_file):
    out, stdout = trained_file
    model = load(out)
    assert isinstance(model, FVSBN)
    assert model.extras["history"]["best_epoch"] == 1
    assert model.extras["data"] == ["embedded", "threshold", 0]
    test = evaluate(model, load_binarized_mnist().test)
    assert f"test NLL {test:.2f} nats" in stdout


@pytest.mark.slow
def test_eval_prints_test_nll_in_nats_and_bits_per_dim(trained_file, tmp_path):
    out, _ = trained_file
    run = mlebook("eval", out, "--data", "embedded", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    nll = evaluate(load(out), load_binarized_mnist().test)
    assert f"{nll:.2f} nats per image" in run.stdout
    assert f"{bits_per_dim(nll, 784):.4f} bits/dim" in run.stdout


@pytest.mark.slow
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
        (["train", "fvsbn", "--out", ""], "--out: must name a file"),
        (["train", "fvsbn", "--out", "m.pt", "--lr", "inf"], "--lr: must be a finite positive number, got inf"),
        (["train", "fvsbn", "--out", "m.pt", "--lr", "nan"], "--lr"),
        (["train", "fvsbn", "--out", "m.pt", "--time-limit", "inf"], "--time-limit"),
        (["train", "fvsbn", "--out", "m.pt", "--data-seed", "-1"], "--data-seed: must be a non-negative integer"),
        (["train", "fvsbn", "--out", "m.pt", "--seed", "-1"], "--seed"),
        (["sample", "m.pt", "--out", "s.jpgx"], "unknown image extension '.jpgx'"),
        (["sample", "m.pt", "--out", "s.png", "--scale", "100000"], "--scale 100000 makes a"),
        (["sample", "m.pt", "--out", "s.png", "--n", "100000000", "--scale", "1"], "--n 100000000"),
        (["train", "fvsbn", "--out", "m.pt", "--epochs", "0"], "positive integer"),
        (["train", "fvsbn", "--out", "m.pt", "--data", "cifar"], "invalid choice"),
        (["train", "fvsbn", "--out", "m.pt", "--hidden", "10"], "--hidden does not apply"),
        (["train", "nade", "--out", "m.pt", "--direct"], "--direct does not apply"),
        (["train", "nade", "--out", "m.pt", "--context-rows", "2"], "--context-rows does not apply"),
        (["train", "context-nade", "--out", "m.pt", "--dropout", "1.5", "--epochs", "1"], "dropout must be in [0, 1)"),
        (["train", "context-nade", "--out", "m.pt", "--context-units", "0"], "--context-units: must be a positive integer"),
        (["train", "nade", "--out", "m.pt", "--hidden", "10", "20", "--epochs", "1"], "one layer size"),
        (["eval", "missing.pt"], "missing.pt"),
        (["frobnicate"], "invalid choice"),
        ([], "COMMAND"),
    ],
)
def test_bad_arguments_give_a_one_line_usage_error(args, message, tmp_path, capsys):
    assert exit_status(args) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "error:" in error and message in error


@pytest.mark.slow
def test_model_options_reach_the_model(tmp_path):
    for model, hidden, check in [("nade", ["7"], lambda m: isinstance(m, NADE) and m.n_hidden == 7),
                                 ("made", ["9", "5", "--direct", "--orderings", "3"],
                                  lambda m: isinstance(m, MADE) and m.config["hidden_sizes"] == (9, 5) and m.direct and m.n_orderings == 3),
                                 ("context-nade", ["6", "--context-rows", "2", "--context-columns", "1", "--context-units", "5", "--dropout", "0.2"],
                                  lambda m: isinstance(m, ContextNADE) and m.n_hidden == 6 and m.window.shape[1] == 7
                                  and m.context_weight.shape == (5, 7) and m.dropout == 0.2)]:
        out = tmp_path / f"{model}.pt"
        assert main(["train", model, "--out", str(out), "--epochs", "1", "--hidden", *hidden, "--quiet"]) == 0
        assert check(load(out))


def test_bad_command_line_exits_non_zero_in_a_subprocess(tmp_path):
    run = mlebook("train", "fvsbn", "--out", tmp_path / "m.pt", "--lr", "-1", tmp_path=tmp_path)
    assert_one_line_error(run, 2, "--lr")


@pytest.mark.slow
@pytest.mark.parametrize("args, message", [(["made", "--hidden", 20, "--lr", "1e30"], "the training loss became"),
                                           (["fvsbn", "--lr", "1e38"], "the Adam step overflowed")])
def test_a_diverging_run_is_a_one_line_error(args, message, tmp_path):
    run = mlebook("train", *args, "--out", tmp_path / "m.pt", "--epochs", 2, "--quiet", tmp_path=tmp_path)
    assert_one_line_error(run, 1, f"error: {message}", "smaller learning rate")


@pytest.mark.parametrize("command", ["train", pytest.param("sample", marks=pytest.mark.slow)])
def test_an_unwritable_out_is_reported_before_any_work(command, tmp_path, request):
    """The folder is read-only for the child (file modes bind it even as root): one line, exit 2, at once."""
    folder = read_only_folder(tmp_path / "read-only")
    if command == "train":
        args = ["train", "fvsbn", "--out", folder / "m.pt", "--epochs", 1, "--quiet"]
    else:
        args = ["sample", request.getfixturevalue("trained_file")[0], "--out", folder / "s.png"]
    run = mlebook(*args, tmp_path=tmp_path, preexec_fn=obeying_file_modes)
    assert_one_line_error(run, 2, f"cannot write --out {folder}", "not writable")
    assert "parameters" not in run.stdout  # nothing was trained first


def test_an_out_that_is_a_folder_is_reported(tmp_path):
    run = mlebook("train", "fvsbn", "--out", tmp_path, "--epochs", 1, "--quiet", tmp_path=tmp_path)
    assert_one_line_error(run, 2, "is a folder")


def start_long_training(out, tmp_path):
    """A training run that only Ctrl-C ends, started as a background job of a shell would be: SIGINT ignored."""
    return mlebook("train", "fvsbn", "--out", out, "--epochs", 10_000, "--patience", 10_000, "--lr", 0.01, "--quiet",
                   tmp_path=tmp_path, popen=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=ignoring_sigint)


@pytest.mark.slow
def test_ctrl_c_keeps_the_best_checkpoint_and_exits_130(tmp_path):
    out = tmp_path / "long.pt"
    run = start_long_training(out, tmp_path)
    deadline = time.monotonic() + 180
    while not out.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert out.exists(), "training wrote no checkpoint"
    run.send_signal(signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    assert stderr.strip() == f"interrupted: the best model so far is in {out}"
    model = load(out)
    history = model.extras["history"]
    assert history["best_epoch"] >= 1
    val = evaluate(model, load_binarized_mnist().val)
    assert val == pytest.approx(history["val_nll"][history["best_epoch"] - 1], rel=1e-5)


def fake_fit(writes_checkpoint: bool):
    """A stand-in for train.fit that is interrupted by Ctrl-C, after writing a checkpoint or before."""

    def interrupted(model, *args, checkpoint=None, **options):
        if writes_checkpoint:
            model.save(checkpoint)
        raise KeyboardInterrupt

    return interrupted


@pytest.mark.slow
@pytest.mark.parametrize("writes_checkpoint", [False, True])
def test_the_ctrl_c_message_names_a_checkpoint_only_if_this_run_wrote_it(writes_checkpoint, tmp_path, monkeypatch, capsys):
    import mlebook.train

    out = tmp_path / "old.pt"
    FVSBN(784, seed=7).save(out)  # an older, unrelated model
    old = out.read_bytes()
    monkeypatch.setattr(mlebook.train, "fit", fake_fit(writes_checkpoint))
    assert main(["train", "fvsbn", "--out", str(out), "--quiet"]) == 130
    message = capsys.readouterr().err.strip()
    if writes_checkpoint:
        assert message == f"interrupted: the best model so far is in {out}"
    else:
        assert "nothing was saved" in message and "best model" not in message and "was there before" in message
        assert out.read_bytes() == old


def test_ctrl_c_in_zoo_is_one_line_and_exit_130(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MLEBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(zoo, "digits", lambda: SimpleNamespace(test=None))  # no data needed: Ctrl-C comes first

    def interrupted(**options):
        raise KeyboardInterrupt

    monkeypatch.setattr(zoo, "trained_all", interrupted)
    assert main(["zoo"]) == 130
    assert capsys.readouterr().err.strip() == f"interrupted: the models trained so far stay in the cache {tmp_path / 'cache'}"


def test_ctrl_c_raises_even_when_the_shell_ignored_sigint():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with cli._ctrl_c_interrupts():
            with pytest.raises(KeyboardInterrupt):
                signal.raise_signal(signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # restored afterwards
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.slow
def test_zoo_command_trains_and_lists_every_model(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MLEBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(zoo, "RECIPES", {name: zoo.Recipe("independent", {"alpha": 1.0}) for name in zoo.NAMES})
    assert main(["zoo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines if line.split() and line.split()[0] in zoo.NAMES]
    assert [row[0] for row in rows] == list(zoo.NAMES)
    nll = evaluate(zoo.trained("independent"), load_binarized_mnist().test)
    assert all(row[2] == f"{nll:.2f}" for row in rows)
