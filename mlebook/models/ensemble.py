"""An ensemble of density models: a mixture p(x) = sum_m w_m p_m(x) of fixed, trained models.

With weights w_m >= 0 summing to 1, the ensemble is itself a distribution over images, and

    log p(x) = logsumexp_m (log w_m + log p_m(x))   (nats).

**Exact conditionals.** When every member factorises in the same pixel order sigma, so does the
ensemble. Before pixel i is set, the images' pixels seen so far, x_<i, give each member a
posterior responsibility

    r_m(x_<i) = w_m p_m(x_<i) / sum_k w_k p_k(x_<i),   p_m(x_<i) = prod_{j before i} p_m(x_j | x_<j),

and the ensemble's conditional is the responsibility-weighted average of the members' own,

    p(x_i = 1 | x_<i) = sum_m r_m(x_<i) p_m(x_i = 1 | x_<i).

Multiplying these conditionals along sigma gives back sum_m w_m p_m(x) (each factor is
p(x_<=i) / p(x_<i) of the mixture), so the ensemble has a pixel walk like any other model here:
the members walk in lockstep, and after each pixel every responsibility is multiplied by that
member's probability of the pixel's value and renormalised. Sampling, completion and arithmetic
coding (:mod:`mlebook.coding`) then work unchanged, and coding an image costs -log2 p(x) bits
under the mixture, less than under any member when they make different mistakes.

**Fitting the weights.** :meth:`Ensemble.fit_weights` runs EM on held-out images with the members
fixed (Dempster et al., 1977):

    r_nm = w_m p_m(x_n) / sum_k w_k p_k(x_n),    w_m <- (1/N) sum_n r_nm,

which never lowers the likelihood sum_n log sum_m w_m p_m(x_n) of those images.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import DensityModel

# A member that calls a pixel value impossible (its probability rounded to exactly 0) multiplies
# its responsibility by this instead of 0, so the walk never divides 0 by 0.
_SMALLEST_FACTOR = 1e-300


def walks_exactly(model: DensityModel) -> bool:
    """Whether the model's pixel walk gives the conditionals of its own ``log_prob``: true of every
    model here except a MADE that mixes several orderings (its walk follows the first one)."""
    return getattr(model, "n_orderings", 1) == 1


class Ensemble(DensityModel):
    """The mixture sum_m w_m p_m(x) of ``models`` (fixed) with ``weights`` (default uniform).

    Every member must walk its pixels in the same ``order``, and its walk must give the
    conditionals of its own ``log_prob`` (so a MADE mixing several orderings cannot be a member).
    The weights are a buffer, not a parameter: only :meth:`fit_weights` changes them.
    """

    def __init__(self, models, weights=None):
        models = list(models)
        if not models:
            raise ValueError("an ensemble needs at least one model")
        for model in models:
            if not isinstance(model, DensityModel):
                raise ValueError(f"ensemble members must be mlebook density models, got {type(model).__name__}")
        n_dims = models[0].n_dims
        if any(model.n_dims != n_dims for model in models):
            raise ValueError(f"ensemble members must model the same number of pixels, got {[m.n_dims for m in models]}")
        order = models[0].order.cpu()
        for position, model in enumerate(models):
            if not torch.equal(model.order.cpu(), order):
                raise ValueError(
                    f"member {position} ({type(model).__name__}) walks the pixels in another order than member 0"
                )
            if not walks_exactly(model):
                raise ValueError(
                    f"member {position} ({type(model).__name__}) mixes {model.n_orderings} pixel orderings; "
                    "its walk follows one of them, so it has no exact conditionals"
                )
        super().__init__(n_dims, n_models=len(models))
        self.members = nn.ModuleList(models)
        self.register_buffer("log_weights", torch.log(self._check_weights(weights, len(models))))
        self.eval()

    @staticmethod
    def _check_weights(weights, n_models: int) -> torch.Tensor:
        """Weights as a float64 tensor of shape (n_models,), >= 0, summing to 1 (renormalised exactly)."""
        if weights is None:
            return torch.full((n_models,), 1.0 / n_models, dtype=torch.float64)
        weights = torch.as_tensor(weights, dtype=torch.float64).detach().cpu()
        if weights.shape != (n_models,):
            raise ValueError(f"weights must have shape ({n_models},), one per model, got shape {tuple(weights.shape)}")
        if not bool(torch.isfinite(weights).all()) or bool((weights < 0).any()):
            raise ValueError(f"weights must be finite and >= 0, got {weights.tolist()}")
        if abs(float(weights.sum()) - 1) > 1e-6:
            raise ValueError(f"weights must sum to 1, got sum {float(weights.sum())}")
        return weights / weights.sum()

    @property
    def weights(self) -> torch.Tensor:
        """w_m, shape (n_models,), float64."""
        return self.log_weights.exp()

    @property
    def order(self) -> torch.Tensor:
        """The pixel order all members share."""
        return self.members[0].order

    def n_parameters(self) -> int:
        """The members' free parameters plus the M - 1 free mixture weights."""
        return sum(model.n_parameters() for model in self.members) + len(self.members) - 1

    # ---- the distribution ------------------------------------------------------------------
    @torch.no_grad()
    def member_log_probs(self, x) -> torch.Tensor:
        """log p_m(x_n) for each image and member, shape (n, n_models), float64 nats."""
        x = self._check(x)
        return torch.stack([model.log_prob(x).double() for model in self.members], dim=1)

    def log_prob(self, x) -> torch.Tensor:
        """log sum_m w_m p_m(x) in nats, shape (n,), by a logsumexp over the members."""
        x = self._check(x)
        log_probs = torch.logsumexp(self.member_log_probs(x) + self.log_weights, dim=1)
        return log_probs.to(x.dtype)

    @torch.no_grad()
    def conditionals(self, x) -> torch.Tensor:
        """p(x_i = 1 | pixels before i) = sum_m r_m(x_<i) p_m(x_i = 1 | x_<i), shape (n, n_dims).

        Vectorised from the members' own ``conditionals``: log p_m(x_<i) is an exclusive
        cumulative sum, along the order, of the members' log-probabilities of the pixels x holds.
        """
        x = self._check(x)
        order = self.order.to(x.device)
        member = torch.stack([model.conditionals(x) for model in self.members], dim=1).double()  # (n, M, D)
        member = member[:, :, order]
        ones = x[:, order].bool()[:, None, :]
        log_factors = torch.where(ones, member, 1 - member).clamp_min(_SMALLEST_FACTOR).log()
        seen_before = torch.cumsum(log_factors, dim=2) - log_factors
        responsibilities = torch.softmax(self.log_weights[None, :, None] + seen_before, dim=1)
        probabilities = torch.empty_like(x)
        probabilities[:, order] = (responsibilities * member).sum(dim=1).clamp(0, 1).to(x.dtype)
        return probabilities

    # ---- the pixel walk: the members walk in lockstep ----------------------------------------
    def _begin_walk(self, n: int):
        return {
            "members": [model._begin_walk(n) for model in self.members],
            "log_responsibilities": self.log_weights.expand(n, -1).clone(),  # (n, M)
            "member_probabilities": None,
        }

    def _walk_probability(self, state, i: int) -> torch.Tensor:
        member = torch.stack(
            [model._walk_probability(walk, i) for model, walk in zip(self.members, state["members"])], dim=1
        )
        state["member_probabilities"] = member
        responsibilities = torch.softmax(state["log_responsibilities"], dim=1)
        probability = (responsibilities * member.double()).sum(dim=1).clamp(0, 1)
        return probability.to(member.dtype)

    def _walk_observe(self, state, i: int, bits: torch.Tensor) -> None:
        member = state["member_probabilities"].double()
        factors = torch.where(bits.bool()[:, None], member, 1 - member).clamp_min(_SMALLEST_FACTOR)
        log_responsibilities = state["log_responsibilities"] + factors.log()
        log_responsibilities -= torch.logsumexp(log_responsibilities, dim=1, keepdim=True)
        state["log_responsibilities"] = log_responsibilities
        for model, walk in zip(self.members, state["members"]):
            model._walk_observe(walk, i, bits)

    # ---- the weights -----------------------------------------------------------------------
    @torch.no_grad()
    def fit_weights(self, x, steps: int = 100) -> list[float]:
        """EM for the weights on held-out images x, the members fixed; returns the mean NLL of x
        (nats per image) before the first step and after each of the ``steps`` steps, a
        sequence that never increases."""
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
        log_probs = self.member_log_probs(x)
        if len(log_probs) == 0:
            raise ValueError("fit_weights needs at least one image")
        log_weights = self.log_weights.clone()
        history = []
        for _ in range(steps):
            joint = log_probs + log_weights
            history.append(float(-torch.logsumexp(joint, dim=1).mean()))
            log_weights = torch.log(torch.softmax(joint, dim=1).mean(dim=0))
        history.append(float(-torch.logsumexp(log_probs + log_weights, dim=1).mean()))
        self.log_weights.copy_(log_weights)
        return history


def fitted_ensemble(models, x_val, steps: int = 100) -> Ensemble:
    """The ensemble of ``models`` with its weights fitted by EM on validation images ``x_val``."""
    ensemble = Ensemble(models)
    ensemble.fit_weights(x_val, steps)
    return ensemble
