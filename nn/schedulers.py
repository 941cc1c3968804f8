"""Learning-rate schedulers: ``StepLR``, ``ExponentialLR`` and ``LambdaLR``.

A scheduler sets its optimizer's ``lr`` from the epoch count: call its
``step()`` once per epoch, after the optimizer's steps (``nn.fit`` does this).
Each computes the rate in closed form from the learning rate the optimizer had
when the scheduler was made (``base_lr``), so there is no drift from repeated
multiplication.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .optim import Optimizer

__all__ = ["ExponentialLR", "LRScheduler", "LambdaLR", "StepLR"]


def _positive_int(where: str, name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise ValueError(f"{where}: {name} must be an int >= 1, got {value!r}")
    return int(value)


def _factor(where: str, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{where}: {name} must be a real number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float: reported as not finite below
        number = math.inf
    if not math.isfinite(number) or number < 0.0:
        raise ValueError(f"{where}: {name} must be a finite number >= 0, got {value!r}")
    return number


class LRScheduler:
    """The base class: remembers ``base_lr`` and counts epochs in ``last_epoch``.

    Making a scheduler sets the optimizer's rate for epoch 0; each ``step()``
    advances one epoch and sets the rate for it.

    Args:
        optimizer: the optimizer whose ``lr`` to set.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not hasattr(optimizer, "lr"):
            raise TypeError(
                f"{type(self).__name__}: expects an optimizer with an lr, "
                f"got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        self.base_lr: float = optimizer.lr
        self.last_epoch = 0
        self.optimizer.lr = self.get_lr()

    def get_lr(self) -> float:
        """The learning rate for epoch ``last_epoch``; each scheduler defines it."""
        raise NotImplementedError(f"{type(self).__name__} does not define get_lr()")

    def step(self) -> None:
        """Advance one epoch and set the optimizer's learning rate for it.

        Example:
            >>> from autograd import Value
            >>> from nn.optim import SGD
            >>> opt = SGD([Value(0.0)], lr=1.0)
            >>> ExponentialLR(opt, gamma=0.1).step()
            >>> opt.lr
            0.1
        """
        self.last_epoch += 1
        self.optimizer.lr = self.get_lr()

    def get_last_lr(self) -> list[float]:
        """The rate set last, as a list with one entry (PyTorch has one per parameter group).

        Returns:
            ``[optimizer.lr]``.

        Example:
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

        Example:
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
            ValueError: if an entry is missing or invalid.

        Example:
            >>> from autograd import Value
            >>> from nn.optim import SGD
            >>> opt = SGD([Value(0.0)], lr=1.0)
            >>> scheduler = StepLR(opt, step_size=1, gamma=0.5)
            >>> scheduler.load_state_dict({"base_lr": 1.0, "last_epoch": 2})
            >>> opt.lr
            0.25
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, Mapping) or set(state) != {"base_lr", "last_epoch"}:
            raise ValueError(f"{where}: expects keys ['base_lr', 'last_epoch']")
        base_lr = _factor(where, "base_lr", state["base_lr"])
        epoch = state["last_epoch"]
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise ValueError(f"{where}: last_epoch must be an int >= 0, got {epoch!r}")
        previous = self.base_lr, self.last_epoch
        self.base_lr, self.last_epoch = base_lr, epoch
        try:
            lr = self.get_lr()  # LambdaLR's function may refuse this epoch
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

    Example:
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
        self.step_size = _positive_int("StepLR", "step_size", step_size)
        self.gamma = _factor("StepLR", "gamma", gamma)
        super().__init__(optimizer)

    def get_lr(self) -> float:
        """``base_lr * gamma ** (last_epoch // step_size)``."""
        return self.base_lr * self.gamma ** (self.last_epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """Multiply the rate by ``gamma`` every epoch: ``lr(epoch) = base_lr * gamma ** epoch``.

    Args:
        optimizer: the optimizer whose ``lr`` to set.
        gamma: the factor, >= 0.

    Example:
        >>> from autograd import Value
        >>> from nn.optim import SGD
        >>> opt = SGD([Value(0.0)], lr=1.0)
        >>> scheduler = ExponentialLR(opt, gamma=0.5)
        >>> scheduler.step(); scheduler.step()
        >>> scheduler.get_last_lr()
        [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = _factor("ExponentialLR", "gamma", gamma)
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
        ValueError: when ``lr_lambda`` returns something else.

    Example:
        >>> from autograd import Value
        >>> from nn.optim import SGD
        >>> opt = SGD([Value(0.0)], lr=0.1)
        >>> scheduler = LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
        >>> scheduler.step()
        >>> opt.lr
        0.05
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float]) -> None:
        if not callable(lr_lambda):
            raise TypeError(f"LambdaLR: lr_lambda must be callable, got {type(lr_lambda).__name__}")
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def get_lr(self) -> float:
        """``base_lr * lr_lambda(last_epoch)``."""
        factor = _factor(
            "LambdaLR", f"lr_lambda({self.last_epoch})", self.lr_lambda(self.last_epoch)
        )
        return self.base_lr * factor
