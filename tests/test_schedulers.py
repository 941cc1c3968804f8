"""Tests for nn.schedulers: each schedule's rates, state dicts and argument checks."""

from __future__ import annotations

import pytest

from autograd import Value
from nn.optim import SGD, Adam
from nn.schedulers import ExponentialLR, LambdaLR, LRScheduler, StepLR


def _rates(scheduler: LRScheduler, epochs: int) -> list[float]:
    """The optimizer's rate at each epoch, stepping the scheduler after each."""
    rates = []
    for _ in range(epochs):
        rates.append(scheduler.optimizer.lr)
        scheduler.step()
    return rates


class TestSchedules:
    def test_step_lr(self) -> None:
        """StepLR multiplies by gamma every step_size epochs."""
        opt = SGD([Value(0.0)], lr=0.8)
        assert _rates(StepLR(opt, step_size=3, gamma=0.5), 7) == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]

    def test_exponential_lr(self) -> None:
        """ExponentialLR multiplies by gamma every epoch."""
        opt = Adam([Value(0.0)], lr=1.0)
        assert _rates(ExponentialLR(opt, gamma=0.5), 4) == [1.0, 0.5, 0.25, 0.125]

    def test_lambda_lr_applies_epoch_zero_at_once(self) -> None:
        """LambdaLR sets base_lr * f(0) when made, then base_lr * f(epoch)."""
        opt = SGD([Value(0.0)], lr=2.0)
        scheduler = LambdaLR(opt, lambda epoch: 0.5 if epoch == 0 else 1.0 / epoch)
        assert _rates(scheduler, 4) == [1.0, 2.0, 1.0, 2.0 / 3.0]

    def test_lambda_must_return_a_finite_factor(self) -> None:
        """A factor that is negative or not a number raises ValueError."""
        opt = SGD([Value(0.0)], lr=1.0)
        with pytest.raises(ValueError, match="lr_lambda"):
            LambdaLR(opt, lambda epoch: -1.0)

    def test_get_last_lr(self) -> None:
        """get_last_lr returns a one-element list, as PyTorch does for one parameter group."""
        opt = SGD([Value(0.0)], lr=1.0)
        scheduler = StepLR(opt, step_size=1, gamma=0.1)
        scheduler.step()
        assert scheduler.get_last_lr() == [pytest.approx(0.1)]

    def test_resume(self) -> None:
        """Loading a scheduler's state continues its schedule."""
        opt = SGD([Value(0.0)], lr=1.0)
        first = StepLR(opt, step_size=2, gamma=0.5)
        for _ in range(3):
            first.step()
        other = SGD([Value(0.0)], lr=1.0)
        resumed = StepLR(other, step_size=2, gamma=0.5)
        resumed.load_state_dict(first.state_dict())
        assert other.lr == opt.lr == 0.5
        resumed.step()
        assert other.lr == 0.25

    @pytest.mark.parametrize(
        ("make", "name"),
        [
            (lambda o: StepLR(o, step_size=0), "step_size"),
            (lambda o: StepLR(o, step_size=1, gamma=-0.1), "gamma"),
            (lambda o: ExponentialLR(o, gamma=float("nan")), "gamma"),
        ],
    )
    def test_bad_arguments(self, make: object, name: str) -> None:
        """Bad scheduler arguments raise ValueError naming them."""
        with pytest.raises(ValueError, match=name):
            make(SGD([Value(0.0)], lr=1.0))  # type: ignore[operator]


class TestLoadIsAllOrNothing:
    def test_lambda_refusing_the_epoch_leaves_the_scheduler_unchanged(self) -> None:
        """If lr_lambda fails at the loaded epoch, the scheduler and the rate stay as they were."""
        opt = SGD([Value(0.0)], lr=1.0)
        scheduler = LambdaLR(opt, lambda epoch: 1.0 if epoch < 5 else float("nan"))
        before = (scheduler.state_dict(), opt.lr)
        with pytest.raises(ValueError):
            scheduler.load_state_dict({"base_lr": 2.0, "last_epoch": 7})
        assert (scheduler.state_dict(), opt.lr) == before


class TestOverflow:
    def test_exponential_lr_names_the_step_where_it_overflows(self) -> None:
        """gamma=10 is fine for a while; the step past the float range is a ValueError naming it."""
        opt = SGD([Value(0.0)], lr=1.0)
        scheduler = ExponentialLR(opt, gamma=10)
        for _ in range(308):
            scheduler.step()
        assert opt.lr == 1e308
        with pytest.raises(
            ValueError, match=r"^ExponentialLR: the learning rate at step 309 is inf"
        ):
            scheduler.step()
        assert (scheduler.last_epoch, opt.lr) == (308, 1e308)  # the refused step changed nothing

    def test_step_lr_with_a_huge_gamma(self) -> None:
        """StepLR(gamma=1e200) raises ValueError at the second decay, not a bare OverflowError."""
        opt = SGD([Value(0.0)], lr=1.0)
        scheduler = StepLR(opt, step_size=1, gamma=1e200)
        scheduler.step()
        with pytest.raises(ValueError, match=r"^StepLR: the learning rate at step 2 is inf"):
            scheduler.step()

    def test_lambda_lr_cannot_set_inf(self) -> None:
        """A finite factor whose product with base_lr overflows is refused, naming LambdaLR."""
        opt = SGD([Value(0.0)], lr=1e10)
        with pytest.raises(ValueError, match=r"^LambdaLR: the learning rate at step 0 is inf"):
            LambdaLR(opt, lambda epoch: 1e300)
        assert opt.lr == 1e10

    def test_load_state_dict_that_would_overflow_changes_nothing(self) -> None:
        """Loading an epoch at which the rate overflows is refused, all or nothing."""
        opt = SGD([Value(0.0)], lr=1.0)
        scheduler = ExponentialLR(opt, gamma=10)
        with pytest.raises(ValueError, match="step 400"):
            scheduler.load_state_dict({"base_lr": 1.0, "last_epoch": 400})
        assert (scheduler.last_epoch, opt.lr) == (0, 1.0)


class TestArgumentTypes:
    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda o: StepLR(o, step_size=1.5), r"StepLR: step_size must be an int, got float"),
            (lambda o: StepLR(o, 1, gamma="0.1"), r"StepLR: gamma must be a real number, got str"),
            (lambda o: ExponentialLR(o, gamma=None), r"ExponentialLR: gamma must be a real number"),
            (lambda o: LambdaLR(o, 0.5), r"LambdaLR: lr_lambda must be callable, got float"),
            (lambda o: LambdaLR(o, lambda e: "1"), r"LambdaLR: lr_lambda\(0\) must be a real"),
            (lambda o: StepLR(object(), 1), r"StepLR: optimizer must be an optimizer with an lr"),
        ],
    )
    def test_wrong_types_are_type_errors(self, make: object, message: str) -> None:
        """A wrong type raises TypeError naming the scheduler and the parameter."""
        with pytest.raises(TypeError, match=message):
            make(SGD([Value(0.0)], lr=1.0))  # type: ignore[operator]

    def test_load_state_dict_needs_a_dict(self) -> None:
        """load_state_dict of a list is a TypeError naming the method and state."""
        scheduler = StepLR(SGD([Value(0.0)], lr=1.0), step_size=1)
        with pytest.raises(TypeError, match=r"^StepLR.load_state_dict: state must be a dict"):
            scheduler.load_state_dict([1.0, 0])  # type: ignore[arg-type]
