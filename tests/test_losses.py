"""Tests for nn.losses: values and gradients against hand-worked numbers and gradcheck."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value, gradcheck
from nn import losses

#: Agreement expected between a loss and its hand-worked value.
REL_TOL = 1e-12


def _grads(
    loss: Callable[..., Value], preds: list[float], targets: list[object]
) -> tuple[float, list[float]]:
    """The loss value and its gradient with respect to each prediction."""
    xs = [Value(p) for p in preds]
    out = loss(xs, targets)
    out.backward()
    return out.data, [x.grad for x in xs]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class TestMSE:
    def test_value_and_gradient(self) -> None:
        """mse([1, 2], [0, 4]) = (1 + 4) / 2 with gradient (2/N)(p - t) = (1, -2)."""
        value, grads = _grads(losses.mse_loss, [1.0, 2.0], [0.0, 4.0])
        assert value == 2.5
        assert grads == [1.0, -2.0]

    def test_sum_reduction(self) -> None:
        """reduction='sum' drops the 1/N."""
        assert losses.mse_loss([1.0, 2.0], [0.0, 4.0], reduction="sum").data == 5.0

    def test_rows_average_every_element(self) -> None:
        """With rows, the mean is over all elements."""
        assert losses.mse_loss([[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 2.0]]).data == 5.0 / 4

    @given(st.lists(st.floats(-3, 3), min_size=1, max_size=5))
    def test_gradcheck(self, preds: list[float]) -> None:
        """mse_loss passes gradcheck at random predictions."""
        targets = [0.5 * i for i in range(len(preds))]
        assert gradcheck(lambda *ps: losses.mse_loss(list(ps), targets), preds)


class TestBinaryCrossEntropy:
    def test_value_and_gradient(self) -> None:
        """BCE([0.8, 0.4], [1, 0]) = -(log .8 + log .6)/2; gradient (-1/(.8*2), 1/(.6*2))."""
        value, grads = _grads(losses.binary_cross_entropy, [0.8, 0.4], [1, 0])
        assert value == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2, rel=REL_TOL)
        assert grads == pytest.approx([-0.625, 1 / 1.2], rel=REL_TOL)

    def test_log_is_clamped(self) -> None:
        """A probability of 0 for a positive costs 100 (log clamped at -100), as in PyTorch."""
        value, grads = _grads(losses.binary_cross_entropy, [0.0, 1.0], [1, 1])
        assert value == 50.0
        assert grads == [0.0, -1.0 / 2]

    def test_soft_targets(self) -> None:
        """Targets between 0 and 1 weigh both terms."""
        expected = -(0.3 * math.log(0.6) + 0.7 * math.log(0.4))
        assert losses.binary_cross_entropy([0.6], [0.3]).data == pytest.approx(
            expected, rel=REL_TOL
        )

    @pytest.mark.parametrize(
        ("probs", "targets", "word"),
        [([1.5], [1], "probs"), ([-0.1], [0], "probs"), ([0.5], [2], "targets")],
    )
    def test_out_of_range(self, probs: list[float], targets: list[float], word: str) -> None:
        """A probability or target outside [0, 1] raises ValueError naming it."""
        with pytest.raises(ValueError, match=rf"{word}\[0\]"):
            losses.binary_cross_entropy(probs, targets)

    @given(st.lists(st.floats(0.05, 0.95), min_size=1, max_size=5))
    def test_gradcheck(self, probs: list[float]) -> None:
        """binary_cross_entropy passes gradcheck away from the clamp."""
        targets = [i % 2 for i in range(len(probs))]
        assert gradcheck(lambda *ps: losses.binary_cross_entropy(list(ps), targets), probs)


class TestBinaryCrossEntropyWithLogits:
    def test_value_and_gradient(self) -> None:
        """Loss is softplus(x) - t x; the gradient is (sigmoid(x) - t) / N, also at x = 0."""
        value, grads = _grads(losses.binary_cross_entropy_with_logits, [0.0, 2.0, -1.0], [1, 0, 1])
        expected = (math.log(2) + math.log(1 + math.exp(2.0)) + math.log(1 + math.exp(1.0))) / 3
        assert value == pytest.approx(expected, rel=REL_TOL)
        assert grads == pytest.approx(
            [(0.5 - 1) / 3, _sigmoid(2.0) / 3, (_sigmoid(-1.0) - 1) / 3], rel=REL_TOL
        )

    def test_stable_at_extremes(self) -> None:
        """Logits of +-1000 give exact finite losses and gradients."""
        value, grads = _grads(losses.binary_cross_entropy_with_logits, [1000.0, -1000.0], [1, 1])
        assert value == 500.0
        assert grads == [0.0, -0.5]

    def test_agrees_with_bce_of_sigmoid(self) -> None:
        """It equals binary_cross_entropy of the sigmoid where that one is not clamped."""
        xs, ts = [0.3, -2.0, 4.0], [1, 0, 0.25]
        probs = [_sigmoid(x) for x in xs]
        assert losses.binary_cross_entropy_with_logits(xs, ts).data == pytest.approx(
            losses.binary_cross_entropy(probs, ts).data, rel=1e-12
        )

    @given(st.lists(st.floats(-5, 5).filter(lambda x: abs(x) > 1e-3), min_size=1, max_size=5))
    def test_gradcheck(self, xs: list[float]) -> None:
        """binary_cross_entropy_with_logits passes gradcheck."""
        targets = [i % 2 for i in range(len(xs))]
        assert gradcheck(lambda *ps: losses.binary_cross_entropy_with_logits(list(ps), targets), xs)


class TestCrossEntropy:
    def test_value_and_gradient(self) -> None:
        """CE([[2, 0, 0]], [0]) = log(e^2 + 2) - 2, gradient softmax - onehot."""
        z = [Value(2.0), Value(0.0), Value(0.0)]
        out = losses.cross_entropy([z], [0])
        out.backward()
        s = math.exp(2) + 2
        assert out.data == pytest.approx(math.log(s) - 2, rel=REL_TOL)
        assert [v.grad for v in z] == pytest.approx(
            [math.exp(2) / s - 1, 1 / s, 1 / s], rel=REL_TOL
        )

    def test_mean_over_rows(self) -> None:
        """Two rows average their losses: uniform logits cost log C each."""
        out = losses.cross_entropy([[0.0, 0.0], [5.0, 5.0]], [0, 1])
        assert out.data == pytest.approx(math.log(2), rel=REL_TOL)

    def test_finite_at_1000(self) -> None:
        """Logits of +-1000 give finite, exact losses and gradients."""
        z = [Value(1000.0), Value(-1000.0)]
        out = losses.cross_entropy([z, [1000.0, -1000.0]], [1, 0])
        out.backward()
        assert out.data == 1000.0
        assert [v.grad for v in z] == [0.5, -0.5]

    @pytest.mark.parametrize("big", [1e12, 1e15, 1e16, 1e300, -1e300, 1.7e308])
    def test_equal_logits_give_exactly_log_c(self, big: float) -> None:
        """cross_entropy([[L, L]], [0]) is exactly log 2 for any finite L; its gradient is exact."""
        z = [Value(big), Value(big)]
        out = losses.cross_entropy([z], [0])
        out.backward()
        assert out.data == math.log(2)
        assert [v.grad for v in z] == [-0.5, 0.5]
        assert losses.cross_entropy([[big] * 3], [2]).data == math.log(3)

    @given(
        st.floats(-1e308, 1e308, allow_nan=False),
        st.lists(st.floats(-30, 30), min_size=2, max_size=5),
        st.data(),
    )
    def test_shift_invariant_at_any_scale(
        self, shift: float, offsets: list[float], data: st.DataObject
    ) -> None:
        """Logits L + d give the loss of the offsets d alone, however large L is."""
        target = data.draw(st.integers(0, len(offsets) - 1))
        shifted = [shift + d for d in offsets]
        exact = [x - max(shifted) for x in shifted]  # the offsets as the floats actually hold them
        expected = math.log(sum(math.exp(x) for x in exact)) - exact[target]
        got = losses.cross_entropy([shifted], [target]).data
        assert got == pytest.approx(expected, rel=REL_TOL, abs=1e-15)

    @pytest.mark.parametrize(
        ("targets", "error"),
        [([2], ValueError), ([-1], ValueError), ([0.0], TypeError), ([True], TypeError)],
    )
    def test_bad_class(self, targets: list[object], error: type[Exception]) -> None:
        """An out-of-range or non-int class index is rejected naming it."""
        with pytest.raises(error, match=r"targets\[0\]"):
            losses.cross_entropy([[1.0, 2.0]], targets)  # type: ignore[arg-type]

    def test_ragged_rows(self) -> None:
        """Rows of different lengths raise ValueError."""
        with pytest.raises(ValueError, match="row 1"):
            losses.cross_entropy([[1.0, 2.0], [1.0]], [0, 0])

    @given(st.lists(st.floats(-4, 4), min_size=6, max_size=6))
    def test_gradcheck(self, zs: list[float]) -> None:
        """cross_entropy passes gradcheck over two rows of three logits."""
        assert gradcheck(lambda *v: losses.cross_entropy([list(v[:3]), list(v[3:])], [2, 0]), zs)


class TestCrossEntropyRows:
    def test_one_hot_rows_equal_class_indices(self) -> None:
        """One-hot target rows give the class indices' loss and gradient, bit for bit."""
        zs = [[2.0, -1.0, 0.5], [0.0, 3.0, 1.0]]
        by_index, by_row = (
            [[Value(z) for z in row] for row in zs],
            [[Value(z) for z in row] for row in zs],
        )
        a = losses.cross_entropy(by_index, [2, 1])
        b = losses.cross_entropy(by_row, [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
        a.backward()
        b.backward()
        assert a.data == b.data
        assert [v.grad for row in by_index for v in row] == [v.grad for row in by_row for v in row]

    def test_soft_targets(self) -> None:
        """A row of probabilities p costs -sum_j p_j log softmax(z)_j, as PyTorch's soft targets."""
        z, p = [1.0, 2.0, 0.5], [0.25, 0.5, 0.25]
        total = sum(math.exp(x) for x in z)
        expected = -sum(pj * (zj - math.log(total)) for pj, zj in zip(p, z))
        assert losses.cross_entropy([z], [p]).data == pytest.approx(expected, rel=REL_TOL)

    def test_zero_row_adds_nothing(self) -> None:
        """A row of zeros (a padded position) adds 0 to the sum and passes no gradient."""
        z = [Value(1.0), Value(-2.0)]
        out = losses.cross_entropy([[0.5, 0.25], z], [1, [0.0, 0.0]], reduction="sum")
        out.backward()
        assert out.data == losses.cross_entropy([[0.5, 0.25]], [1]).data
        assert [v.grad for v in z] == [0.0, 0.0]

    def test_traces_with_the_target_as_arguments(self) -> None:
        """autograd.compile traces a one-hot target given as arguments, in a batch."""
        cf = autograd.compile(
            lambda z0, z1, t0, t1: losses.cross_entropy([[z0, z1]], [[t0, t1]]),
            batch_argnums=(2, 3),
        )
        got = cf(0.5, -1.0, [1.0, 0.0], [0.0, 1.0])
        assert list(got) == [losses.cross_entropy([[0.5, -1.0]], [t]).data for t in (0, 1)]

    @pytest.mark.parametrize(
        ("target", "error", "match"),
        [
            ([1.0, 0.0], ValueError, r"targets\[0\] .*3"),
            ([1.0, "a", 0.0], TypeError, r"targets\[0\]\[1\]"),
        ],
    )
    def test_bad_rows(self, target: list[object], error: type[Exception], match: str) -> None:
        """A target row of the wrong length or with a non-number is refused, naming it."""
        with pytest.raises(error, match=f"cross_entropy: {match}"):
            losses.cross_entropy([[1.0, 2.0, 3.0]], [target])  # type: ignore[list-item]


class TestHinge:
    def test_value_and_gradient(self) -> None:
        """hinge([2, .5, -1], [1, 1, 1]) = (0 + .5 + 2) / 3, gradient (0, -1/3, -1/3)."""
        value, grads = _grads(losses.hinge_loss, [2.0, 0.5, -1.0], [1, 1, 1])
        assert value == pytest.approx(2.5 / 3, rel=REL_TOL)
        assert grads == pytest.approx([0.0, -1 / 3, -1 / 3], rel=REL_TOL)

    def test_negative_targets(self) -> None:
        """A -1 target pushes the score below -1."""
        value, grads = _grads(
            losses.hinge_loss,
            [0.5, -3.0],
            [-1, -1],
        )
        assert value == 0.75
        assert grads == [0.5, 0.0]

    @pytest.mark.parametrize("target", [0, 2, 0.5])
    def test_targets_must_be_plus_minus_one(self, target: object) -> None:
        """A target other than -1 or +1 raises ValueError."""
        with pytest.raises(ValueError, match=r"targets\[0\]"):
            losses.hinge_loss([1.0], [target])  # type: ignore[list-item]

    @pytest.mark.parametrize("target", [True, "1", None])
    def test_targets_of_the_wrong_type(self, target: object) -> None:
        """A bool, str or None target raises TypeError naming it, as a wrong type does."""
        with pytest.raises(TypeError, match=r"hinge_loss: targets\[0\] must be a real number"):
            losses.hinge_loss([1.0], [target])  # type: ignore[list-item]


class TestArgumentTypes:
    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: losses.mse_loss(1.0, [1.0]), r"mse_loss: preds must be a sequence, got float"),
            (
                lambda: losses.hinge_loss([1.0], 1),
                r"hinge_loss: targets must be a sequence, got int",
            ),
            (
                lambda: losses.cross_entropy([1.0], [0]),
                r"cross_entropy: logits\[0\] must be a sequence, got float",
            ),
            (
                lambda: losses.mse_loss([[1.0, "2"]], [[1.0, 2.0]]),
                r"mse_loss: preds\[0\]\[1\] must be a Value or a real number, got str",
            ),
            (
                lambda: losses.mse_loss([1.0], [1.0], reduction=None),
                r"mse_loss: reduction must be 'mean' or 'sum', got NoneType",
            ),
        ],
    )
    def test_wrong_types_are_type_errors(self, call: Callable[[], Value], message: str) -> None:
        """A scalar where a sequence belongs, or a non-number element, names the parameter."""
        with pytest.raises(TypeError, match=message):
            call()


class TestCommon:
    LOSSES = (
        (losses.mse_loss, [0.5], [1.0]),
        (losses.binary_cross_entropy, [0.5], [1.0]),
        (losses.binary_cross_entropy_with_logits, [0.5], [1.0]),
        (losses.cross_entropy, [[0.5, 1.0]], [1]),
        (losses.hinge_loss, [0.5], [1]),
    )

    @pytest.mark.parametrize(("loss", "preds", "targets"), LOSSES)
    def test_mismatched_lengths(
        self, loss: Callable[..., Value], preds: list[object], targets: list[object]
    ) -> None:
        """Predictions and targets of different lengths raise ValueError stating both."""
        with pytest.raises(ValueError, match="same length, got 1 and 2"):
            loss(preds, targets * 2)

    @pytest.mark.parametrize(("loss", "preds", "targets"), LOSSES)
    def test_empty(
        self, loss: Callable[..., Value], preds: list[object], targets: list[object]
    ) -> None:
        """Empty inputs raise ValueError."""
        with pytest.raises(ValueError, match="empty"):
            loss([], [])

    @pytest.mark.parametrize(("loss", "preds", "targets"), LOSSES)
    def test_bad_reduction(
        self, loss: Callable[..., Value], preds: list[object], targets: list[object]
    ) -> None:
        """An unknown reduction raises ValueError naming it."""
        with pytest.raises(ValueError, match="reduction"):
            loss(preds, targets, reduction="avg")

    @pytest.mark.parametrize(("loss", "preds", "targets"), LOSSES)
    def test_numbers_give_a_value(
        self, loss: Callable[..., Value], preds: list[object], targets: list[object]
    ) -> None:
        """Plain-number predictions still give a Value."""
        assert isinstance(loss(preds, targets), Value)

    @pytest.mark.parametrize(("loss", "preds", "targets"), LOSSES)
    def test_sum_is_n_times_mean(
        self, loss: Callable[..., Value], preds: list[object], targets: list[object]
    ) -> None:
        """reduction='sum' is N times the mean."""
        mean = loss(preds * 3, targets * 3).data
        assert loss(preds * 3, targets * 3, reduction="sum").data == pytest.approx(
            3 * mean, rel=REL_TOL
        )


class TestLossModules:
    @pytest.mark.parametrize(
        ("module", "function", "preds", "targets"),
        [
            (nn.MSELoss, losses.mse_loss, [1.0, 3.0], [0.0, 1.0]),
            (nn.BCELoss, losses.binary_cross_entropy, [0.2, 0.9], [0.0, 1.0]),
            (nn.BCEWithLogitsLoss, losses.binary_cross_entropy_with_logits, [-1.0, 2.0], [0, 1]),
            (nn.CrossEntropyLoss, losses.cross_entropy, [[0.5, -1.0], [1.0, 2.0]], [0, 1]),
            (nn.HingeLoss, losses.hinge_loss, [0.5, -2.0], [1.0, 1.0]),
        ],
    )
    @pytest.mark.parametrize("reduction", ["mean", "sum"])
    def test_call_the_function(
        self,
        module: type[nn.Module],
        function: Callable[..., Value],
        preds: list[object],
        targets: list[object],
        reduction: str,
    ) -> None:
        """Each loss module gives its function's value with its reduction."""
        criterion = module(reduction=reduction)  # type: ignore[call-arg]
        assert criterion(preds, targets).data == function(preds, targets, reduction=reduction).data
        assert criterion.parameters() == []
        assert repr(criterion) == f"{module.__name__}(reduction={reduction!r})"

    def test_bad_reduction(self) -> None:
        """An unknown reduction is refused naming the class and the choices."""
        with pytest.raises(ValueError, match=r"^MSELoss: reduction must be 'mean' or 'sum'"):
            nn.MSELoss(reduction="avg")


class TestNames:
    @pytest.mark.parametrize(
        ("name", "function"),
        [
            ("mse", losses.mse_loss),
            ("bce", losses.binary_cross_entropy),
            ("bce_with_logits", losses.binary_cross_entropy_with_logits),
            ("cross_entropy", losses.cross_entropy),
            ("hinge", losses.hinge_loss),
            ("hinge_loss", losses.hinge_loss),
        ],
    )
    def test_names(self, name: str, function: Callable[..., Value]) -> None:
        """Each short name, and each function's own name, resolves to the function."""
        assert losses.resolve("fit", name) is function

    def test_unknown_name_lists_the_names(self) -> None:
        """An unknown name is a ValueError that lists the known ones."""
        with pytest.raises(ValueError, match=r"^fit: loss must be one of 'mse', 'bce'"):
            losses.resolve("fit", "l2")
