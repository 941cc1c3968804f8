"""Learning-rate schedulers: ``StepLR``, ``ExponentialLR`` and ``LambdaLR``.

A scheduler sets its optimizer's ``lr`` from the epoch count: call its
``step()`` once per epoch, after the optimizer's steps (``nn.fit`` does this).
Each computes the rate in closed form from the learning rate the optimizer had
when the scheduler was made (``base_lr``), so there is no drift from repeated
multiplication. A rate that overflows (``gamma = 10`` after 400 epochs) or is not
a number raises a ``ValueError`` naming the scheduler and the step, and the
scheduler and the optimizer's rate stay as they were.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from autograd import checks

if TYPE_CHECKING:
    from .optim import Optimizer

__all__ = ["ExponentialLR", "LRScheduler", "LambdaLR", "StepLR"]


class LRScheduler:
    """The base class: remembers ``base_lr`` and counts epochs in ``last_epoch``.

    Making a scheduler sets the optimizer's rate for epoch 0; each ``step()``
    advances one epoch and sets the rate for it.

    Args:
        optimizer: the optimizer whose ``lr`` to set.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        where = type(self).__name__
        if not hasattr(optimizer, "lr"):
            kind = type(optimizer).__name__
            raise TypeError(f"{where}: optimizer must be an optimizer with an lr, got {kind}")
        self.optimizer = optimizer
        self.base_lr: float = checks.real(where, "optimizer.lr", optimizer.lr, at_least=0)
        self.last_epoch = 0
        self.optimizer.lr = self._rate()

    def get_lr(self) -> float:
        """The learning rate for epoch ``last_epoch``; each scheduler defines it."""
        raise NotImplementedError(f"{type(self).__name__} does not define get_lr()")

    def _rate(self) -> float:
        """``get_lr()``, refused with a ValueError naming the step when it is not finite.

        A factor such as ``gamma = 10`` is fine for a few epochs, so the schedule is
        checked where it overflows rather than refused up front.
        """
        try:
            lr = self.get_lr()
        except OverflowError:  # gamma ** epoch past the float range
            lr = math.inf
        if not math.isfinite(lr):
            raise ValueError(
                f"{type(self).__name__}: the learning rate at step {self.last_epoch} is {lr!r} "
                f"(base_lr={self.base_lr!r}); the schedule overflows or is not a number"
            )
        return lr

    def step(self) -> None:
        """Advance one epoch and set the optimizer's learning rate for it.

        Raises:
            ValueError: if the new rate overflows or is not a finite number >= 0;
                nothing changes then.

        Examples:
            >>> from autograd import Value
            >>> from nn.optim import SGD
            >>> opt = SGD([Value(0.0)], lr=1.0)
            >>> ExponentialLR(opt, gamma=0.1).step()
            >>> opt.lr
            0.1
        """
        self.last_epoch += 1
        try:
            self.optimizer.lr = self._rate()
        except Exception:
            self.last_epoch -= 1  # a refused step changes nothing
            raise

    def get_last_lr(self) -> list[float]:
        """The rate set last, as a list with one entry (PyTorch has one per parameter group).

        Returns:
            ``[optimizer.lr]``.

        Examples:
            >>> from autograd import Value
            >>> from nn.optim import SGD
            >>> StepLR(SGD([Value(0.0)], lr=0.5), step_size=1).get_last_lr()
            [0.5]
        """
        return [self.optimizer.lr]

    def state_dict(self) -> dict[str, Any]:
        """``{"base_lr", "last_epoch"}``: what is needed to resume the schedule.

        Returns:
            A new dict.

        Examples:
            >>> from autograd import Value
            >>> from nn.optim import SGD
            >>> scheduler = ExponentialLR(SGD([Value(0.0)], lr=0.5), gamma=0.9)
            >>> scheduler.step()
            >>> scheduler.state_dict()
            {'base_lr': 0.5, 'last_epoch': 1}
        """
        return {"base_lr": self.base_lr, "last_epoch": self.last_epoch}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Resume from :meth:`state_dict`, setting the optimizer's rate to match.

        Args:
            state: the dict from :meth:`state_dict`.

        Raises:
            TypeError: if ``state`` is not a dict or an entry has the wrong type.
            ValueError: if an entry is missing or invalid; nothing changes then.

        Examples:
            >>> from autograd import Value
            >>> from nn.optim import SGD
            >>> opt = SGD([Value(0.0)], lr=1.0)
            >>> scheduler = StepLR(opt, step_size=1, gamma=0.5)
            >>> scheduler.load_state_dict({"base_lr": 1.0, "last_epoch": 2})
            >>> opt.lr
            0.25
        """
        where = f"{type(self).__name__}.load_state_dict"
        checks.instance(where, "state", state, Mapping, "a dict")
        if set(state) != {"base_lr", "last_epoch"}:
            raise ValueError(f"{where}: expects keys ['base_lr', 'last_epoch']")
        base_lr = checks.real(where, "base_lr", state["base_lr"], at_least=0)
        epoch = checks.integer(where, "last_epoch", state["last_epoch"], minimum=0)
        previous = self.base_lr, self.last_epoch
        self.base_lr, self.last_epoch = base_lr, epoch
        try:
            lr = self._rate()  # LambdaLR's function may refuse this epoch, a factor overflow
        except Exception:
            self.base_lr, self.last_epoch = previous  # all or nothing
            raise
        self.optimizer.lr = lr


class StepLR(LRScheduler):
    """Multiply the rate by ``gamma`` every ``step_size`` epochs.

    ``lr(epoch) = base_lr * gamma ** (epoch // step_size)``.

    Args:
        optimizer: the optimizer whose ``lr`` to set.
        step_size: epochs between decays, >= 1.
        gamma: the factor, >= 0.

    Examples:
        >>> from autograd import Value
        >>> from nn.optim import SGD
        >>> opt = SGD([Value(0.0)], lr=1.0)
        >>> scheduler = StepLR(opt, step_size=2, gamma=0.5)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(opt.lr)
        ...     scheduler.step()
        >>> rates
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = checks.integer("StepLR", "step_size", step_size, minimum=1)
        self.gamma = checks.real("StepLR", "gamma", gamma, at_least=0)
        super().__init__(optimizer)

    def get_lr(self) -> float:
        """``base_lr * gamma ** (last_epoch // step_size)``."""
        return self.base_lr * self.gamma ** (self.last_epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """Multiply the rate by ``gamma`` every epoch: ``lr(epoch) = base_lr * gamma ** epoch``.

    Args:
        optimizer: the optimizer whose ``lr`` to set.
        gamma: the factor, >= 0.

    Examples:
        >>> from autograd import Value
        >>> from nn.optim import SGD
        >>> opt = SGD([Value(0.0)], lr=1.0)
        >>> scheduler = ExponentialLR(opt, gamma=0.5)
        >>> scheduler.step(); scheduler.step()
        >>> scheduler.get_last_lr()
        [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = checks.real("ExponentialLR", "gamma", gamma, at_least=0)
        super().__init__(optimizer)

    def get_lr(self) -> float:
        """``base_lr * gamma ** last_epoch``."""
        return self.base_lr * self.gamma**self.last_epoch


class LambdaLR(LRScheduler):
    """Set the rate to ``base_lr * lr_lambda(epoch)``.

    As in PyTorch, the factor for epoch 0 applies as soon as the scheduler is made.

    Args:
        optimizer: the optimizer whose ``lr`` to set.
        lr_lambda: a function from the epoch (an int >= 0) to a finite factor >= 0.

    Raises:
        TypeError: when ``lr_lambda`` returns something that is not a number.
        ValueError: when it returns a negative or non-finite factor.

    Examples:
        >>> from autograd import Value
        >>> from nn.optim import SGD
        >>> opt = SGD([Value(0.0)], lr=0.1)
        >>> scheduler = LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
        >>> scheduler.step()
        >>> opt.lr
        0.05
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float]) -> None:
        self.lr_lambda = checks.function("LambdaLR", "lr_lambda", lr_lambda)
        super().__init__(optimizer)

    def get_lr(self) -> float:
        """``base_lr * lr_lambda(last_epoch)``."""
        epoch = self.last_epoch
        factor = checks.real("LambdaLR", f"lr_lambda({epoch})", self.lr_lambda(epoch), at_least=0)
        return self.base_lr * factor
