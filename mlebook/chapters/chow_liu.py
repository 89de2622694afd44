"""Structure learned from data: the Chow-Liu tree over binary pixels.

A tree-structured distribution gives every pixel at most one parent pa(i):

    p(x) = prod_i p(x_i | x_pa(i)),    with p(x_r) for each root r.

For a fixed tree the maximum-likelihood tables are the empirical conditionals, and the average
training log-likelihood then splits into (Chow & Liu, 1968)

    (1/n) sum_k log p(x^(k)) = sum_{edges (i, j)} I(X_i; X_j) - sum_i H(X_i),

where I is the empirical mutual information and H the empirical entropy. The entropies do not
depend on the tree, so the maximum-likelihood tree is the maximum spanning tree of the pairwise
mutual information; it is found here with scipy's spanning-tree routine (``scipy.sparse.csgraph``).

Counts are smoothed with ``alpha`` pseudo-counts in each cell of every 2 x 2 table of a pixel
pair (``alpha = 0`` gives the exact maximum-likelihood estimates above):

    p(x_i = a, x_j = b) = (n_ab + alpha) / (n + 4 alpha),

and every probability the model uses (pair tables, conditionals, root marginals) is read off
these smoothed tables. All quantities are in nats.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csgraph
from scipy.special import xlogy

from ..checks import binary_images


def _check_alpha(alpha: float) -> None:
    if alpha < 0:
        raise ValueError(f"alpha (pseudo-counts per cell) must be >= 0, got {alpha}")


def pair_tables(x, alpha: float = 1.0) -> np.ndarray:
    """Smoothed joint tables of every pixel pair: ``t[a, b, i, j] = p(x_i = a, x_j = b)``.

    The four counts come from two matrix products: n_11 = X^T X, and the others from the
    marginal counts n_1 and the number of images n.
    """
    x = binary_images(x, name="data").astype(np.float64)
    _check_alpha(alpha)
    n = len(x)
    if n + 4 * alpha == 0:
        raise ValueError("no data and alpha = 0: the tables are undefined")
    ones = x.sum(0)
    n11 = x.T @ x
    n10 = ones[:, None] - n11
    n01 = ones[None, :] - n11
    n00 = n - n11 - n10 - n01
    counts = np.stack([np.stack([n00, n01]), np.stack([n10, n11])])
    return (counts + alpha) / (n + 4 * alpha)


def mutual_information(x, alpha: float = 1.0) -> np.ndarray:
    """Pairwise mutual information (nats), shape (D, D), zero on the diagonal.

    I(X_i; X_j) = sum_{a, b} p(a, b) log [p(a, b) / (p(a) p(b))], p the smoothed pair tables.
    """
    joint = pair_tables(x, alpha)
    p_i = joint.sum(1, keepdims=True)  # p(x_i = a), shape (2, 1, D, D)
    p_j = joint.sum(0, keepdims=True)  # p(x_j = b), shape (1, 2, D, D)
    info = (xlogy(joint, joint) - xlogy(joint, p_i) - xlogy(joint, p_j)).sum((0, 1))
    np.fill_diagonal(info, 0.0)
    return np.maximum(info, 0.0)  # rounding can leave -1e-17 for independent pairs


def maximum_spanning_tree(weights, root: int = 0) -> np.ndarray:
    """The maximum spanning tree of a symmetric (D, D) weight matrix, as ``parents`` (root: -1).

    scipy's ``minimum_spanning_tree`` (Kruskal's algorithm) on the costs c_ij = (max w + 1) - w_ij
    for i != j: every spanning tree has D - 1 edges, so the tree of least total cost is the tree
    of greatest total weight, and every cost is > 0 (csgraph reads a 0 as "no edge"). The tree
    is then hung from ``root`` by a breadth-first search: ``parents[i]`` is i's neighbour on the
    path to the root, so parents come before children in the search order.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2 or weights.shape[0] != weights.shape[1]:
        raise ValueError(f"weights must be a square matrix, got shape {weights.shape}")
    if not np.isfinite(weights).all():
        raise ValueError("weights must be finite")
    if not np.allclose(weights, weights.T):
        raise ValueError("weights must be symmetric")
    d = len(weights)
    if not 0 <= root < d:
        raise ValueError(f"root must be a node in 0..{d - 1}, got {root}")
    costs = weights.max(initial=0.0) + 1.0 - weights
    np.fill_diagonal(costs, 0.0)
    tree = csgraph.minimum_spanning_tree(costs)
    _, predecessors = csgraph.breadth_first_order(tree, root, directed=False, return_predecessors=True)
    return np.where(predecessors < 0, -1, predecessors).astype(np.intp)


def tree_edges(parents) -> list[tuple[int, int]]:
    """The tree's edges as ``(parent, child)`` pairs."""
    return [(int(p), i) for i, p in enumerate(parents) if p >= 0]


def topological_order(parents) -> np.ndarray:
    """An order in which every node comes after its parent; ValueError if ``parents`` has a cycle."""
    parents = np.asarray(parents)
    d = len(parents)
    if ((parents < -1) | (parents >= d) | (parents == np.arange(d))).any():
        raise ValueError("parents must be -1 (a root) or the index of another node")
    placed = parents == -1
    order = list(np.flatnonzero(placed))
    while len(order) < d:
        ready = ~placed & np.isin(parents, order)
        if not ready.any():
            raise ValueError("parents contain a cycle: they do not describe a forest")
        order.extend(np.flatnonzero(ready))
        placed |= ready
    return np.array(order)


class ChowLiuTree:
    """A tree-structured distribution over binary pixels, fit by maximum likelihood.

    ``fit(x)`` learns the Chow-Liu tree (the maximum spanning tree of mutual information) and
    its tables; ``fit(x, parents)`` fits the tables of a given forest instead (``parents[i] = -1``
    marks a root; all -1 is the independent-pixel model).

    Attributes after fitting: ``parents`` (D,), ``edge_information`` (D,) (mutual information
    with the parent, 0 for roots), ``p_one`` (D, 2) with ``p_one[i, b] = p(x_i = 1 | x_pa(i) = b)``
    (the root marginal in both columns), and ``order``, a topological order of the pixels.
    """

    def __init__(self, alpha: float = 1.0, root: int = 0):
        _check_alpha(alpha)
        self.alpha, self.root = alpha, root

    def fit(self, x, parents=None) -> "ChowLiuTree":
        bits = binary_images(x, name="data").astype(np.float64)
        d = bits.shape[1]
        joint = pair_tables(bits, self.alpha)
        info = mutual_information(bits, self.alpha)
        if parents is None:
            parents = maximum_spanning_tree(info, self.root)
        parents = np.asarray(parents)
        if parents.shape != (d,):
            raise ValueError(f"parents must have shape ({d},), got {parents.shape}")
        self.order = topological_order(parents)
        self.parents = parents
        nodes = np.arange(d)
        link = np.where(parents >= 0, parents, nodes)
        marginal = joint[1, 1, nodes, nodes] + joint[1, 0, nodes, nodes]  # p(x_i = 1), from the (i, i) table
        pair = joint[:, :, nodes, link]  # p(x_i = a, x_pa = b), shape (2, 2, D)
        parent_marginal = pair.sum(0)  # p(x_pa = b), shape (2, D)
        seen = parent_marginal > 0  # only alpha = 0 leaves a parent value unseen: use p(x_i = 1) there
        self.p_one = np.where(seen, pair[1] / np.where(seen, parent_marginal, 1), marginal).T
        is_root = parents == -1
        self.p_one[is_root] = marginal[is_root, None]
        self.edge_information = np.where(is_root, 0.0, info[nodes, link])
        return self

    def _check_fitted(self, x) -> np.ndarray:
        if not hasattr(self, "parents"):
            raise ValueError("the model is not fitted yet: call fit(x) first")
        bits = binary_images(x, name="data").astype(np.float64)
        if bits.shape[1] != len(self.parents):
            raise ValueError(f"images must have {len(self.parents)} pixels, got {bits.shape[1]}")
        return bits.astype(np.intp)

    def log_prob(self, x) -> np.ndarray:
        """log p(x) in nats, shape (n,): sum_i log p(x_i | x_pa(i))."""
        bits = self._check_fitted(x)
        nodes = np.arange(bits.shape[1])
        link = np.where(self.parents >= 0, self.parents, nodes)
        p_one = self.p_one[nodes, bits[:, link]]  # (n, D)
        with np.errstate(divide="ignore"):
            return np.where(bits == 1, np.log(p_one), np.log1p(-p_one)).sum(1)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` images drawn pixel by pixel in topological order (uint8, (n, D))."""
        if not hasattr(self, "parents"):
            raise ValueError("the model is not fitted yet: call fit(x) first")
        rng = np.random.default_rng(seed)
        x = np.zeros((n, len(self.parents)), dtype=np.uint8)
        for i in self.order:
            parent_value = x[:, self.parents[i]] if self.parents[i] >= 0 else np.zeros(n, np.intp)
            x[:, i] = rng.random(n) < self.p_one[i, parent_value]
        return x

    def n_parameters(self) -> int:
        """One probability per root, two (one per parent value) per other pixel."""
        return int(np.where(self.parents == -1, 1, 2).sum())
