"""The gradient of an autoregressive log-likelihood, in closed form and by autograd (ch. 7).

A model whose conditionals are p(x_i = 1 | x_<i) = sigmoid(a_i) has

    log p(x) = sum_i l_i,    l_i = x_i log sigmoid(a_i) + (1 - x_i) log(1 - sigmoid(a_i)),

and since d log sigmoid(a) / da = 1 - sigmoid(a) and d log(1 - sigmoid(a)) / da = -sigmoid(a),

    d l_i / d a_i = x_i - sigmoid(a_i)        (observed value minus predicted probability).

**FVSBN** (a_i = b_i + sum_{j<i} W_ij x_j), by the chain rule:

    d log p(x) / d b_i  = x_i - sigmoid(a_i),
    d log p(x) / d W_ij = (x_i - sigmoid(a_i)) x_j    for j < i (W is 0 on and above the diagonal).

Only the term l_i contains row i's parameters (b_i, W_i1 ... W_i,i-1), so the log-likelihood is a
sum of D functions of disjoint blocks of parameters: maximising it is D separate logistic
regressions, pixel i regressed on the pixels before it, each concave in its own block.
A model that shares weights between conditionals (NADE's W, c) does not split: one parameter
feeds many terms, and its gradient sums over all of them.

- :func:`fvsbn_gradient`: the closed form, averaged over a batch of images;
- :func:`term_jacobian`: d l_i / d theta for every conditional i and parameter theta, by
  autograd, for any model with ``logits`` (which conditionals each parameter feeds).
"""

from __future__ import annotations

import torch

from ..checks import binary_image_tensor
from ..models import FVSBN
from ..models.base import LogitAutoregressive, bernoulli_log_prob


def fvsbn_gradient(model: FVSBN, x) -> tuple[torch.Tensor, torch.Tensor]:
    """(d/db, d/dW) of the mean log-likelihood (1/N) sum_n log p(x_n) of an FVSBN, in closed form.

    Returns the bias gradient, shape (D,), mean_n (x_ni - sigmoid(a_ni)), and the weight
    gradient, shape (D, D), mean_n (x_ni - sigmoid(a_ni)) x_nj below the diagonal and 0 elsewhere.
    """
    if not isinstance(model, FVSBN):
        raise ValueError(f"fvsbn_gradient needs an FVSBN, got {type(model).__name__}")
    x = binary_image_tensor(x, model.n_dims, "x", min_count=1).to(model.bias.dtype)
    with torch.no_grad():
        residual = x - torch.sigmoid(model.logits(x))  # (N, D): x_i - p(x_i = 1 | x_<i)
        return residual.mean(dim=0), (residual.T @ x) / len(x) * model.mask


def term_jacobian(model: LogitAutoregressive, x) -> dict[str, torch.Tensor]:
    """{parameter name: J} with J[i] = d/dtheta sum_n l_i(x_n), the gradient of conditional i's
    log-likelihood term, for every i; J has shape (D, *parameter shape). By autograd, one
    backward pass per pixel: meant for small D."""
    if not isinstance(model, LogitAutoregressive):
        raise ValueError(f"term_jacobian needs a model with logits (FVSBN, NADE), got {type(model).__name__}")
    x = binary_image_tensor(x, model.n_dims, "x", min_count=1).to(next(model.parameters()).dtype)
    names, parameters = zip(*model.named_parameters())
    terms = bernoulli_log_prob(model.logits(x), x).sum(dim=0)  # (D,): sum over images of l_i
    rows = [torch.autograd.grad(term, parameters, retain_graph=True, allow_unused=True) for term in terms]
    return {
        name: torch.stack([g if g is not None else torch.zeros_like(p) for g in (row[k] for row in rows)])
        for k, (name, p) in enumerate(zip(names, parameters))
    }
