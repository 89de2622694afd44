"""The Chow-Liu tree checked by brute force: all 2^D images, all spanning trees, direct counts."""

import itertools

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import mutual_info_score

from mlebook.chapters import chow_liu as structure


def all_images(d):
    return np.array(list(itertools.product([0, 1], repeat=d)), dtype=np.uint8)


def correlated_bits(n, d, seed=0):
    """Pixels copied from a random earlier pixel and flipped with a pixel-specific probability."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, d), np.uint8)
    x[:, 0] = rng.random(n) < 0.4
    for i in range(1, d):
        source = rng.integers(0, i)
        x[:, i] = x[:, source] ^ (rng.random(n) < rng.uniform(0.05, 0.45))
    return x


def spanning_trees(d):
    """Every spanning tree on d nodes as a set of undirected edges, by checking all edge subsets."""
    pairs = list(itertools.combinations(range(d), 2))
    for edges in itertools.combinations(pairs, d - 1):
        component = list(range(d))  # union-find without path compression: d is tiny

        def find(a):
            while component[a] != a:
                a = component[a]
            return a

        acyclic = True
        for a, b in edges:
            ra, rb = find(a), find(b)
            if ra == rb:
                acyclic = False
                break
            component[ra] = rb
        if acyclic:
            yield frozenset(edges)


def orient(edges, d, root=0):
    """Parents array of an undirected tree hung from root."""
    parents, frontier, seen = np.full(d, -1), [root], {root}
    while frontier:
        node = frontier.pop()
        for a, b in edges:
            other = b if a == node else a if b == node else None
            if other is not None and other not in seen:
                parents[other] = node
                seen.add(other)
                frontier.append(other)
    return parents


def undirected(parents):
    return frozenset(tuple(sorted(edge)) for edge in structure.tree_edges(parents))


# --- mutual information ----------------------------------------------------------------------


def test_mutual_information_matches_a_pair_by_pair_computation():
    x = correlated_bits(300, 6, seed=1)
    alpha = 1.0
    info = structure.mutual_information(x, alpha)
    for i, j in itertools.permutations(range(6), 2):
        counts = np.array([[np.sum((x[:, i] == a) & (x[:, j] == b)) for b in (0, 1)] for a in (0, 1)])
        p = (counts + alpha) / (len(x) + 4 * alpha)
        expected = sum(p[a, b] * np.log(p[a, b] / (p[a].sum() * p[:, b].sum())) for a in (0, 1) for b in (0, 1))
        assert info[i, j] == pytest.approx(expected, rel=1e-10, abs=1e-14)
    assert np.all(np.diag(info) == 0)


def test_unsmoothed_mutual_information_matches_sklearn():
    x = correlated_bits(500, 5, seed=2)
    x[:, 3] = 0  # a constant pixel: zero counts must not produce NaN
    info = structure.mutual_information(x, alpha=0.0)
    for i, j in itertools.combinations(range(5), 2):
        assert info[i, j] == pytest.approx(mutual_info_score(x[:, i], x[:, j]), abs=1e-12)
    np.testing.assert_allclose(info, info.T)


# --- the tree ------------------------------------------------------------------------------


def tree_weight(weights, parents):
    return sum(weights[p, c] for p, c in structure.tree_edges(parents))


def check_is_a_spanning_tree(parents, root):
    d = len(parents)
    assert parents[root] == -1 and (parents >= 0).sum() == d - 1
    structure.topological_order(parents)  # no cycle: with d - 1 edges, a spanning tree


@pytest.mark.parametrize("d", [2, 3, 4, 5, 6])
def test_maximum_spanning_tree_is_the_heaviest_of_all_spanning_trees(d):
    """Against every spanning tree, on weights with ties and zeros (integers 0..3) and on continuous ones."""
    rng = np.random.default_rng(d)
    trees = list(spanning_trees(d))
    for trial in range(20):
        w = rng.integers(0, 4, (d, d)).astype(float) if trial % 2 else rng.random((d, d))
        w = np.triu(w, 1)
        w = w + w.T
        root = int(rng.integers(d))
        parents = structure.maximum_spanning_tree(w, root=root)
        check_is_a_spanning_tree(parents, root)
        best = max(sum(w[a, b] for a, b in edges) for edges in trees)
        assert tree_weight(w, parents) == pytest.approx(best, abs=1e-12)


def prim(weights, root):
    """Prim's algorithm, written out: grow the tree from root by the heaviest edge to a new node."""
    d = len(weights)
    parents, in_tree = np.full(d, -1), {root}
    while len(in_tree) < d:
        weight, parent, child = max((weights[a, b], a, b) for a in in_tree for b in range(d) if b not in in_tree)
        parents[child] = parent
        in_tree.add(child)
    return parents


def test_maximum_spanning_tree_is_as_heavy_as_prims_on_a_larger_graph():
    rng = np.random.default_rng(0)
    w = rng.random((30, 30))
    w = (w + w.T) / 2
    np.fill_diagonal(w, 0)
    parents = structure.maximum_spanning_tree(w, root=4)
    check_is_a_spanning_tree(parents, 4)
    assert tree_weight(w, parents) == pytest.approx(tree_weight(w, prim(w, 4)), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chow_liu_tree_is_the_brute_force_maximum_information_and_likelihood_tree(seed):
    d = 5
    x = correlated_bits(400, d, seed)
    info = structure.mutual_information(x, alpha=0.0)
    trees = list(spanning_trees(d))
    assert len(trees) == d ** (d - 2)  # Cayley's formula
    best = max(trees, key=lambda edges: sum(info[a, b] for a, b in edges))
    model = structure.ChowLiuTree(alpha=0.0).fit(x)
    assert undirected(model.parents) == best
    train_log_lik = {edges: structure.ChowLiuTree(alpha=0.0).fit(x, orient(edges, d)).log_prob(x).mean() for edges in trees}
    assert max(train_log_lik, key=train_log_lik.get) == best
    assert model.log_prob(x).mean() == pytest.approx(train_log_lik[best])


def test_training_likelihood_is_information_minus_entropy_and_does_not_depend_on_the_root():
    x = correlated_bits(300, 6, seed=4)
    p = x.mean(0)
    entropies = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    for root in range(6):
        model = structure.ChowLiuTree(alpha=0.0, root=root).fit(x)
        assert model.parents[root] == -1
        expected = model.edge_information.sum() - entropies.sum()
        assert model.log_prob(x).mean() == pytest.approx(expected, rel=1e-10)


# --- the distribution ------------------------------------------------------------------------


@pytest.mark.parametrize("d, alpha", [(3, 1.0), (6, 0.5), (8, 2.0)])
def test_probabilities_of_all_images_sum_to_one(d, alpha):
    x = correlated_bits(200, d, seed=d)
    model = structure.ChowLiuTree(alpha=alpha).fit(x)
    assert np.exp(model.log_prob(all_images(d))).sum() == pytest.approx(1.0, abs=1e-12)
    forest = np.array([-1, 0, 0, -1, 3, 1, 5, -1])[:d]
    model = structure.ChowLiuTree(alpha=alpha).fit(x, forest)
    assert np.exp(model.log_prob(all_images(d))).sum() == pytest.approx(1.0, abs=1e-12)


def test_a_forest_of_roots_is_the_independent_bernoulli_model():
    x = correlated_bits(250, 7, seed=5)
    alpha = 0.5
    model = structure.ChowLiuTree(alpha=alpha).fit(x, parents=np.full(7, -1))
    p = (x.sum(0) + 2 * alpha) / (len(x) + 4 * alpha)
    expected = stats.bernoulli.logpmf(x, p).sum(1)
    np.testing.assert_allclose(model.log_prob(x), expected, rtol=1e-12)
    assert model.n_parameters() == 7


def test_conditionals_are_smoothed_counts():
    x = correlated_bits(100, 4, seed=6)
    model = structure.ChowLiuTree(alpha=1.0).fit(x)
    for parent, child in structure.tree_edges(model.parents):
        for b in (0, 1):
            rows = x[:, parent] == b
            assert model.p_one[child, b] == pytest.approx((x[rows, child].sum() + 1) / (rows.sum() + 2))
    assert model.n_parameters() == 1 + 2 * 3


def test_samples_follow_the_model_distribution():
    d = 4
    model = structure.ChowLiuTree(alpha=1.0).fit(correlated_bits(200, d, seed=7))
    samples = model.sample(200_000, seed=0)
    codes = samples @ (2 ** np.arange(d - 1, -1, -1))
    frequencies = np.bincount(codes, minlength=2**d) / len(samples)
    probabilities = np.exp(model.log_prob(all_images(d)))
    # 200,000 draws: the standard error of each frequency is below 0.0012.
    np.testing.assert_allclose(frequencies, probabilities, atol=0.005)
    np.testing.assert_array_equal(model.sample(10, seed=3), model.sample(10, seed=3))


def test_unseen_parent_value_falls_back_to_the_marginal_without_smoothing():
    x = np.array([[0, 0], [0, 1], [0, 1], [0, 0]], np.uint8)  # pixel 0 is never 1
    model = structure.ChowLiuTree(alpha=0.0).fit(x, parents=np.array([-1, 0]))
    assert model.p_one[1, 1] == pytest.approx(0.5)
    assert np.isfinite(model.log_prob(np.array([[0, 1]]))).all()
    assert model.log_prob(np.array([[1, 1]]))[0] == -np.inf  # pixel 0 = 1 has probability 0


def test_bad_inputs_raise_value_errors():
    with pytest.raises(ValueError, match="0 and 1"):
        structure.mutual_information(np.array([[0, 2]]))
    with pytest.raises(ValueError, match="shape"):
        structure.mutual_information(np.zeros(5))
    with pytest.raises(ValueError, match="alpha"):
        structure.ChowLiuTree(alpha=-1)
    with pytest.raises(ValueError, match="cycle"):
        structure.topological_order(np.array([1, 2, 0]))
    with pytest.raises(ValueError, match="another node"):
        structure.topological_order(np.array([-1, 1]))
    with pytest.raises(ValueError, match="symmetric"):
        structure.maximum_spanning_tree(np.array([[0, 1], [2, 0]]))
    with pytest.raises(ValueError, match="finite"):
        structure.maximum_spanning_tree(np.array([[0, np.nan], [np.nan, 0]]))
    with pytest.raises(ValueError, match="not fitted"):
        structure.ChowLiuTree().log_prob(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="pixels"):
        structure.ChowLiuTree().fit(np.zeros((4, 3))).log_prob(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="parents must have shape"):
        structure.ChowLiuTree().fit(np.zeros((4, 3)), parents=np.array([-1, 0]))
