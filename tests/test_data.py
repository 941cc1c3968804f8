"""Tests for nn.data: toy data sets, train_test_split and batches."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn.data import (
    batch_positions,
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_regression,
    make_spirals,
    make_xor,
    train_test_split,
)

#: Geometry without noise is exact up to float rounding in cos, sin and sqrt.
GEOMETRY_ATOL = 1e-12
#: Samples used to estimate a noise standard deviation.
NOISE_SAMPLES = 2000
#: Relative tolerance on an estimated standard deviation: with 2000+ values its
#: standard error is under 2%, so 10% is a loose bound that still catches a wrong scale.
STD_RTOL = 0.1

Generator = Callable[..., tuple[list[list[float]], list[Any]]]

#: Every data set generator, with keyword arguments that make its output random.
GENERATORS: list[tuple[Generator, dict[str, Any]]] = [
    (make_moons, {"noise": 0.1}),
    (make_circles, {"noise": 0.1}),
    (make_blobs, {}),
    (make_spirals, {"noise": 0.1}),
    (make_xor, {"noise": 0.1}),
    (make_regression, {"noise": 1.0, "n_features": 2}),
]
#: Generators that take a ``noise`` argument added to the points.
POINT_NOISE = [make_moons, make_circles, make_spirals, make_xor]


def _ids(generator: Generator) -> str:
    return generator.__name__


def _noise_residuals(generator: Generator, noise: float, **kwargs: Any) -> list[float]:
    """Noisy minus clean coordinates of one seed: the noise draws themselves."""
    clean, _ = generator(NOISE_SAMPLES, noise=0.0, shuffle=False, seed=7, **kwargs)
    noisy, _ = generator(NOISE_SAMPLES, noise=noise, shuffle=False, seed=7, **kwargs)
    return [a - b for row_a, row_b in zip(noisy, clean) for a, b in zip(row_a, row_b)]


def _angle_gap(a: float, b: float) -> float:
    """The distance between two angles on the circle, in [0, pi]."""
    gap = (a - b) % (2 * math.pi)
    return min(gap, 2 * math.pi - gap)


class TestMakeMoons:
    def test_shapes_and_class_counts(self) -> None:
        """n_samples // 2 points are labelled 0 and the rest 1, each a pair of floats."""
        X, y = make_moons(7, seed=0)
        assert len(X) == len(y) == 7
        assert all(len(row) == 2 and all(isinstance(v, float) for v in row) for row in X)
        assert Counter(y) == {0: 3, 1: 4}
        assert all(type(label) is int for label in y)

    def test_points_lie_on_their_semicircles(self) -> None:
        """Without noise class 0 is on the upper unit semicircle, class 1 on the lower one."""
        X, y = make_moons(51, shuffle=False)
        for (a, b), label in zip(X, y):
            if label == 0:
                assert math.hypot(a, b) == pytest.approx(1.0, abs=GEOMETRY_ATOL)
                assert b >= -GEOMETRY_ATOL
            else:
                assert math.hypot(a - 1.0, b - 0.5) == pytest.approx(1.0, abs=GEOMETRY_ATOL)
                assert b <= 0.5 + GEOMETRY_ATOL

    def test_unshuffled_order_runs_along_t(self) -> None:
        """With shuffle=False class 0 comes first and each arc runs from t = 0 to t = pi evenly."""
        X, y = make_moons(10, shuffle=False)
        assert y == [0] * 5 + [1] * 5
        outer = [math.atan2(b, a) for a, b in X[:5]]
        assert outer == pytest.approx([k * math.pi / 4 for k in range(5)], abs=GEOMETRY_ATOL)
        assert X[5] == pytest.approx([0.0, 0.5], abs=GEOMETRY_ATOL)
        assert X[9] == pytest.approx([2.0, 0.5], abs=GEOMETRY_ATOL)

    def test_noise_is_gaussian_with_the_given_std(self) -> None:
        """The noise on each coordinate has mean about 0 and standard deviation about noise."""
        residuals = _noise_residuals(make_moons, 0.1)
        assert statistics.fmean(residuals) == pytest.approx(0.0, abs=0.01)
        assert statistics.pstdev(residuals) == pytest.approx(0.1, rel=STD_RTOL)

    def test_needs_one_sample_per_class(self) -> None:
        """One sample cannot hold both moons, so n_samples=1 is rejected."""
        with pytest.raises(ValueError, match=r"make_moons: n_samples must be >= 2 .*got 1"):
            make_moons(1)


class TestMakeCircles:
    def test_shapes_and_class_counts(self) -> None:
        """n_samples // 2 points are labelled 0 and the rest 1, each a pair of floats."""
        X, y = make_circles(9, seed=0)
        assert len(X) == 9
        assert all(len(row) == 2 for row in X)
        assert Counter(y) == {0: 4, 1: 5}

    @pytest.mark.parametrize("factor", [0.1, 0.5, 0.8, 0.99])
    def test_points_lie_on_radius_one_and_factor(self, factor: float) -> None:
        """Without noise class 0 lies at radius 1 and class 1 at radius factor."""
        X, y = make_circles(40, factor=factor, seed=3)
        for (a, b), label in zip(X, y):
            radius = 1.0 if label == 0 else factor
            assert math.hypot(a, b) == pytest.approx(radius, abs=GEOMETRY_ATOL)

    def test_angles_are_evenly_spaced_without_the_endpoint(self) -> None:
        """Each circle's angles are 2 pi k / m for k < m, so no point repeats at 2 pi."""
        X, _ = make_circles(14, shuffle=False)
        for arc in (X[:7], X[7:]):
            angles = [math.atan2(b, a) % (2 * math.pi) for a, b in arc]
            expected = [2 * math.pi * k / 7 for k in range(7)]
            assert all(_angle_gap(a, e) < GEOMETRY_ATOL for a, e in zip(angles, expected))

    def test_noise_is_gaussian_with_the_given_std(self) -> None:
        """The noise on each coordinate has mean about 0 and standard deviation about noise."""
        residuals = _noise_residuals(make_circles, 0.05, factor=0.5)
        assert statistics.fmean(residuals) == pytest.approx(0.0, abs=0.005)
        assert statistics.pstdev(residuals) == pytest.approx(0.05, rel=STD_RTOL)

    @pytest.mark.parametrize("factor", [0.0, 1.0, -0.5, 1.5, math.nan, math.inf])
    def test_factor_outside_open_unit_interval_is_rejected(self, factor: float) -> None:
        """factor must be strictly between 0 and 1 (and finite)."""
        with pytest.raises(ValueError, match=r"make_circles: factor must be"):
            make_circles(10, factor=factor)

    def test_factor_of_wrong_type_is_rejected(self) -> None:
        """A string factor is a TypeError naming the parameter and the type."""
        with pytest.raises(TypeError, match=r"factor must be a real number, got str"):
            make_circles(10, factor="0.5")  # type: ignore[arg-type]

    def test_needs_one_sample_per_class(self) -> None:
        """One sample cannot hold both circles, so n_samples=1 is rejected."""
        with pytest.raises(ValueError, match=r"make_circles: n_samples must be >= 2 .*got 1"):
            make_circles(1)


class TestMakeBlobs:
    def test_samples_split_evenly_with_remainder_first(self) -> None:
        """10 samples over 3 centers give 4, 3, 3: the first centers get the remainder."""
        _, y = make_blobs(10, centers=3, seed=0)
        assert Counter(y) == {0: 4, 1: 3, 2: 3}
        _, y = make_blobs(10, centers=3, shuffle=False, seed=0)
        assert y == [0] * 4 + [1] * 3 + [2] * 3

    def test_explicit_centers_with_zero_std_are_exact(self) -> None:
        """With cluster_std=0 every point equals its center."""
        centers = [[1.0, 2.0, 3.0], [-4.0, 5.0, 0.5]]
        X, y = make_blobs(6, centers=centers, n_features=3, cluster_std=0.0, seed=1)
        for row, label in zip(X, y):
            assert row == centers[label]

    def test_random_centers_lie_in_center_box(self) -> None:
        """Random centers are drawn inside center_box, one coordinate per feature."""
        X, y = make_blobs(
            50, centers=5, n_features=4, cluster_std=0.0, center_box=(2.0, 3.0), seed=2
        )
        assert all(len(row) == 4 and all(2.0 <= v <= 3.0 for v in row) for row in X)
        assert len({tuple(row) for row in X}) == 5
        assert sorted(set(y)) == [0, 1, 2, 3, 4]

    def test_cluster_std_is_the_spread_around_the_center(self) -> None:
        """Points scatter around their center with standard deviation cluster_std."""
        X, _ = make_blobs(NOISE_SAMPLES, centers=[[5.0, -5.0]], cluster_std=2.0, seed=4)
        for j, center in enumerate([5.0, -5.0]):
            column = [row[j] for row in X]
            assert statistics.fmean(column) == pytest.approx(center, abs=0.2)
            assert statistics.pstdev(column) == pytest.approx(2.0, rel=STD_RTOL)

    def test_caller_centers_are_not_modified(self) -> None:
        """The centers passed in are read, never written."""
        centers = [[0.0, 0.0], [1.0, 1.0]]
        X, _ = make_blobs(4, centers=centers, seed=0)
        X[0][0] = 99.0
        assert centers == [[0.0, 0.0], [1.0, 1.0]]

    def test_center_of_wrong_dimension_is_rejected(self) -> None:
        """A center whose length differs from n_features is a ValueError naming both."""
        with pytest.raises(ValueError, match=r"centers\[1\] has 3 coordinates but n_features=2"):
            make_blobs(4, centers=[[0.0, 0.0], [1.0, 1.0, 1.0]])

    @pytest.mark.parametrize(
        ("centers", "error", "message"),
        [
            (0, ValueError, r"centers must be >= 1, got 0"),
            ([], ValueError, r"centers must hold at least one point"),
            (True, TypeError, r"centers must be an int or a sequence of points, got bool"),
            (2.5, TypeError, r"centers must be an int or a sequence of points, got float"),
            ("ab", TypeError, r"centers must be an int or a sequence of points, got str"),
            ([1.0, 2.0], TypeError, r"centers\[0\] must be a sequence of coordinates"),
            ([[0.0, math.nan]], ValueError, r"centers\[0\]\[1\] must be a finite number"),
        ],
    )
    def test_bad_centers_are_rejected(self, centers: Any, error: type, message: str) -> None:
        """Bad centers raise with a message naming the parameter."""
        with pytest.raises(error, match=message):
            make_blobs(10, centers=centers)

    def test_fewer_samples_than_centers_is_rejected(self) -> None:
        """Every center needs at least one sample, so n_samples < centers is rejected."""
        with pytest.raises(ValueError, match=r"n_samples must be >= 3 .*center.*got 2"):
            make_blobs(2, centers=3)

    @pytest.mark.parametrize(
        ("box", "error", "message"),
        [
            ((1.0, -1.0), ValueError, r"center_box must have low <= high"),
            ((0.0, 1.0, 2.0), ValueError, r"center_box must be a \(low, high\) pair"),
            ((0.0, math.inf), ValueError, r"center_box\[1\] must be a finite number"),
            (5.0, TypeError, r"center_box must be a \(low, high\) pair, got float"),
        ],
    )
    def test_bad_center_box_is_rejected(self, box: Any, error: type, message: str) -> None:
        """center_box must be a finite (low, high) pair with low <= high."""
        with pytest.raises(error, match=message):
            make_blobs(10, center_box=box)

    @pytest.mark.parametrize(("std", "error"), [(-1.0, ValueError), (math.nan, ValueError)])
    def test_bad_cluster_std_is_rejected(self, std: float, error: type) -> None:
        """cluster_std must be finite and >= 0."""
        with pytest.raises(error, match=r"cluster_std must be a finite number >= 0"):
            make_blobs(10, cluster_std=std)

    def test_bad_n_features_is_rejected(self) -> None:
        """n_features must be an int >= 1."""
        with pytest.raises(ValueError, match=r"make_blobs: n_features must be >= 1, got 0"):
            make_blobs(10, n_features=0)


class TestMakeSpirals:
    def test_shapes_and_class_counts(self) -> None:
        """Samples are split as evenly as possible between the arms, first arms first."""
        X, y = make_spirals(10, n_classes=3, seed=0)
        assert len(X) == 10
        assert all(len(row) == 2 for row in X)
        assert Counter(y) == {0: 4, 1: 3, 2: 3}

    @pytest.mark.parametrize("n_classes", [2, 3, 5])
    def test_radii_grow_linearly_from_zero_to_one(self, n_classes: int) -> None:
        """Without noise the radii along each arm are evenly spaced in [0, 1]."""
        X, y = make_spirals(10 * n_classes, n_classes=n_classes, shuffle=False)
        for label in range(n_classes):
            radii = [math.hypot(a, b) for (a, b), k in zip(X, y) if k == label]
            expected = [i / 9 for i in range(10)]
            assert radii == pytest.approx(expected, abs=GEOMETRY_ATOL)

    @pytest.mark.parametrize("n_classes", [2, 3, 4])
    def test_angle_is_linear_in_radius_plus_class_offset(self, n_classes: int) -> None:
        """Without noise each point's angle is 4 r + 2 pi k / n_classes."""
        X, y = make_spirals(12 * n_classes, n_classes=n_classes, seed=5)
        for (a, b), k in zip(X, y):
            r = math.hypot(a, b)
            if r > 0:  # the origin has no angle
                expected = 4.0 * r + 2 * math.pi * k / n_classes
                assert _angle_gap(math.atan2(b, a), expected) < 1e-9

    def test_noise_is_gaussian_with_the_given_std(self) -> None:
        """The noise on each coordinate has mean about 0 and standard deviation about noise."""
        residuals = _noise_residuals(make_spirals, 0.2, n_classes=3)
        assert statistics.fmean(residuals) == pytest.approx(0.0, abs=0.02)
        assert statistics.pstdev(residuals) == pytest.approx(0.2, rel=STD_RTOL)

    @pytest.mark.parametrize(
        ("n_classes", "error", "message"),
        [
            (1, ValueError, r"n_classes must be >= 2, got 1"),
            (2.0, TypeError, r"n_classes must be an int, got float"),
        ],
    )
    def test_bad_n_classes_is_rejected(self, n_classes: Any, error: type, message: str) -> None:
        """n_classes must be an int >= 2."""
        with pytest.raises(error, match=message):
            make_spirals(10, n_classes=n_classes)

    def test_fewer_samples_than_classes_is_rejected(self) -> None:
        """Every arm needs at least one sample."""
        with pytest.raises(ValueError, match=r"n_samples must be >= 4 .*got 3"):
            make_spirals(3, n_classes=4)


class TestMakeXor:
    def test_points_are_in_the_square_and_labelled_by_sign(self) -> None:
        """Without noise points are in [-1, 1]^2 and labelled 1 exactly when a * b < 0."""
        X, y = make_xor(500, seed=0)
        assert all(-1.0 <= a <= 1.0 and -1.0 <= b <= 1.0 for a, b in X)
        assert y == [1 if a * b < 0 else 0 for a, b in X]

    def test_quadrants_are_equally_likely(self) -> None:
        """Points are uniform, so each label and each quadrant gets about its share."""
        X, y = make_xor(NOISE_SAMPLES, seed=1)
        assert sum(y) / len(y) == pytest.approx(0.5, abs=0.05)
        quadrants = Counter((a > 0, b > 0) for a, b in X)
        assert all(count / len(X) == pytest.approx(0.25, abs=0.04) for count in quadrants.values())

    def test_noise_is_added_after_labelling(self) -> None:
        """Noise moves the points but the labels stay those of the clean points."""
        _, clean_y = make_xor(NOISE_SAMPLES, shuffle=False, seed=7)
        noisy_X, noisy_y = make_xor(NOISE_SAMPLES, noise=0.3, shuffle=False, seed=7)
        assert noisy_y == clean_y
        assert any((a * b < 0) != bool(label) for (a, b), label in zip(noisy_X, noisy_y))
        residuals = _noise_residuals(make_xor, 0.3)
        assert statistics.pstdev(residuals) == pytest.approx(0.3, rel=STD_RTOL)


class TestMakeRegression:
    def test_shapes_and_types(self) -> None:
        """X has n_features floats per row and y one float per row."""
        X, y = make_regression(20, n_features=3, seed=0)
        assert len(X) == len(y) == 20
        assert all(len(row) == 3 for row in X)
        assert all(type(target) is float for target in y)

    def test_targets_are_exactly_linear_without_noise(self) -> None:
        """With noise=0, y - bias = X . w for one w with entries in [0, 100)."""
        X, y = make_regression(30, n_features=2, bias=5.0, seed=1)
        # Solve for w from the first two rows, then check every row against it.
        (a, b), (c, d) = X[0], X[1]
        det = a * d - b * c
        w1 = ((y[0] - 5.0) * d - b * (y[1] - 5.0)) / det
        w2 = (a * (y[1] - 5.0) - c * (y[0] - 5.0)) / det
        assert 0.0 <= w1 < 100.0
        assert 0.0 <= w2 < 100.0
        for (p, q), target in zip(X, y):
            assert target == pytest.approx(w1 * p + w2 * q + 5.0, rel=1e-9, abs=1e-9)

    def test_features_are_standard_normal(self) -> None:
        """Each feature is drawn from N(0, 1)."""
        X, _ = make_regression(NOISE_SAMPLES, seed=2)
        column = [row[0] for row in X]
        assert statistics.fmean(column) == pytest.approx(0.0, abs=0.1)
        assert statistics.pstdev(column) == pytest.approx(1.0, rel=STD_RTOL)

    def test_noise_is_gaussian_on_y_only(self) -> None:
        """With one seed, noise leaves X and w alone and adds N(0, noise^2) to y."""
        clean_X, clean_y = make_regression(NOISE_SAMPLES, noise=0.0, shuffle=False, seed=3)
        noisy_X, noisy_y = make_regression(NOISE_SAMPLES, noise=2.5, shuffle=False, seed=3)
        assert noisy_X == clean_X
        residuals = [a - b for a, b in zip(noisy_y, clean_y)]
        assert statistics.fmean(residuals) == pytest.approx(0.0, abs=0.25)
        assert statistics.pstdev(residuals) == pytest.approx(2.5, rel=STD_RTOL)

    def test_weights_depend_only_on_seed_and_n_features(self) -> None:
        """The same seed gives the same underlying w whatever n_samples is."""
        X_small, y_small = make_regression(5, shuffle=False, seed=4)
        X_big, y_big = make_regression(50, shuffle=False, seed=4)
        assert X_big[:5] == X_small
        assert y_big[:5] == y_small

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"n_features": 0}, ValueError, r"n_features must be >= 1, got 0"),
            ({"bias": math.inf}, ValueError, r"bias must be a finite number, got inf"),
            ({"bias": "1"}, TypeError, r"bias must be a real number, got str"),
        ],
    )
    def test_bad_arguments_are_rejected(
        self, kwargs: dict[str, Any], error: type, message: str
    ) -> None:
        """n_features and bias are checked and the message names them."""
        with pytest.raises(error, match=rf"make_regression: {message}"):
            make_regression(10, **kwargs)


@pytest.mark.parametrize(("generator", "kwargs"), GENERATORS, ids=[_ids(g) for g, _ in GENERATORS])
class TestAllGenerators:
    def test_same_seed_gives_identical_output(
        self, generator: Generator, kwargs: dict[str, Any]
    ) -> None:
        """Two calls with one seed return equal data, bit for bit."""
        assert generator(60, seed=11, **kwargs) == generator(60, seed=11, **kwargs)

    def test_different_seeds_give_different_output(
        self, generator: Generator, kwargs: dict[str, Any]
    ) -> None:
        """Two seeds give two different data sets."""
        assert generator(60, seed=11, **kwargs) != generator(60, seed=12, **kwargs)

    def test_no_seed_gives_fresh_randomness(
        self, generator: Generator, kwargs: dict[str, Any]
    ) -> None:
        """With seed=None two calls differ."""
        assert generator(60, **kwargs) != generator(60, **kwargs)

    def test_global_random_state_is_untouched(
        self, generator: Generator, kwargs: dict[str, Any]
    ) -> None:
        """Neither seeded nor unseeded calls read or advance the global random module."""
        random.seed(2024)
        before = random.getstate()
        generator(30, seed=1, **kwargs)
        generator(30, **kwargs)
        assert random.getstate() == before

    def test_seed_does_not_follow_global_random_seed(
        self, generator: Generator, kwargs: dict[str, Any]
    ) -> None:
        """random.seed does not make unseeded calls repeat: they use their own generator."""
        random.seed(5)
        first = generator(60, **kwargs)
        random.seed(5)
        assert generator(60, **kwargs) != first

    def test_shuffle_permutes_the_unshuffled_samples(
        self, generator: Generator, kwargs: dict[str, Any]
    ) -> None:
        """shuffle=True returns the same (row, label) pairs as shuffle=False, reordered."""
        X, y = generator(80, seed=3, shuffle=False, **kwargs)
        X_s, y_s = generator(80, seed=3, **kwargs)
        pairs = sorted(zip(map(tuple, X), y))
        assert sorted(zip(map(tuple, X_s), y_s)) == pairs
        assert list(zip(map(tuple, X_s), y_s)) != list(zip(map(tuple, X), y))

    def test_rows_are_fresh_lists(self, generator: Generator, kwargs: dict[str, Any]) -> None:
        """Every row is its own list, so mutating one changes nothing else."""
        X, _ = generator(20, seed=0, **kwargs)
        assert len({id(row) for row in X}) == len(X)
        X[0][0] = 1e9
        assert generator(20, seed=0, **kwargs)[0][0][0] != 1e9
        assert all(row[0] != 1e9 for row in X[1:])

    @pytest.mark.parametrize("n_samples", [0, -3])
    def test_non_positive_n_samples_is_rejected(
        self, generator: Generator, kwargs: dict[str, Any], n_samples: int
    ) -> None:
        """n_samples below the minimum is a ValueError naming it and the value."""
        with pytest.raises(
            ValueError, match=rf"{generator.__name__}: n_samples must be >= \d.*got {n_samples}"
        ):
            generator(n_samples, **kwargs)

    @pytest.mark.parametrize(
        ("n_samples", "type_name"),
        [(10.0, "float"), ("10", "str"), (True, "bool"), (None, "NoneType")],
    )
    def test_non_int_n_samples_is_rejected(
        self, generator: Generator, kwargs: dict[str, Any], n_samples: Any, type_name: str
    ) -> None:
        """n_samples must be an int; floats, strings and bools are TypeErrors naming the type."""
        with pytest.raises(TypeError, match=rf"n_samples must be an int, got {type_name}"):
            generator(n_samples, **kwargs)

    @pytest.mark.parametrize(
        ("seed", "error"), [(-1, ValueError), (1.5, TypeError), ("a", TypeError), (True, TypeError)]
    )
    def test_bad_seed_is_rejected(
        self, generator: Generator, kwargs: dict[str, Any], seed: Any, error: type
    ) -> None:
        """seed must be None or an int >= 0 (a negative seed would alias its absolute value)."""
        with pytest.raises(error, match=r"seed must be"):
            generator(10, seed=seed, **kwargs)


@pytest.mark.parametrize("generator", [*POINT_NOISE, make_regression], ids=_ids)
class TestNoiseValidation:
    @pytest.mark.parametrize("noise", [-0.1, math.nan, math.inf, -math.inf])
    def test_negative_or_non_finite_noise_is_rejected(
        self, generator: Generator, noise: float
    ) -> None:
        """noise must be finite and >= 0; the message names it and the value."""
        with pytest.raises(ValueError, match=r"noise must be a finite number >= 0, got"):
            generator(10, noise=noise)

    @pytest.mark.parametrize(
        ("noise", "type_name"), [("0.1", "str"), (None, "NoneType"), (False, "bool")]
    )
    def test_non_number_noise_is_rejected(
        self, generator: Generator, noise: Any, type_name: str
    ) -> None:
        """noise must be a real number; anything else is a TypeError naming the type."""
        with pytest.raises(TypeError, match=rf"noise must be a real number, got {type_name}"):
            generator(10, noise=noise)

    def test_integer_noise_is_accepted(self, generator: Generator) -> None:
        """An int noise level is a real number and is accepted."""
        X, _ = generator(10, noise=1, seed=0)
        assert len(X) == 10


class TestTrainTestSplit:
    X: ClassVar[list[list[float]]] = [[float(i), float(-i)] for i in range(10)]
    y: ClassVar[list[int]] = list(range(10))

    def test_default_fraction_rounds_the_test_set_up(self) -> None:
        """test_size=0.25 of 10 samples puts ceil(2.5) = 3 in the test set."""
        X_train, X_test, y_train, y_test = train_test_split(self.X, self.y, seed=0)
        assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (7, 3, 7, 3)

    def test_int_test_size_is_a_count(self) -> None:
        """An int test_size is the number of test samples."""
        _, X_test, _, y_test = train_test_split(self.X, self.y, test_size=4, seed=0)
        assert len(X_test) == len(y_test) == 4

    def test_fraction_is_taken_on_its_decimal_value(self) -> None:
        """0.07 of 100 is 7 test samples, although 0.07 * 100 is 7.000000000000001 in floats."""
        X = [[float(i)] for i in range(100)]
        _, X_test, _, _ = train_test_split(X, list(range(100)), test_size=0.07, seed=0)
        assert len(X_test) == 7

    def test_split_partitions_the_data_and_keeps_pairs(self) -> None:
        """Train and test together hold every (row, label) pair exactly once."""
        X_train, X_test, y_train, y_test = train_test_split(self.X, self.y, seed=1)
        pairs = list(zip(X_train + X_test, y_train + y_test))
        assert sorted(label for _, label in pairs) == self.y
        assert all(row == self.X[label] for row, label in pairs)

    def test_no_shuffle_keeps_order_and_tests_on_the_tail(self) -> None:
        """With shuffle=False the training set is the head and the test set the tail."""
        X_train, X_test, y_train, y_test = train_test_split(self.X, self.y, shuffle=False)
        assert X_train == self.X[:7] and X_test == self.X[7:]
        assert y_train == self.y[:7] and y_test == self.y[7:]

    def test_seed_fixes_the_split(self) -> None:
        """One seed gives one split; another seed gives another."""
        first = train_test_split(self.X, self.y, seed=3)
        assert train_test_split(self.X, self.y, seed=3) == first
        assert train_test_split(self.X, self.y, seed=4) != first

    def test_outputs_are_fresh_lists(self) -> None:
        """Mutating the returned rows or lists leaves the inputs unchanged."""
        X = [[float(i), float(-i)] for i in range(10)]
        y = list(range(10))
        X_train, X_test, y_train, _ = train_test_split(X, y, seed=0)
        X_train[0][0] = 1e9
        X_test.append([0.0, 0.0])
        y_train.clear()
        assert X == self.X
        assert y == self.y

    def test_tuple_rows_come_back_as_lists(self) -> None:
        """Rows may be any sequence; the copies are lists."""
        X_train, X_test, _, _ = train_test_split([(1.0,), (2.0,)], ["a", "b"], test_size=1)
        assert all(type(row) is list for row in X_train + X_test)

    def test_global_random_state_is_untouched(self) -> None:
        """Splitting neither reads nor advances the global random module."""
        random.seed(1)
        before = random.getstate()
        train_test_split(self.X, self.y)
        train_test_split(self.X, self.y, seed=2)
        assert random.getstate() == before

    @given(n=st.integers(2, 60), fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**32))
    def test_fraction_gives_ceil_of_n_test(self, n: int, fraction: float, seed: int) -> None:
        """For any n and fraction that leave a training sample, n_test is ceil(fraction * n)."""
        X = [[float(i)] for i in range(n)]
        expected = math.ceil(Decimal(repr(fraction)) * n)
        if expected >= n:
            with pytest.raises(ValueError, match=r"leaves no training samples"):
                train_test_split(X, list(range(n)), test_size=fraction, seed=seed)
            return
        X_train, X_test, y_train, y_test = train_test_split(
            X, list(range(n)), test_size=fraction, seed=seed
        )
        assert len(X_test) == len(y_test) == expected
        assert sorted(y_train + y_test) == list(range(n))
        assert sorted(row[0] for row in X_train + X_test) == [float(i) for i in range(n)]

    def test_length_mismatch_names_both_lengths(self) -> None:
        """X and y of different lengths is a ValueError giving both lengths."""
        with pytest.raises(ValueError, match=r"len\(X\)=3 and len\(y\)=2"):
            train_test_split([[0.0], [1.0], [2.0]], [0, 1])

    @pytest.mark.parametrize("test_size", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
    def test_fraction_out_of_range_is_rejected(self, test_size: float) -> None:
        """A float test_size must be in the open interval (0, 1)."""
        with pytest.raises(ValueError, match=r"test_size as a fraction must be in \(0, 1\)"):
            train_test_split(self.X, self.y, test_size=test_size)

    @pytest.mark.parametrize("test_size", [0, 10, 11, -1])
    def test_count_out_of_range_is_rejected(self, test_size: int) -> None:
        """An int test_size must leave at least one sample on each side."""
        with pytest.raises(
            ValueError, match=rf"test_size as a count must be in \[1, 9\] .*got {test_size}"
        ):
            train_test_split(self.X, self.y, test_size=test_size)

    def test_fraction_leaving_no_training_sample_is_rejected(self) -> None:
        """ceil(0.95 * 10) = 10 leaves nothing to train on, which is an error."""
        with pytest.raises(
            ValueError, match=r"test_size=0.95 leaves no training samples out of 10"
        ):
            train_test_split(self.X, self.y, test_size=0.95)

    @pytest.mark.parametrize(
        ("test_size", "type_name"), [("0.2", "str"), (True, "bool"), (None, "NoneType")]
    )
    def test_test_size_of_wrong_type_is_rejected(self, test_size: Any, type_name: str) -> None:
        """test_size must be a float or an int; the TypeError names the type."""
        with pytest.raises(TypeError, match=rf"test_size must be .* got {type_name}"):
            train_test_split(self.X, self.y, test_size=test_size)

    @pytest.mark.parametrize(
        ("X", "y", "error", "message"),
        [
            ([], [], ValueError, r"X and y are empty"),
            ([[0.0]], [0], ValueError, r"need at least 2 samples to split, got 1"),
            ((row for row in [[0.0]]), [0], TypeError, r"X must be a sequence, got generator"),
            ([[0.0], [1.0]], 7, TypeError, r"y must be a sequence, got int"),
            ([[0.0], 1.0], [0, 1], TypeError, r"X\[1\] must be a sequence of features, got float"),
        ],
    )
    def test_bad_data_is_rejected(self, X: Any, y: Any, error: type, message: str) -> None:
        """Empty, too small or non-sequence data is rejected with a message naming it."""
        with pytest.raises(error, match=rf"train_test_split: {message}"):
            train_test_split(X, y)


class TestBatches:
    X: ClassVar[list[list[float]]] = [[float(i)] for i in range(10)]
    y: ClassVar[list[int]] = list(range(10))

    @given(
        n=st.integers(1, 50),
        batch_size=st.integers(1, 60),
        shuffle=st.booleans(),
        seed=st.integers(0, 2**32),
    )
    def test_positions_are_the_batches_order(
        self, n: int, batch_size: int, shuffle: bool, seed: int
    ) -> None:
        """batch_positions gives the positions of the rows batches yields, batch by batch."""
        positions = batch_positions(n, batch_size, shuffle=shuffle, seed=seed)
        made = batches(
            [[i] for i in range(n)], list(range(n)), batch_size, shuffle=shuffle, seed=seed
        )
        assert positions == [y_batch for _, y_batch in made]

    @given(
        n=st.integers(1, 50),
        batch_size=st.integers(1, 60),
        shuffle=st.booleans(),
        seed=st.integers(0, 2**32),
    )
    def test_every_sample_appears_exactly_once(
        self, n: int, batch_size: int, shuffle: bool, seed: int
    ) -> None:
        """The batches partition the samples, all full-size except possibly the last."""
        X = [[float(i)] for i in range(n)]
        got = list(batches(X, list(range(n)), batch_size, shuffle=shuffle, seed=seed))
        sizes = [len(y_batch) for _, y_batch in got]
        assert sizes == [batch_size] * (n // batch_size) + (
            [n % batch_size] if n % batch_size else []
        )
        labels = [label for _, y_batch in got for label in y_batch]
        assert sorted(labels) == list(range(n))
        assert all(row == [float(label)] for X_b, y_b in got for row, label in zip(X_b, y_b))

    def test_no_shuffle_keeps_order(self) -> None:
        """With shuffle=False the batches are consecutive slices."""
        got = [y_b for _, y_b in batches(self.X, self.y, 4, shuffle=False)]
        assert got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]

    def test_seed_fixes_the_order(self) -> None:
        """One seed gives the same order on every call; another seed gives another."""
        first = list(batches(self.X, self.y, 3, seed=8))
        assert list(batches(self.X, self.y, 3, seed=8)) == first
        assert list(batches(self.X, self.y, 3, seed=9)) != first

    def test_no_seed_gives_a_new_order_each_call(self) -> None:
        """With seed=None two epochs are (almost surely) in different orders."""
        X = [[float(i)] for i in range(50)]
        first = list(batches(X, list(range(50)), 50))
        assert list(batches(X, list(range(50)), 50)) != first

    def test_batch_larger_than_data_is_one_batch(self) -> None:
        """A batch_size above n gives a single batch of all samples."""
        got = list(batches(self.X, self.y, 100, seed=0))
        assert len(got) == 1 and sorted(got[0][1]) == self.y

    def test_rows_are_copies(self) -> None:
        """Mutating a yielded row leaves X unchanged."""
        X = [[float(i)] for i in range(10)]
        for X_batch, _ in batches(X, self.y, 5, seed=0):
            X_batch[0][0] = 1e9
        assert X == self.X

    def test_global_random_state_is_untouched(self) -> None:
        """Batching neither reads nor advances the global random module."""
        random.seed(1)
        before = random.getstate()
        list(batches(self.X, self.y, 3))
        list(batches(self.X, self.y, 3, seed=1))
        assert random.getstate() == before

    def test_errors_are_raised_at_call_time(self) -> None:
        """A bad argument fails when batches is called, before any iteration."""
        with pytest.raises(ValueError, match=r"batches: batch_size must be >= 1, got 0"):
            batches(self.X, self.y, 0)

    @pytest.mark.parametrize(
        ("batch_size", "error", "message"),
        [
            (-2, ValueError, r"batch_size must be >= 1, got -2"),
            (2.0, TypeError, r"batch_size must be an int, got float"),
            (True, TypeError, r"batch_size must be an int, got bool"),
        ],
    )
    def test_bad_batch_size_is_rejected(self, batch_size: Any, error: type, message: str) -> None:
        """batch_size must be an int >= 1."""
        with pytest.raises(error, match=message):
            batches(self.X, self.y, batch_size)

    def test_length_mismatch_names_both_lengths(self) -> None:
        """X and y of different lengths is a ValueError giving both lengths."""
        with pytest.raises(ValueError, match=r"batches: .*len\(X\)=10 and len\(y\)=9"):
            batches(self.X, self.y[:-1], 2)

    def test_empty_data_is_rejected(self) -> None:
        """An epoch over no samples is an error, not a silent empty loop."""
        with pytest.raises(ValueError, match=r"batches: X and y are empty"):
            batches([], [], 2)


class TestSizeLimits:
    @pytest.mark.parametrize(
        ("generator", "kwargs"), GENERATORS, ids=[_ids(g) for g, _ in GENERATORS]
    )
    def test_n_samples_past_the_limit_is_refused(
        self, generator: Generator, kwargs: dict[str, Any]
    ) -> None:
        """n_samples past checks.MAX_SIZE is a ValueError naming it, not a run out of memory."""
        with pytest.raises(
            ValueError, match=rf"{generator.__name__}: n_samples must be <= 10,000,000"
        ):
            generator(10**400, **kwargs)

    @pytest.mark.parametrize("generator", [make_blobs, make_regression], ids=_ids)
    def test_samples_times_features_past_the_limit_is_refused(self, generator: Generator) -> None:
        """n_samples * n_features numbers past the limit are refused before any is drawn."""
        with pytest.raises(ValueError, match=r"n_samples \* n_features must be <= 10,000,000"):
            generator(10**6, n_features=10**6)

    def test_centers_past_the_limit_are_refused(self) -> None:
        """A count of random centers past the limit is refused before any is drawn."""
        with pytest.raises(ValueError, match=r"make_blobs: centers must be <= 10,000,000"):
            make_blobs(10, centers=10**9)


@pytest.mark.parametrize("generator", [g for g, _ in GENERATORS], ids=_ids)
class TestShuffleFlag:
    @pytest.mark.parametrize("shuffle", ["no", 1, None])
    def test_shuffle_must_be_a_bool(self, generator: Generator, shuffle: object) -> None:
        """A truthy or falsy non-bool shuffle is a TypeError naming it, not read for its truth."""
        with pytest.raises(
            TypeError, match=rf"{generator.__name__}: shuffle must be True or False"
        ):
            generator(10, shuffle=shuffle)

    def test_numpy_array_shuffle_is_refused(self, generator: Generator) -> None:
        """A NumPy array as shuffle is a TypeError, not "truth value is ambiguous"."""
        np = pytest.importorskip("numpy")
        with pytest.raises(TypeError, match=r"shuffle must be True or False, got ndarray"):
            generator(10, shuffle=np.array([True, False]))


class TestSplittingFlags:
    def test_train_test_split_shuffle_must_be_a_bool(self) -> None:
        """train_test_split refuses a non-bool shuffle, naming it."""
        with pytest.raises(TypeError, match=r"train_test_split: shuffle must be True or False"):
            train_test_split([[0.0], [1.0]], [0, 1], shuffle="yes")  # type: ignore[arg-type]

    def test_batches_shuffle_must_be_a_bool(self) -> None:
        """batches refuses a non-bool shuffle, naming it."""
        with pytest.raises(TypeError, match=r"batches: shuffle must be True or False"):
            batches([[0.0], [1.0]], [0, 1], 1, shuffle=0)  # type: ignore[arg-type]

    def test_scalar_data_is_a_type_error(self) -> None:
        """A number where X belongs is a TypeError naming X, not "has no len()"."""
        with pytest.raises(TypeError, match=r"batches: X must be a sequence, got float"):
            batches(1.0, [0], 1)  # type: ignore[arg-type]


class TestAgainstNumpy:
    """Cross-checks against reference formulas evaluated with numpy, when it is installed."""

    @pytest.mark.parametrize("n_samples", [2, 3, 10, 101])
    def test_moons_match_numpy_linspace_formula(self, n_samples: int) -> None:
        """Noise-free moons equal the formula evaluated on numpy.linspace."""
        np = pytest.importorskip("numpy")
        n_out, n_in = n_samples // 2, n_samples - n_samples // 2
        t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
        expected = np.vstack(
            [
                np.column_stack([np.cos(t_out), np.sin(t_out)]),
                np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]),
            ]
        )
        X, _ = make_moons(n_samples, shuffle=False)
        np.testing.assert_allclose(np.array(X), expected, atol=GEOMETRY_ATOL)

    @pytest.mark.parametrize("n_samples", [2, 3, 10, 101])
    def test_circles_match_numpy_linspace_formula(self, n_samples: int) -> None:
        """Noise-free circles equal the formula on numpy.linspace(..., endpoint=False)."""
        np = pytest.importorskip("numpy")
        n_out, n_in = n_samples // 2, n_samples - n_samples // 2
        t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
        t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
        expected = np.vstack(
            [
                np.column_stack([np.cos(t_out), np.sin(t_out)]),
                0.3 * np.column_stack([np.cos(t_in), np.sin(t_in)]),
            ]
        )
        X, _ = make_circles(n_samples, factor=0.3, shuffle=False)
        np.testing.assert_allclose(np.array(X), expected, atol=GEOMETRY_ATOL)

    def test_numpy_scalars_are_accepted(self) -> None:
        """numpy ints and floats count as ints and real numbers."""
        np = pytest.importorskip("numpy")
        X, y = make_moons(np.int64(10), noise=np.float64(0.1), seed=np.int64(3))
        assert (X, y) == make_moons(10, noise=0.1, seed=3)
        X_train, _, _, _ = train_test_split(X, y, test_size=np.int64(2), seed=0)
        assert len(X_train) == 8


class TestWorkedByHand:
    """Small noise-free data sets whose points and labels are worked out by hand.

    These are the numbers scikit-learn's generators give for the same arguments
    (outer moon or circle first, label 0, then the inner one, label 1).
    """

    HALF_ROOT3 = math.sqrt(3.0) / 2.0

    @pytest.mark.parametrize(
        ("n_samples", "points", "labels"),
        [
            # one point per moon: t = 0 on each
            (2, [[1.0, 0.0], [0.0, 0.5]], [0, 1]),
            # outer: 3 points, t = 0, pi/2, pi, (cos t, sin t);
            # inner: 4 points, t = 0, pi/3, 2pi/3, pi, (1 - cos t, 1 - sin t - 0.5)
            (
                7,
                [
                    [1.0, 0.0],
                    [0.0, 1.0],
                    [-1.0, 0.0],
                    [0.0, 0.5],
                    [0.5, 0.5 - HALF_ROOT3],
                    [1.5, 0.5 - HALF_ROOT3],
                    [2.0, 0.5],
                ],
                [0, 0, 0, 1, 1, 1, 1],
            ),
        ],
    )
    def test_moons(self, n_samples: int, points: list[list[float]], labels: list[int]) -> None:
        """Noise-free, unshuffled moons are the hand-worked points with the outer moon first."""
        X, y = make_moons(n_samples, shuffle=False)
        assert y == labels
        for got, want in zip(X, points, strict=True):
            assert got == pytest.approx(want, abs=GEOMETRY_ATOL)

    @pytest.mark.parametrize(
        ("n_samples", "points", "labels"),
        [
            (2, [[1.0, 0.0], [0.4, 0.0]], [0, 1]),
            # 3 points per circle at t = 0, 2pi/3, 4pi/3; the inner one scaled by factor 0.4
            (
                6,
                [
                    [1.0, 0.0],
                    [-0.5, HALF_ROOT3],
                    [-0.5, -HALF_ROOT3],
                    [0.4, 0.0],
                    [-0.2, 0.4 * HALF_ROOT3],
                    [-0.2, -0.4 * HALF_ROOT3],
                ],
                [0, 0, 0, 1, 1, 1],
            ),
        ],
    )
    def test_circles(self, n_samples: int, points: list[list[float]], labels: list[int]) -> None:
        """Noise-free, unshuffled circles are the hand-worked points with the outer circle first."""
        X, y = make_circles(n_samples, factor=0.4, shuffle=False)
        assert y == labels
        for got, want in zip(X, points, strict=True):
            assert got == pytest.approx(want, abs=GEOMETRY_ATOL)

    def test_blob_counts(self) -> None:
        """11 samples over 4 centers: 11 // 4 = 2 each, and the first 11 % 4 = 3 get one more."""
        _, y = make_blobs(11, centers=4, seed=0)
        assert sorted(Counter(y).items()) == [(0, 3), (1, 3), (2, 3), (3, 2)]
