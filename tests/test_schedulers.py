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
