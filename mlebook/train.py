"""The maximum-likelihood training loop.

Maximum likelihood picks the parameters theta that minimise the mean negative log-likelihood of
the N = |D| training images x in D,

    L(theta) = -(1/N) sum_{x in D} log p_theta(x)        (nats per image),

the Monte Carlo estimate of the cross-entropy H(P_data, P_theta) = H(P_data) + KL(P_data || P_theta).
:func:`fit` minimises it the way the model declares in ``training_method``
(:mod:`mlebook.models.base`):

- ``"closed form"``: ``fit_closed_form(x)`` (independent pixels: counts);
- ``"em"``: one ``em_step(x)`` per epoch (the mixture): no step lowers the (penalised) likelihood;
- ``"gradient"``: **minibatch Adam** (Kingma & Ba, 2015) on the minibatch mean of
  -``training_log_prob(x)`` (= -log p_theta(x), or MADE's one-ordering stand-in). A module that
  is not a :class:`mlebook.models.DensityModel` (say, one written in a chapter) trains this way
  on its ``log_prob``.
  ``weight_decay = lam`` adds lam * theta to every gradient, so the loss minimised is
  L(theta) + (lam / 2) ||theta||^2: MAP estimation under a Gaussian prior theta ~ N(0, 1/(N lam)).

**Early stopping.** After each epoch the mean NLL of the validation images is computed; the
weights of the best epoch so far are kept and restored at the end, and training stops once
``patience`` epochs pass without improvement. Validation NLL is an unbiased estimate of the
test NLL of a model that was never fitted to it; the training NLL is not.

**Learning-rate drops.** With ``lr_drops = k``, the first k times validation NLL stalls for
``patience`` epochs, training goes back to the best weights and continues with a fresh Adam at
a tenth of the learning rate; the (k + 1)-th stall stops it. A large step size finds the
neighbourhood of a good solution quickly, a small one settles into it.

**Reproducibility.** ``seed`` seeds a ``torch.Generator`` that shuffles the minibatches and
draws MADE's orderings (``training_log_prob``), and ``torch.manual_seed(seed)`` for any other randomness inside the
model (dropout). The *initial weights* are the model's own business: the models of
:mod:`mlebook.models` draw them from their ``seed`` argument when constructed. The same model,
data and seed give the same result on the same machine, unless ``time_limit`` cut the run short.

Quality is reported in nats per image and in bits per dimension,
bits/dim = NLL / (D ln 2), the number a compressor built on the model would spend per pixel.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from .checks import binary_image_tensor, binary_images, float_array
from .models.base import DensityModel

STOP_REASONS = ("closed form", "max epochs", "early stopping", "time limit", "interrupted")
LR_DROP_FACTOR = 0.1


class NonFiniteLossError(FloatingPointError):
    """Training diverged: the loss became NaN or infinite, or a step overflowed the parameters' dtype."""


@dataclass
class History:
    """What happened during :func:`fit`, one entry per epoch (epochs are numbered from 1).

    ``train_nll``: mean training NLL of the epoch (nats per image; for Adam the mean of the
    minibatch losses as they were computed, for EM the NLL before the step);
    ``val_nll``: validation NLL after the epoch (empty without validation data);
    ``seconds``: wall-clock seconds of each epoch, validation included;
    ``lr``: the learning rate of each epoch (empty for closed-form and EM fits);
    ``best_epoch``: the epoch whose weights the model holds at the end;
    ``stopped``: why training ended, one of ``STOP_REASONS``.
    """

    train_nll: list[float] = field(default_factory=list)
    val_nll: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    best_epoch: int = 0
    stopped: str = ""

    @property
    def epochs(self) -> list[int]:
        """The epoch numbers 1, 2, ..., for the x axis of a plot."""
        return list(range(1, len(self.train_nll) + 1))

    @property
    def total_seconds(self) -> float:
        return float(sum(self.seconds))

    @property
    def best_val_nll(self) -> float | None:
        """Validation NLL of the kept weights (None without validation data)."""
        return self.val_nll[self.best_epoch - 1] if self.val_nll and self.best_epoch else None

    def to_dict(self) -> dict:
        """Plain Python values, for saving beside a model."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "History":
        return cls(**values)

    def plot(self, ax=None, title: str | None = None):
        """Training and validation NLL per epoch, the kept epoch marked; returns the axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3.5))
        ax.plot(self.epochs, self.train_nll, label="train")
        if self.val_nll:
            ax.plot(self.epochs, self.val_nll, label="validation")
        if self.best_epoch:
            ax.axvline(self.best_epoch, color="grey", linestyle=":", label=f"kept (epoch {self.best_epoch})")
        ax.set_xlabel("epoch")
        ax.set_ylabel("NLL (nats per image)")
        if title:
            ax.set_title(title)
        ax.legend()
        return ax


def bits_per_dim(nll_nats: float, n_dims: int) -> float:
    """Convert a NLL in nats per image to bits per pixel: nll / (n_dims ln 2)."""
    if n_dims < 1:
        raise ValueError(f"n_dims must be a positive integer, got {n_dims!r}")
    return float(nll_nats) / (n_dims * math.log(2))


def default_device() -> torch.device:
    """CUDA when it is available, otherwise the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _images_on(device: torch.device, x, n_dims: int, name: str) -> torch.Tensor:
    """At least one binary image of ``n_dims`` pixels (:func:`mlebook.checks.binary_image_tensor`),
    as a float tensor on ``device``."""
    return binary_image_tensor(x, n_dims, name, min_count=1).to(device=device, dtype=torch.get_default_dtype())


@torch.no_grad()
def log_probs(model, x, batch_size: int = 1000) -> np.ndarray:
    """log p(x_n) in nats for each image, a float64 numpy array of shape (n,).

    ``model`` is a :mod:`mlebook.models` model (evaluated in eval mode, without gradients, in
    batches, on the device of its parameters) or any object with a ``log_prob(x)`` that takes
    a numpy array (the chapters' lookup tables and trees).
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if not isinstance(model, torch.nn.Module):
        return float_array(model.log_prob(binary_images(x, getattr(model, "n_dims", None), "x", min_count=1)))
    reference = next(model.parameters(), None)
    device = reference.device if reference is not None else torch.device("cpu")
    x = _images_on(device, x, model.n_dims, "x")
    was_training = model.training
    model.eval()
    try:
        return np.concatenate([float_array(model.log_prob(x[i : i + batch_size])) for i in range(0, len(x), batch_size)])
    finally:
        model.train(was_training)


def evaluate(model, x, batch_size: int = 1000) -> float:
    """Mean negative log-likelihood -(1/n) sum_n log p(x_n) in nats per image (see :func:`log_probs`).

    The one test-NLL function of the package: the chapters, the command line and :func:`fit`'s
    validation all call it.
    """
    return float(-log_probs(model, x, batch_size).mean())


def training_method(model) -> str:
    """How :func:`fit` trains ``model``: its declared ``training_method`` (one of
    ``mlebook.models.base.TRAINING_METHODS``); a module that is not a DensityModel: "gradient"."""
    return model.training_method if isinstance(model, DensityModel) else "gradient"


def _objective(model, batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """The per-image log-likelihood that a gradient step raises (see :func:`training_method`)."""
    if isinstance(model, DensityModel):
        return model.training_log_prob(batch, generator)
    return model.log_prob(batch)


def _check_finite(value: float, epoch: int, step: int, lr: float) -> None:
    if not math.isfinite(value):
        raise NonFiniteLossError(
            f"the training loss became {value} at epoch {epoch}, step {step}; "
            f"try a smaller learning rate than lr={lr}"
        )


def fit(
    model,
    train,
    val=None,
    *,
    epochs: int | None = None,
    batch_size: int = 100,
    lr: float = 1e-3,
    patience: int = 5,
    time_limit: float | None = None,
    seed: int = 0,
    progress: bool = True,
    weight_decay: float = 0.0,
    lr_drops: int = 0,
    checkpoint=None,
    device=None,
) -> History:
    """Fit ``model`` to the images ``train`` by maximum likelihood; returns a :class:`History`.

    Parameters
    ----------
    model : a :mod:`mlebook.models` model (any ``nn.Module`` with ``n_dims`` and ``log_prob``).
    train, val : arrays of shape (n, n_dims) with values in {0, 1}. ``val`` turns on early
        stopping: the weights of the epoch with the lowest validation NLL are restored.
    epochs : the most epochs (EM steps) to run; ``None`` runs until early stopping or
        ``time_limit`` ends training (one of them must be given).
    batch_size, lr, weight_decay : minibatch Adam's settings (ignored by closed-form and EM fits).
    patience : stop after this many epochs without a lower validation NLL.
    lr_drops : how many times a stall divides the learning rate by 10 (from the best weights)
        before one stops training; needs ``val``.
    time_limit : seconds; training stops after the step that exceeds it (the epoch is cut short).
    seed : seeds shuffling, orderings and dropout (see the module docstring).
    progress : show a ``tqdm`` bar with the epoch and the train / validation NLL.
    checkpoint : a path; the best model so far is saved there (atomically, with the history as
        ``extras["history"]``) whenever it improves, so an interrupted run leaves it behind.
    device : where to train; default CUDA when available. The model stays there afterwards.

    A NaN or infinite loss raises :class:`NonFiniteLossError` naming the epoch and step. On
    ``KeyboardInterrupt`` the best weights are restored before the interrupt propagates.
    """
    if epochs is not None and (isinstance(epochs, bool) or int(epochs) != epochs or epochs < 1):
        raise ValueError(f"epochs must be a positive integer or None, got {epochs!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if patience < 1:
        raise ValueError(f"patience must be a positive integer, got {patience!r}")
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
    if isinstance(lr_drops, bool) or int(lr_drops) != lr_drops or lr_drops < 0:
        raise ValueError(f"lr_drops must be a non-negative integer, got {lr_drops!r}")
    if lr_drops and val is None:
        raise ValueError("lr_drops needs validation data to tell when training stalls")
    method = training_method(model)
    if epochs is None and val is None and time_limit is None and method != "closed form":
        raise ValueError("give epochs, validation data (early stopping) or a time_limit: nothing would stop training")

    device = torch.device(device) if device is not None else default_device()
    model.to(device)
    x_train = _images_on(device, train, model.n_dims, "train")
    x_val = None if val is None else _images_on(device, val, model.n_dims, "val")
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    history = History()
    start = time.perf_counter()

    def record(train_nll: float, seconds: float) -> bool:
        """Append an epoch; keep and checkpoint the weights if they are the best so far."""
        history.train_nll.append(train_nll)
        history.seconds.append(seconds)
        if x_val is not None:
            history.val_nll.append(evaluate(model, x_val))
            improved = history.best_epoch == 0 or history.val_nll[-1] < history.best_val_nll
        else:
            improved = True
        if improved:
            history.best_epoch = len(history.train_nll)
            best_state.clear()
            best_state.update({k: v.detach().clone() for k, v in model.state_dict().items()})
            if checkpoint is not None:
                model.save(checkpoint, extras={**getattr(model, "extras", {}), "history": history.to_dict()})
        return improved

    best_state: dict = {}
    bar = None
    try:
        if method == "closed form":
            model.fit_closed_form(x_train)
            record(evaluate(model, x_train), time.perf_counter() - start)
            history.stopped = "closed form"
            return history

        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc=type(model).__name__, unit="epoch", disable=not progress, leave=False)
        use_em = method == "em"
        optimizer = None if use_em else torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
        epoch, since_best, drops_left = 0, 0, lr_drops
        while True:
            epoch += 1
            epoch_start = time.perf_counter()
            model.train()
            if use_em:
                train_nll = float(model.em_step(x_train))
                _check_finite(train_nll, epoch, 1, lr)
                out_of_time = time_limit is not None and time.perf_counter() - start > time_limit
            else:
                history.lr.append(lr)
                train_nll, out_of_time = _adam_epoch(
                    model, optimizer, x_train, batch_size, generator, epoch, lr, start, time_limit
                )
            improved = record(train_nll, time.perf_counter() - epoch_start)
            since_best = 0 if improved else since_best + 1
            bar.update(1)
            postfix = {"train": f"{train_nll:.2f}"}
            if history.val_nll:
                postfix["val"] = f"{history.val_nll[-1]:.2f}"
            bar.set_postfix(postfix)
            if out_of_time:
                history.stopped = "time limit"
            elif epochs is not None and epoch >= epochs:
                history.stopped = "max epochs"
            elif since_best >= patience and drops_left and not use_em:
                drops_left, since_best, lr = drops_left - 1, 0, lr * LR_DROP_FACTOR
                model.load_state_dict(best_state)
                optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
            elif since_best >= patience:
                history.stopped = "early stopping"
            if history.stopped:
                break
    except KeyboardInterrupt:
        history.stopped = "interrupted"
        raise
    finally:
        if bar is not None:
            bar.close()
        if best_state:
            model.load_state_dict(best_state)
        model.eval()
    return history


def _adam_epoch(model, optimizer, x_train, batch_size, generator, epoch, lr, start, time_limit):
    """One pass of minibatch Adam over shuffled data; returns (mean minibatch NLL, out of time)."""
    order = torch.randperm(len(x_train), generator=generator).to(x_train.device)
    total, seen = 0.0, 0
    for step, first in enumerate(range(0, len(x_train), batch_size), start=1):
        batch = x_train[order[first : first + batch_size]]
        loss = -_objective(model, batch, generator).mean()
        value = float(loss.detach())
        _check_finite(value, epoch, step, lr)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        try:
            optimizer.step()
        except RuntimeError as error:  # Adam's step size lr / (1 - beta1^t) does not fit in float32
            if "overflow" not in str(error):
                raise
            raise NonFiniteLossError(
                f"the Adam step overflowed at epoch {epoch}, step {step} ({error}); try a smaller learning rate than lr={lr}"
            ) from error
        total += value * len(batch)
        seen += len(batch)
        if time_limit is not None and time.perf_counter() - start > time_limit:
            return total / seen, True
    return total / seen, False
