"""Tests for mlebook.zoo: the cache of trained models, its key and its lock."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from mlebook import models, zoo
from mlebook.data import load_binarized_mnist
from mlebook.train import History, evaluate

REPO = Path(__file__).resolve().parents[1]
TINY = zoo.Recipe("fvsbn", {"seed": 0}, epochs=1, lr=1e-2)


pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MLEBOOK_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_every_recipe_builds_its_model_with_its_options():
    """What trained() would build, before training: the recipe's class, with the recipe's options."""
    for name, recipe in zoo.RECIPES.items():
        model = models.MODELS[recipe.model](784, **recipe.options)
        for option, value in recipe.options.items():
            expected = tuple(value) if isinstance(value, list) else value
            assert model.config[option] == expected, (name, option)
        assert model.n_dims == 784 and model.n_parameters() > 0
    assert set(zoo.DISPLAY_NAMES) == set(zoo.NAMES)  # the chapters can name every model


def test_recipes_are_reproducible_and_bounded():
    """Every iterative recipe stops by early stopping or an epoch cap, never by the clock, so the
    book's models (and numbers) do not depend on how busy the machine was."""
    for name, recipe in zoo.RECIPES.items():
        assert recipe.time_limit is None, name
        if name != "independent":
            assert recipe.epochs is not None and recipe.patience is not None, name


def test_cache_dir_follows_the_environment(private_cache, monkeypatch):
    assert zoo.cache_dir() == private_cache
    monkeypatch.delenv("MLEBOOK_CACHE")
    assert zoo.cache_dir() == Path.home() / ".cache" / "mlebook" / "models"


@pytest.mark.slow
def test_trained_model_is_cached_and_reloaded(private_cache, monkeypatch):
    model = zoo.trained("fvsbn", recipe=TINY, progress=False)
    files = list(private_cache.glob("fvsbn-*.pt"))
    assert files == [zoo.cache_path("fvsbn", TINY)]
    assert not model.training
    assert isinstance(model.history, History) and len(model.history.train_nll) == 1
    assert model.train_seconds == pytest.approx(model.history.total_seconds)

    def no_training(*args, **kwargs):
        raise AssertionError("a cached model was trained again")

    monkeypatch.setattr(zoo, "train_recipe", no_training)
    again = zoo.trained("fvsbn", recipe=TINY)
    test = load_binarized_mnist().test[:200]
    assert torch.equal(again.log_prob(test), model.log_prob(test))
    assert again.history == model.history


@pytest.mark.slow
def test_trained_model_matches_a_direct_fit():
    """The zoo adds caching only: the model equals one fitted by hand with the same recipe."""
    from mlebook.train import fit

    data = load_binarized_mnist()
    by_hand = models.FVSBN(784, seed=0)
    fit(by_hand, data.train, data.val, epochs=1, lr=1e-2, progress=False, device="cpu")
    cached = zoo.trained("fvsbn", recipe=TINY, progress=False)
    assert evaluate(cached, data.test) == pytest.approx(evaluate(by_hand, data.test), rel=1e-5)


def test_cache_key_changes_with_the_recipe_and_the_models_own_code(tmp_path, monkeypatch):
    key = zoo.cache_key(TINY)
    assert zoo.cache_key(TINY) == key
    assert zoo.cache_key(zoo.Recipe("fvsbn", {"seed": 0}, epochs=2, lr=1e-2)) != key
    assert zoo.cache_key(zoo.Recipe("fvsbn", {"seed": 1}, epochs=1, lr=1e-2)) != key
    files = zoo._code_files("fvsbn")
    names = {path.name for path in files}
    assert {"fvsbn.py", "base.py", "train.py"} <= names and "nade.py" not in names and "zoo.py" not in names
    # Copies of the files in another folder give the same key (a move retrains nothing) ...
    copies = []
    for path in files:
        copy = tmp_path / path.parent.name / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    monkeypatch.setattr(zoo, "_code_files", lambda model: copies)
    assert zoo.cache_key(TINY) == key
    # ... so does a new comment or docstring, but one more line of code gives another.
    source = copies[0].read_text()
    copies[0].write_text(source.replace('"""', '"""Reworded. ', 1) + "\n# a comment\n")
    assert zoo.cache_key(TINY) == key
    copies[0].write_text(source + "\nCHANGED = 1\n")
    assert zoo.cache_key(TINY) != key


def test_other_models_code_does_not_change_the_key():
    nade_files = set(zoo._code_files("nade"))
    assert all(path.name != "nade.py" for path in zoo._code_files("independent"))
    assert any(path.name == "nade.py" for path in nade_files)


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncate", "flip a byte", "drop the checksum"])
def test_a_damaged_cache_file_is_reported_and_trained_again(private_cache, capsys, damage):
    zoo.trained("fvsbn", recipe=TINY, progress=False)
    path = zoo.cache_path("fvsbn", TINY)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip a byte":
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    else:
        path.with_name(path.name + ".sha256").unlink()
    assert not zoo.is_cached("fvsbn", TINY)
    healed = zoo.trained("fvsbn", recipe=TINY, progress=False)
    assert "training it again" in capsys.readouterr().err
    assert zoo.is_cached("fvsbn", TINY)
    test = load_binarized_mnist().test[:50]
    assert torch.isfinite(healed.log_prob(test)).all()
    assert zoo.trained("fvsbn", recipe=TINY, progress=False).history == healed.history


def test_a_waiter_on_the_lock_says_what_it_waits_for(private_cache, monkeypatch, capsys):
    """Another process holds the model's lock (as a training run would) for two seconds."""
    monkeypatch.setattr(zoo, "LOCK_NOTICE_SECONDS", 0.2)
    lock = zoo.cache_path("fvsbn", TINY).with_name(zoo.cache_path("fvsbn", TINY).name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import filelock, time\nwith filelock.FileLock({str(lock)!r}):\n    print('held', flush=True)\n    time.sleep(2)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    zoo.trained("fvsbn", recipe=TINY, progress=False)
    holder.wait(timeout=30)
    assert "waiting for another process that is training fvsbn" in capsys.readouterr().err


def test_unknown_names_raise_value_error():
    with pytest.raises(ValueError, match="unknown model 'vae'"):
        zoo.trained("vae")
    with pytest.raises(ValueError, match="unknown model class"):
        zoo.trained("mine", recipe=zoo.Recipe("vae"))


def test_trained_all_returns_every_model_in_order(monkeypatch):
    tiny = {name: zoo.Recipe("independent") for name in zoo.NAMES}
    monkeypatch.setattr(zoo, "RECIPES", tiny)
    everything = zoo.trained_all(progress=False)
    assert tuple(everything) == zoo.NAMES
    assert all(isinstance(model, models.IndependentBernoulli) for model in everything.values())


@pytest.mark.slow
def test_two_processes_train_a_model_once(private_cache, tmp_path):
    """Both processes get the model; the file lock lets only the first one train it."""
    log = tmp_path / "trainings.log"
    script = textwrap.dedent(
        f"""
        import time
        from mlebook import zoo
        train_recipe = zoo.train_recipe
        def logged(recipe, progress=True):
            with open({str(log)!r}, "a") as file:
                file.write("trained\\n")
            time.sleep(1.0)
            return train_recipe(recipe, progress=False)
        zoo.train_recipe = logged
        model = zoo.trained("independent", recipe=zoo.Recipe("independent", {{"alpha": 2.0}}))
        print(float(model.log_prob(model.sample(1, generator=__import__("torch").Generator().manual_seed(0)))))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "MLEBOOK_CACHE": str(private_cache), "OMP_NUM_THREADS": "1"}
    runs = [subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=240)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert log.read_text().count("trained") == 1
    assert outputs[0] == outputs[1]
    assert len(list(private_cache.glob("independent-*.pt"))) == 1


@pytest.mark.slow
def test_models_trained_in_parallel_processes_equal_those_trained_one_by_one(private_cache, tmp_path, monkeypatch):
    """jobs > 1 trains each model in a process of its own; the cached models are the same."""
    work = [("fvsbn", TINY), ("mixture", zoo.Recipe("mixture", {"n_components": 3, "seed": 1}, epochs=2))]
    zoo._train_in_processes(work, jobs=2, progress=False)
    parallel = {name: zoo.trained(name, recipe) for name, recipe in work}
    monkeypatch.setenv("MLEBOOK_CACHE", str(tmp_path / "serial"))
    test = load_binarized_mnist().test[:100]
    for name, recipe in work:
        assert not zoo.is_cached(name, recipe)
        serial = zoo.trained(name, recipe, progress=False)
        assert torch.equal(serial.log_prob(test), parallel[name].log_prob(test)), name


def test_a_model_that_fails_to_train_in_a_worker_is_named(private_cache):
    broken = zoo.Recipe("fvsbn", {"seed": 0, "no_such_option": 1}, epochs=1)
    with pytest.raises(RuntimeError, match="training the fvsbn model failed"):
        zoo._train_in_processes([("fvsbn", broken), ("fvsbn", TINY)], jobs=2, progress=False)


def test_jobs_must_be_positive():
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        zoo.trained_all(progress=False, jobs=0)
