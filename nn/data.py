"""Toy data sets (moons, circles, blobs, spirals, xor, regression) and batching, in pure Python.

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``); sample counts, feature counts and their product may
not exceed ``autograd.checks.MAX_SIZE`` (ten million).
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TypeVar

from autograd import checks

from .text import CharTokenizer, names  # text for language models, re-exported here

__all__ = [
    "CharTokenizer",
    "batch_positions",
    "batches",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_regression",
    "make_spirals",
    "make_xor",
    "names",
    "train_test_split",
]

_T = TypeVar("_T")  # one feature value of a row of X
_L = TypeVar("_L")  # one label (or regression target) of y

# How many radians a spiral arm turns from the centre (r = 0) to its tip (r = 1):
# the span of CS231n's spiral demo, enough to interleave the arms without a full turn.
_SPIRAL_TURN = 4.0


def _rng(where: str, seed: object) -> random.Random:
    """A private generator, so the global ``random`` state is never read or changed."""
    return random.Random(checks.seed(where, seed))


def _check_xy(where: str, X: object, y: object) -> int:
    """The number of samples in ``X`` and ``y``, after checking they match and are non-empty."""
    rows = checks.sequence(where, "X", X)
    n_x, n_y = len(rows), len(checks.sequence(where, "y", y))
    if n_x != n_y:
        raise ValueError(
            f"{where}: X and y must have the same length, got len(X)={n_x} and len(y)={n_y}"
        )
    if n_x == 0:
        raise ValueError(f"{where}: X and y are empty")
    for index, row in enumerate(rows):
        checks.sequence(where, f"X[{index}]", row, what="a sequence of features")
    return n_x


# --- shared construction steps ---


def _linspace(start: float, stop: float, num: int, *, endpoint: bool = True) -> list[float]:
    """``num`` evenly spaced numbers from ``start``; ``stop`` is the last one iff ``endpoint``."""
    if num == 1:
        return [start]
    step = (stop - start) / (num - 1 if endpoint else num)
    values = [start + i * step for i in range(num)]
    if endpoint and values:
        values[-1] = stop  # exact, instead of start + (num - 1) * step
    return values


def _split_evenly(n: int, parts: int) -> list[int]:
    """``n`` split into ``parts`` counts differing by at most one; the first parts get more."""
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]


def _add_noise(rng: random.Random, X: list[list[float]], noise: float) -> None:
    """Add N(0, noise^2) to every coordinate, in place.

    The draws happen even when ``noise`` is 0, so one seed gives the same clean
    points and the same shuffle whatever the noise level.
    """
    for row in X:
        for j in range(len(row)):
            row[j] += rng.gauss(0.0, noise)


def _shuffled(
    rng: random.Random, X: list[list[float]], y: list[_L], shuffle: bool
) -> tuple[list[list[float]], list[_L]]:
    """``(X, y)`` permuted together by ``rng`` when ``shuffle``, else unchanged."""
    if not shuffle:
        return X, y
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


# --- data sets ---


def make_moons(
    n_samples: int = 100, *, noise: float = 0.0, shuffle: bool = True, seed: int | None = None
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles, a classic non-linearly-separable binary problem.

    With ``n_out = n_samples // 2`` and ``n_in = n_samples - n_out``, class 0 is the
    upper half circle ``(cos t, sin t)`` for ``n_out`` values of ``t`` evenly spaced in
    ``[0, pi]`` (both ends included), and class 1 is the lower half circle
    ``(1 - cos t, 0.5 - sin t)`` for ``n_in`` such values. Then N(0, noise^2) is added
    to every coordinate. This is the layout and noise model of scikit-learn's
    ``make_moons``.

    Args:
        n_samples: the total number of points, at least 2 (one per class).
        noise: the standard deviation of the Gaussian noise, finite and >= 0.
        shuffle: permute the samples; if False, all of class 0 come first, in order of ``t``.
        seed: an int >= 0 for reproducible output, or None for fresh randomness.

    Returns:
        ``(X, y)``: ``X`` a list of ``[x, y]`` rows, ``y`` a list of labels 0 and 1.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range.

    Examples:
        >>> X, y = make_moons(6, seed=0)
        >>> len(X), sorted(y)
        (6, [0, 0, 0, 1, 1, 1])
    """
    where = "make_moons"
    n = checks.size(where, "n_samples", n_samples, minimum=2, why=" (one sample per class)")
    sigma = checks.real(where, "noise", noise, at_least=0)
    rng = _rng(where, seed)
    shuffle = checks.flag(where, "shuffle", shuffle)
    n_out = n // 2
    n_in = n - n_out
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    X += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, n_in)]
    y = [0] * n_out + [1] * n_in
    _add_noise(rng, X, sigma)
    return _shuffled(rng, X, y, shuffle)


def make_circles(
    n_samples: int = 100,
    *,
    noise: float = 0.0,
    factor: float = 0.8,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[list[list[float]], list[int]]:
    """A circle inside a larger one, a binary problem no straight line separates.

    With ``n_out = n_samples // 2`` and ``n_in = n_samples - n_out``, class 0 is
    ``(cos t, sin t)`` for ``n_out`` values of ``t`` evenly spaced in ``[0, 2 pi)`` (the
    endpoint left out so no point repeats), and class 1 is ``factor * (cos t, sin t)``
    for ``n_in`` such values. Then N(0, noise^2) is added to every coordinate, as in
    scikit-learn's ``make_circles``.

    Args:
        n_samples: the total number of points, at least 2 (one per class).
        noise: the standard deviation of the Gaussian noise, finite and >= 0.
        factor: the inner radius over the outer radius, strictly between 0 and 1.
        shuffle: permute the samples; if False, all of class 0 come first, in order of ``t``.
        seed: an int >= 0 for reproducible output, or None for fresh randomness.

    Returns:
        ``(X, y)``: ``X`` a list of ``[x, y]`` rows, ``y`` a list of labels 0 and 1.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range.

    Examples:
        >>> X, y = make_circles(4, factor=0.5, shuffle=False)
        >>> [round((a * a + b * b) ** 0.5, 6) for a, b in X], y
        ([1.0, 1.0, 0.5, 0.5], [0, 0, 1, 1])
    """
    where = "make_circles"
    n = checks.size(where, "n_samples", n_samples, minimum=2, why=" (one sample per class)")
    sigma = checks.real(where, "noise", noise, at_least=0)
    ratio = checks.real(where, "factor", factor, above=0, below=1)
    rng = _rng(where, seed)
    shuffle = checks.flag(where, "shuffle", shuffle)
    n_out = n // 2
    n_in = n - n_out
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_out, endpoint=False)]
    X += [
        [ratio * math.cos(t), ratio * math.sin(t)]
        for t in _linspace(0.0, 2 * math.pi, n_in, endpoint=False)
    ]
    y = [0] * n_out + [1] * n_in
    _add_noise(rng, X, sigma)
    return _shuffled(rng, X, y, shuffle)


def _center_points(where: str, centers: object, n_features: int) -> list[list[float]]:
    """Explicit blob centers as float rows, each with ``n_features`` coordinates."""
    rows = checks.iterable(where, "centers", centers, what="an int or a sequence of points")
    points: list[list[float]] = []
    for i, center in enumerate(rows):
        coordinates = checks.iterable(
            where, f"centers[{i}]", center, what="a sequence of coordinates"
        )
        point = [checks.real(where, f"centers[{i}][{j}]", c) for j, c in enumerate(coordinates)]
        if len(point) != n_features:
            raise ValueError(
                f"{where}: centers[{i}] has {len(point)} coordinates but n_features={n_features}; "
                f"pass n_features={len(point)} or points with {n_features} coordinates"
            )
        points.append(point)
    if not points:
        raise ValueError(f"{where}: centers must hold at least one point, got none")
    return points


def make_blobs(
    n_samples: int = 100,
    *,
    centers: int | Sequence[Sequence[float]] = 3,
    n_features: int = 2,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[list[list[float]], list[int]]:
    """Gaussian clusters, one class per cluster.

    Cluster ``k`` gets ``n_samples // n_centers`` points, plus one for each of the first
    ``n_samples % n_centers`` clusters, and each point is its center plus N(0,
    cluster_std^2) in every coordinate. When ``centers`` is an int, that many centers
    are drawn first, each coordinate uniform in ``center_box``.

    Args:
        n_samples: the total number of points, at least one per center.
        centers: how many random centers to draw, or the center points themselves
            (each with ``n_features`` coordinates).
        n_features: the number of coordinates of each point, >= 1.
        cluster_std: the standard deviation around each center, finite and >= 0.
        center_box: ``(low, high)`` bounds for random centers, finite with low <= high.
        shuffle: permute the samples; if False, they come cluster by cluster.
        seed: an int >= 0 for reproducible output, or None for fresh randomness.

    Returns:
        ``(X, y)``: ``X`` a list of rows of ``n_features`` floats, ``y`` the cluster
        index of each row (0 to ``n_centers - 1``).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range or a center has the wrong length.

    Examples:
        >>> X, y = make_blobs(5, centers=[[0.0, 0.0], [9.0, 9.0]], cluster_std=0.0, shuffle=False)
        >>> X, y
        ([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [9.0, 9.0], [9.0, 9.0]], [0, 0, 0, 1, 1])
    """
    where = "make_blobs"
    d = checks.size(where, "n_features", n_features)
    std = checks.real(where, "cluster_std", cluster_std, at_least=0)
    box = checks.sequence(where, "center_box", center_box, what="a (low, high) pair", length=2)
    low = checks.real(where, "center_box[0]", box[0])
    high = checks.real(where, "center_box[1]", box[1])
    if low > high:
        raise ValueError(f"{where}: center_box must have low <= high, got {center_box!r}")
    rng = _rng(where, seed)
    shuffle = checks.flag(where, "shuffle", shuffle)
    if isinstance(centers, bool):
        raise TypeError(f"{where}: centers must be an int or a sequence of points, got bool")
    points: list[list[float]] | None = None
    if isinstance(centers, numbers.Integral):
        k = checks.size(where, "centers", centers)
    else:
        points = _center_points(where, centers, d)
        k = len(points)
    n = checks.size(where, "n_samples", n_samples, minimum=k, why=" (one sample per center)")
    checks.size(where, "n_samples * n_features", n * d)
    if points is None:
        points = [[rng.uniform(low, high) for _ in range(d)] for _ in range(k)]
    X: list[list[float]] = []
    y: list[int] = []
    for label, (center, count) in enumerate(
        zip(points, _split_evenly(n, len(points)), strict=True)
    ):
        for _ in range(count):
            X.append([c + rng.gauss(0.0, std) for c in center])
            y.append(label)
    return _shuffled(rng, X, y, shuffle)


def make_spirals(
    n_samples: int = 100,
    *,
    n_classes: int = 2,
    noise: float = 0.0,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[list[list[float]], list[int]]:
    """Interleaved spiral arms, one class per arm (the CS231n spiral data set).

    The samples are split as evenly as possible between the ``K = n_classes`` arms
    (the first arms get the remainder). Arm ``k`` with ``m`` points has radii
    ``r`` evenly spaced in ``[0, 1]`` (both ends included) and angles
    ``theta = 4 r + 2 pi k / K`` (so each arm turns 4 radians), giving
    the points ``(r cos theta, r sin theta)``. Then N(0, noise^2) is added to every
    coordinate. Every arm starts at the origin, so without noise the point ``(0, 0)``
    appears once in each class.

    Args:
        n_samples: the total number of points, at least one per class.
        n_classes: the number of arms, >= 2.
        noise: the standard deviation of the Gaussian noise, finite and >= 0.
        shuffle: permute the samples; if False, they come arm by arm, from the centre out.
        seed: an int >= 0 for reproducible output, or None for fresh randomness.

    Returns:
        ``(X, y)``: ``X`` a list of ``[x, y]`` rows, ``y`` the arm index of each row.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range.

    Examples:
        >>> X, y = make_spirals(9, n_classes=3, seed=0)
        >>> sorted(y)
        [0, 0, 0, 1, 1, 1, 2, 2, 2]
    """
    where = "make_spirals"
    k = checks.size(where, "n_classes", n_classes, minimum=2)
    n = checks.size(where, "n_samples", n_samples, minimum=k, why=" (one sample per class)")
    sigma = checks.real(where, "noise", noise, at_least=0)
    rng = _rng(where, seed)
    shuffle = checks.flag(where, "shuffle", shuffle)
    X: list[list[float]] = []
    y: list[int] = []
    for label, count in enumerate(_split_evenly(n, k)):
        offset = 2 * math.pi * label / k
        for r in _linspace(0.0, 1.0, count):
            theta = _SPIRAL_TURN * r + offset
            X.append([r * math.cos(theta), r * math.sin(theta)])
            y.append(label)
    _add_noise(rng, X, sigma)
    return _shuffled(rng, X, y, shuffle)


def make_xor(
    n_samples: int = 100, *, noise: float = 0.0, shuffle: bool = True, seed: int | None = None
) -> tuple[list[list[float]], list[int]]:
    """Points in the square ``[-1, 1]^2`` labelled by the XOR of their coordinates' signs.

    Each point ``(a, b)`` is uniform in ``[-1, 1]^2`` and gets label 1 when ``a * b < 0``
    (the coordinates have opposite signs: quadrants II and IV) and 0 otherwise
    (quadrants I and III, and the measure-zero axes). The labels come from the clean
    points; N(0, noise^2) is added to every coordinate afterwards, so with noise some
    points land on the other side of an axis than their label says.

    Args:
        n_samples: the number of points, >= 1.
        noise: the standard deviation of the Gaussian noise, finite and >= 0.
        shuffle: permute the samples (they are i.i.d., so this only reorders the draws).
        seed: an int >= 0 for reproducible output, or None for fresh randomness.

    Returns:
        ``(X, y)``: ``X`` a list of ``[a, b]`` rows, ``y`` a list of labels 0 and 1.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range.

    Examples:
        >>> X, y = make_xor(8, seed=0)
        >>> all(label == int(a * b < 0) for (a, b), label in zip(X, y))
        True
    """
    where = "make_xor"
    n = checks.size(where, "n_samples", n_samples)
    sigma = checks.real(where, "noise", noise, at_least=0)
    rng = _rng(where, seed)
    shuffle = checks.flag(where, "shuffle", shuffle)
    X = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(n)]
    y = [1 if a * b < 0 else 0 for a, b in X]
    _add_noise(rng, X, sigma)
    return _shuffled(rng, X, y, shuffle)


def make_regression(
    n_samples: int = 100,
    *,
    n_features: int = 1,
    noise: float = 0.0,
    bias: float = 0.0,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[list[list[float]], list[float]]:
    """A linear regression problem ``y = X . w + bias + N(0, noise^2)``.

    The true weights are drawn first, ``w_j = 100 * U(0, 1)`` (the scale scikit-learn's
    ``make_regression`` uses for its coefficients), so they depend only on ``seed`` and
    ``n_features``. Then each row of ``X`` is drawn from N(0, 1) in every feature, and
    each target is ``sum_j w_j x_j + bias`` plus N(0, noise^2). Every feature is
    informative. The weights are not returned; fit them.

    Args:
        n_samples: the number of rows, >= 1.
        n_features: the number of features per row, >= 1.
        noise: the standard deviation of the Gaussian noise on ``y``, finite and >= 0.
        bias: the intercept, finite.
        shuffle: permute the samples (they are i.i.d., so this only reorders the draws).
        seed: an int >= 0 for reproducible output, or None for fresh randomness.

    Returns:
        ``(X, y)``: ``X`` a list of rows of ``n_features`` floats, ``y`` a list of floats.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range.

    Examples:
        >>> X, y = make_regression(3, n_features=2, seed=0)
        >>> len(X), len(X[0]), len(y)
        (3, 2, 3)
    """
    where = "make_regression"
    n = checks.size(where, "n_samples", n_samples)
    d = checks.size(where, "n_features", n_features)
    checks.size(where, "n_samples * n_features", n * d)
    sigma = checks.real(where, "noise", noise, at_least=0)
    intercept = checks.real(where, "bias", bias)
    rng = _rng(where, seed)
    shuffle = checks.flag(where, "shuffle", shuffle)
    w = [100.0 * rng.random() for _ in range(d)]
    X = [[rng.gauss(0.0, 1.0) for _ in range(d)] for _ in range(n)]
    y = [sum(wj * xj for wj, xj in zip(w, row, strict=True)) + intercept for row in X]
    y = [target + rng.gauss(0.0, sigma) for target in y]
    return _shuffled(rng, X, y, shuffle)


# --- splitting and batching ---


def _n_test(where: str, test_size: object, n: int) -> int:
    """How many of ``n`` samples go to the test set; both sets must be non-empty."""
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(
            f"{where}: test_size must be a float fraction or an int count, "
            f"got {type(test_size).__name__}"
        )
    if isinstance(test_size, numbers.Integral):
        count = int(test_size)
        if not 1 <= count <= n - 1:
            raise ValueError(
                f"{where}: test_size as a count must be in [1, {n - 1}] for {n} samples, "
                f"got {checks.shown(count)}"
            )
        return count
    fraction = float(test_size)
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"{where}: test_size as a fraction must be in (0, 1), got {test_size!r}")
    # ceil on the decimal the caller wrote: in floats 0.07 * 100 is 7.000000000000001,
    # whose ceiling would put 8 samples, not 7, in the test set.
    count = math.ceil(Fraction(repr(fraction)) * n)
    if count >= n:
        raise ValueError(f"{where}: test_size={test_size!r} leaves no training samples out of {n}")
    return count


def train_test_split(
    X: Sequence[Sequence[_T]],
    y: Sequence[_L],
    *,
    test_size: float = 0.25,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[list[list[_T]], list[list[_T]], list[_L], list[_L]]:
    """Split samples into a training set and a test set.

    A float ``test_size`` is a fraction: the test set gets ``ceil(test_size * n)``
    samples, as in scikit-learn, with the product taken on the decimal value of
    ``test_size`` so float rounding never adds a sample. An int is the count itself.
    Both sets must end up non-empty. Without shuffling the test set is the last
    samples.

    Args:
        X: the samples, one sequence of features per row.
        y: the labels or targets, one per row of ``X``.
        test_size: a fraction in (0, 1) or an int count in [1, n - 1].
        shuffle: draw the split at random; if False, keep the order.
        seed: an int >= 0 for a reproducible split, or None for fresh randomness.

    Returns:
        ``(X_train, X_test, y_train, y_test)``, new lists with copied rows.

    Raises:
        TypeError: if ``X``, ``y``, ``test_size`` or ``seed`` has the wrong type.
        ValueError: if ``X`` and ``y`` differ in length, hold fewer than 2 samples,
            or ``test_size`` is out of range.

    Examples:
        >>> X_train, X_test, y_train, y_test = train_test_split(
        ...     [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1], shuffle=False)
        >>> X_train, X_test, y_train, y_test
        ([[0.0], [1.0], [2.0]], [[3.0]], [0, 1, 0], [1])
    """
    where = "train_test_split"
    n = _check_xy(where, X, y)
    if n < 2:
        raise ValueError(f"{where}: need at least 2 samples to split, got {n}")
    n_train = n - _n_test(where, test_size, n)
    rng = _rng(where, seed)
    shuffle = checks.flag(where, "shuffle", shuffle)
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    train, test = order[:n_train], order[n_train:]
    return (
        [list(X[i]) for i in train],
        [list(X[i]) for i in test],
        [y[i] for i in train],
        [y[i] for i in test],
    )


def batches(
    X: Sequence[Sequence[_T]],
    y: Sequence[_L],
    batch_size: int,
    *,
    shuffle: bool = True,
    seed: int | None = None,
) -> Iterator[tuple[list[list[_T]], list[_L]]]:
    """Iterate over ``(X_batch, y_batch)`` mini-batches covering every sample once.

    The arguments are checked and the order is drawn when ``batches`` is called, not
    on the first ``next``. All batches hold ``batch_size`` samples except possibly the
    last. Each call draws a new order from its own ``seed``, so the same seed gives
    the same order every epoch; pass ``seed=None`` or ``seed=epoch`` for a new one.

    Args:
        X: the samples, one sequence of features per row.
        y: the labels or targets, one per row of ``X``.
        batch_size: the number of samples per batch, >= 1.
        shuffle: visit the samples in random order; if False, in their order.
        seed: an int >= 0 for a reproducible order, or None for fresh randomness.

    Returns:
        An iterator of ``(X_batch, y_batch)`` pairs of new lists with copied rows.

    Raises:
        TypeError: if ``X``, ``y``, ``batch_size`` or ``seed`` has the wrong type.
        ValueError: if ``X`` and ``y`` differ in length or are empty, or
            ``batch_size`` < 1.

    Examples:
        >>> [y_batch for _, y_batch in batches([[0.0]] * 5, [0, 1, 2, 3, 4], 2, shuffle=False)]
        [[0, 1], [2, 3], [4]]
    """
    where = "batches"
    n = _check_xy(where, X, y)
    return _batch_iterator(X, y, _positions(where, n, batch_size, shuffle, seed))


def batch_positions(
    n: int, batch_size: int, *, shuffle: bool = True, seed: int | None = None
) -> list[list[int]]:
    """The positions ``0 .. n-1`` in the batches :func:`batches` makes of ``n`` samples.

    For data that is already checked (``nn.fit`` draws each epoch's order with it):
    ``batches(X, y, ...)`` with the same arguments yields the rows and targets at
    these positions.

    Args:
        n: the number of samples, >= 1.
        batch_size: the number of positions per batch, >= 1.
        shuffle: draw a random order; if False, ``0 .. n-1`` in order.
        seed: an int >= 0 for a reproducible order, or None for fresh randomness.

    Returns:
        A list of batches, each a list of positions; every position once.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if ``n`` or ``batch_size`` is < 1.

    Examples:
        >>> batch_positions(5, 2, shuffle=False)
        [[0, 1], [2, 3], [4]]
    """
    return _positions("batch_positions", n, batch_size, shuffle, seed)


def _positions(
    where: str, n: object, batch_size: object, shuffle: object, seed: object
) -> list[list[int]]:
    """``batch_positions``, its checks naming ``where``."""
    count = checks.size(where, "n", n)
    size = checks.integer(where, "batch_size", batch_size, minimum=1)
    rng = _rng(where, seed)
    order = list(range(count))
    if checks.flag(where, "shuffle", shuffle):
        rng.shuffle(order)
    return [order[start : start + size] for start in range(0, count, size)]


def _batch_iterator(
    X: Sequence[Sequence[_T]], y: Sequence[_L], chunks: list[list[int]]
) -> Iterator[tuple[list[list[_T]], list[_L]]]:
    """The batches of ``batches``, a separate generator so its checks run eagerly."""
    for chunk in chunks:
        yield [list(X[i]) for i in chunk], [y[i] for i in chunk]
