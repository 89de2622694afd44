"""The interface every density model of binary images shares.

A model is a distribution over images x in {0, 1}^D. Every model here is autoregressive (or
trivially so): it names an order sigma of the pixels and factorises

    p(x) = prod_t p(x_{sigma_t} | x_{sigma_1}, ..., x_{sigma_{t-1}}),

each factor a Bernoulli with probability p_t = p(x_{sigma_t} = 1 | pixels before it), so

    log p(x) = sum_t [ x_{sigma_t} log p_t + (1 - x_{sigma_t}) log(1 - p_t) ]   (nats).

One walk through the pixels in that order (:meth:`DensityModel.sequential`) computes each p_t
from the pixels already set and asks a ``choose`` function for the pixel's value. Sampling
(``choose`` draws a Bernoulli), completing a partly known image (``choose`` returns the known
pixels) and arithmetic decoding (``choose`` decodes a bit) are all that one walk.

Each model class declares how maximum likelihood is reached for it in ``training_method``
(one of ``TRAINING_METHODS``), and :func:`mlebook.train.fit` dispatches on that declaration:

- ``"closed form"``: :meth:`DensityModel.fit_closed_form` sets the maximiser directly;
- ``"em"``: :meth:`DensityModel.em_step` is one EM step, which never lowers the likelihood;
- ``"gradient"``: minibatch gradient descent on -mean :meth:`DensityModel.training_log_prob`,
  which is ``log_prob`` unless the model trains on a stochastic objective (MADE's orderings).

``log_prob`` is the model's distribution whatever the module's mode (``.train()`` / ``.eval()``),
and always a torch tensor.

Models are saved as one file (:meth:`DensityModel.save`) and rebuilt by :func:`load`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..checks import binary_image_tensor, count

TRAINING_METHODS = ("closed form", "em", "gradient")
# The method each training route calls, which a class declaring that route must define.
_ROUTE_METHODS = {"closed form": "fit_closed_form", "em": "em_step"}
FILE_FORMAT = "mlebook-model"
FILE_VERSION = 1

_REGISTRY: dict[str, type[DensityModel]] = {}


def bernoulli_log_prob(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """log Bernoulli(x; sigmoid(logits)) = log sigmoid((2x - 1) * logits), elementwise, in nats.

    Stable for any logit, including +-inf (a certain pixel costs 0 nats, an impossible one
    -inf), and never takes the log of a sigmoid.
    """
    return F.logsigmoid((2 * x - 1) * logits)



class DensityModel(nn.Module):
    """Base class: a distribution over binary images of ``n_dims`` pixels.

    Subclasses call ``super().__init__(n_dims, **options)`` with their constructor arguments
    (kept in ``self.config`` so :func:`load` can rebuild them), implement :meth:`log_prob`, and
    describe one step of the pixel walk through three hooks:

    - ``_begin_walk(n)`` returns a state for n images, no pixel set yet;
    - ``_walk_probability(state, i)`` returns p(x_i = 1 | pixels set so far), shape (n,);
    - ``_walk_observe(state, i, bits)`` updates the state once pixel i is set to ``bits``.

    ``training_method`` (a class attribute, default ``"gradient"``) declares how
    :func:`mlebook.train.fit` trains the model; a class declaring ``"closed form"`` or ``"em"``
    must define :meth:`fit_closed_form` or :meth:`em_step` (checked when the class is made).
    """

    training_method = "gradient"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.training_method not in TRAINING_METHODS:
            raise TypeError(f"{cls.__name__}.training_method must be one of {TRAINING_METHODS}, got {cls.training_method!r}")
        route = _ROUTE_METHODS.get(cls.training_method)
        if route is not None and getattr(cls, route) is getattr(DensityModel, route):
            raise TypeError(f"{cls.__name__} declares training_method {cls.training_method!r} but does not define {route}()")
        _REGISTRY[cls.__name__] = cls

    def __init__(self, n_dims: int, **options):
        super().__init__()
        if isinstance(n_dims, bool) or not isinstance(n_dims, (int, np.integer)) or n_dims < 1:
            raise ValueError(f"n_dims must be a positive integer, got {n_dims!r}")
        self.n_dims = int(n_dims)
        self.config = {"n_dims": self.n_dims, **options}
        self.extras: dict = {}

    # ---- the distribution ------------------------------------------------------------------
    @property
    def order(self) -> torch.Tensor:
        """The pixel order sigma the model factorises in (a LongTensor permutation)."""
        return torch.arange(self.n_dims)

    def log_prob(self, x) -> torch.Tensor:
        """log p(x) in nats for each row of x, a tensor of shape (n,)."""
        raise NotImplementedError

    # ---- training (see ``training_method``) --------------------------------------------------
    def training_log_prob(self, x, generator: torch.Generator | None = None) -> torch.Tensor:
        """The per-image objective that gradient training maximises (its minibatch mean), shape (n,).

        log p(x) by default. A model may train on a stochastic stand-in that draws from
        ``generator`` (fit's seeded generator, once per minibatch): MADE scores each batch under
        one of its orderings.
        """
        return self.log_prob(x)

    def fit_closed_form(self, x_train) -> "DensityModel":
        """Set the parameters to the maximum-likelihood (or MAP) estimate for x_train; returns self."""
        raise NotImplementedError(f"{type(self).__name__} has no closed-form fit")

    def em_step(self, x_train) -> float:
        """One EM step on x_train; returns the mean training NLL (nats per image) before it."""
        raise NotImplementedError(f"{type(self).__name__} has no EM step")

    def _check(self, x) -> torch.Tensor:
        """Validate x (see :func:`mlebook.checks.binary_image_tensor`) and move it to the model's dtype/device."""
        x = binary_image_tensor(x, self.n_dims)
        reference = next(self.parameters(), None)
        if reference is None:
            return x
        return x.to(device=reference.device, dtype=reference.dtype)

    @torch.no_grad()
    def conditionals(self, x) -> torch.Tensor:
        """p(x_i = 1 | pixels before i in ``order``) evaluated at x, shape (n, n_dims).

        This generic version walks the pixels feeding in x's own values; models override it
        with a vectorised formula.
        """
        x = self._check(x)
        probs = torch.empty_like(x)

        def record(i, p):
            probs[:, i] = p
            return x[:, i]

        self.sequential(len(x), record)
        return probs

    # ---- the pixel walk --------------------------------------------------------------------
    def _begin_walk(self, n: int):
        raise NotImplementedError

    def _walk_probability(self, state, i: int) -> torch.Tensor:
        raise NotImplementedError

    def _walk_observe(self, state, i: int, bits: torch.Tensor) -> None:
        raise NotImplementedError

    @torch.no_grad()
    def sequential(self, n: int, choose=None, generator: torch.Generator | None = None) -> torch.Tensor:
        """Set the pixels of n images one at a time in ``order``; return them, shape (n, n_dims).

        At the step for pixel i the model computes p = p(x_i = 1 | pixels already set), a
        tensor of shape (n,), and ``choose(i, p)`` returns the (n,) 0/1 values of pixel i.
        Without ``choose`` each pixel is drawn from Bernoulli(p) with ``generator``: a sample.
        """
        n = count(n, "n (the number of images)")
        if choose is None:
            def choose(i, p):
                return torch.bernoulli(p, generator=generator)

        state = self._begin_walk(n)
        x = self._new_zeros(n, self.n_dims)
        for i in self.order.tolist():
            bits = choose(i, self._walk_probability(state, i))
            if not isinstance(bits, torch.Tensor):
                bits = torch.as_tensor(bits)
            if bits.shape != (n,):
                raise ValueError(f"choose({i}, p) must return {n} values, got shape {tuple(bits.shape)}")
            x[:, i] = bits
            self._walk_observe(state, i, x[:, i])
        if not bool(((x == 0) | (x == 1)).all()):
            raise ValueError("choose(i, p) must return only the values 0 and 1")
        return x

    def _new_zeros(self, *shape: int) -> torch.Tensor:
        """Zeros with the dtype and device of the model's parameters."""
        reference = next(self.parameters(), None)
        return torch.zeros(shape) if reference is None else reference.new_zeros(shape)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n independent images x ~ p(x), shape (n, n_dims), float 0/1."""
        return self.sequential(n, generator=generator)

    @torch.no_grad()
    def complete(self, x, n_known: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Keep the pixels ``order[:n_known]`` of each row of x and sample the rest.

        The unknown pixels are drawn from p(x_unknown | x_known) one at a time by the
        model's conditionals. In raster order with n_known = 392 this fills the bottom half of
        a 28 x 28 digit given its top half.
        """
        x = self._check(x)
        if isinstance(n_known, bool) or not isinstance(n_known, (int, np.integer)) or not 0 <= n_known <= self.n_dims:
            raise ValueError(f"n_known must be an integer in [0, {self.n_dims}], got {n_known!r}")
        known = set(self.order[:n_known].tolist())

        def keep_or_draw(i, p):
            return x[:, i] if i in known else torch.bernoulli(p, generator=generator)

        return self.sequential(len(x), keep_or_draw)

    # ---- bookkeeping -----------------------------------------------------------------------
    def n_parameters(self) -> int:
        """The number of free parameters."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad)

    def save(self, path, extras: dict | None = None) -> None:
        """Write the model to ``path`` atomically (a temporary file, then ``os.replace``).

        The file holds {"format", "version", "class", "config", "state_dict", "extras"};
        ``extras`` (default ``self.extras``), e.g. a training history, must be made of plain
        Python values and tensors.
        """
        path = Path(path)
        payload = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "class": type(self).__name__,
            "config": dict(self.config),
            "state_dict": self.state_dict(),
            "extras": dict(self.extras if extras is None else extras),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                torch.save(payload, file)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class LogitAutoregressive(DensityModel):
    """A model whose conditionals all come from one pass: ``logits(x)[:, i]`` is the logit of
    p(x_i = 1 | x_<i), so log p(x) = sum_i log Bernoulli(x_i; sigmoid(logit_i)).

    Subclasses implement ``logits(x)`` for already checked x of shape (n, n_dims).
    """

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def log_prob(self, x) -> torch.Tensor:
        x = self._check(x)
        return bernoulli_log_prob(self.logits(x), x).sum(dim=1)

    @torch.no_grad()
    def conditionals(self, x) -> torch.Tensor:
        x = self._check(x)
        return torch.sigmoid(self.logits(x))


def load(path) -> DensityModel:
    """Rebuild a model written by :meth:`DensityModel.save`, in eval mode.

    Raises ``ValueError`` naming the file when it is not an mlebook model, was written in
    another format version, or names a model class this package does not know.
    """
    path = Path(path)
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as error:
        raise ValueError(f"{path} is not an mlebook model file ({type(error).__name__}: {error})") from error
    if not isinstance(payload, dict) or payload.get("format") != FILE_FORMAT:
        raise ValueError(f"{path} is not an mlebook model file (no format {FILE_FORMAT!r} marker)")
    if payload.get("version") != FILE_VERSION:
        raise ValueError(f"{path} has model file version {payload.get('version')!r}; this package reads version {FILE_VERSION}")
    cls = _REGISTRY.get(payload.get("class"))
    if cls is None:
        raise ValueError(f"{path} holds an unknown model class {payload.get('class')!r}; known: {sorted(_REGISTRY)}")
    try:
        model = cls(**payload["config"])
        model.load_state_dict(payload["state_dict"])
    except (KeyError, TypeError, RuntimeError) as error:
        raise ValueError(f"{path} does not hold a valid {cls.__name__} ({error})") from error
    model.extras = dict(payload.get("extras") or {})
    return model.eval()
