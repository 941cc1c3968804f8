"""Optimizers (SGD, Adam, RMSprop, Adagrad) and ``clip_grad_norm``, with PyTorch's update rules.

Every optimizer holds a list of parameters and one learning rate ``lr`` (a plain
attribute that the schedulers in :mod:`nn.schedulers`, re-exported here, change),
keeps per-parameter state in ``state`` (a dict keyed by parameter), and has
``step()`` (apply one update from the current ``.grad``), ``zero_grad()``, and
``state_dict()`` / ``load_state_dict()`` to pause and resume training.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from autograd import Value, checks

from .schedulers import ExponentialLR, LambdaLR, LRScheduler, StepLR

__all__ = [
    "SGD",
    "Adagrad",
    "Adam",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "Optimizer",
    "RMSprop",
    "StepLR",
    "clip_grad_norm",
]


def _values(where: str, params: object) -> list[Value]:
    """The parameters as a list, each a Value."""
    if callable(getattr(params, "parameters", None)):  # a model where its parameters belong
        raise TypeError(
            f"{where}: params must be an iterable of Values, got {type(params).__name__}; "
            f"pass model.parameters()"
        )
    result = checks.iterable(
        where, "params", params, what="an iterable of Values, such as model.parameters()"
    )
    for index, p in enumerate(result):
        checks.instance(where, f"params[{index}]", p, Value, "a Value")
    return result


def _parameters(where: str, params: object) -> list[Value]:
    """The parameters as a list, each a Value and none twice, at least one."""
    result = _values(where, params)
    if not result:
        raise ValueError(f"{where}: params is empty")
    seen: set[Value] = set()
    for index, p in enumerate(result):
        if p in seen:
            raise ValueError(f"{where}: params[{index}] appears twice")
        seen.add(p)
    return result


class Optimizer:
    """The base class: parameters, a learning rate, per-parameter state and checkpoints.

    A subclass lists its hyperparameters in ``_HYPERPARAMETERS`` (attribute names,
    ``lr`` first), the names of its per-parameter state in ``_STATE``, and
    implements ``step()``.

    As in PyTorch, ``step()`` skips a parameter whose ``grad`` is None (set by
    ``p.grad = None``): it is neither updated nor decayed, and its state is kept.
    ``backward()`` leaves None on a parameter that it reaches only through relus that
    were off (PyTorch would set 0 there; see :meth:`autograd.Value.backward`).

    Args:
        params: the parameters to optimise, e.g. ``model.parameters()`` (a model
            itself is refused with a message saying so).
        lr: the learning rate, >= 0.
    """

    _HYPERPARAMETERS: ClassVar[tuple[str, ...]] = ("lr",)
    _STATE: ClassVar[tuple[str, ...]] = ()
    #: State that is a running mean of squares or a sum of them, so never negative.
    _NON_NEGATIVE: ClassVar[frozenset[str]] = frozenset({"exp_avg_sq", "square_avg", "sum"})

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        where = type(self).__name__
        self.params = _parameters(where, params)
        self.lr = checks.real(where, "lr", lr, at_least=0)
        self.state: dict[Value, dict[str, float]] = {}
        #: How many times ``step()`` has run.
        self.step_count = 0

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0.0.

        Examples:
            >>> from autograd import Value
            >>> w = Value(1.0)
            >>> w.grad = 3.0
            >>> SGD([w], lr=0.1).zero_grad()
            >>> w.grad
            0.0
        """
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its current ``grad``; each optimizer defines it.

        Examples:
            >>> from autograd import Value
            >>> w = Value(1.0)
            >>> w.grad = 2.0
            >>> SGD([w], lr=0.25).step()
            >>> w.data
            0.5
        """
        raise NotImplementedError(f"{type(self).__name__} does not define step()")

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume: hyperparameters, step count and per-parameter state.

        Parameters are identified by their position in ``params``, so load the
        state into an optimizer built over the same parameters in the same order.
        The result holds only JSON types (str, int, float, lists and dicts).

        Returns:
            A new dict ``{"type", "hyperparameters", "step_count", "state"}``.

        Examples:
            >>> from autograd import Value
            >>> opt = SGD([Value(1.0)], lr=0.1, momentum=0.9)
            >>> opt.state_dict()["hyperparameters"]["momentum"]
            0.9
        """
        hyperparameters = {name: getattr(self, name) for name in self._HYPERPARAMETERS}
        for name, value in hyperparameters.items():
            if isinstance(value, tuple):
                hyperparameters[name] = list(value)
        return {
            "type": type(self).__name__,
            "hyperparameters": hyperparameters,
            "step_count": self.step_count,
            "state": [dict(self.state.get(p, {})) for p in self.params],
        }

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned; on an error nothing changes.

        Args:
            state_dict: the dict from :meth:`state_dict` of the same optimizer class
                over the same number of parameters.

        Raises:
            TypeError: if ``state_dict`` is not a dict.
            ValueError: saying which part does not fit.

        Examples:
            >>> from autograd import Value
            >>> w = Value(1.0)
            >>> w.grad = 1.0
            >>> opt = Adam([w], lr=0.1)
            >>> opt.step()
            >>> resumed = Adam([w], lr=0.5)
            >>> resumed.load_state_dict(opt.state_dict())
            >>> resumed.lr, resumed.step_count
            (0.1, 1)
        """
        where = f"{type(self).__name__}.load_state_dict"
        checks.instance(where, "state_dict", state_dict, Mapping, "a dict")
        expected_keys = {"type", "hyperparameters", "step_count", "state"}
        if set(state_dict) != expected_keys:
            raise ValueError(
                f"{where}: expects keys {sorted(expected_keys)}, got {sorted(state_dict)}"
            )
        if state_dict["type"] != type(self).__name__:
            raise ValueError(f"{where}: the state is for {state_dict['type']!r}")
        hyper = state_dict["hyperparameters"]
        if not isinstance(hyper, Mapping) or set(hyper) != set(self._HYPERPARAMETERS):
            raise ValueError(f"{where}: hyperparameters must be {list(self._HYPERPARAMETERS)}")
        count = state_dict["step_count"]
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count < 2**53:
            raise ValueError(f"{where}: step_count must be an int in [0, 2**53), got {count!r}")
        entries = state_dict["state"]
        if not isinstance(entries, list) or len(entries) != len(self.params):
            raise ValueError(f"{where}: state must be a list with one entry per parameter")
        for index, entry in enumerate(entries):
            # An entry is empty (the parameter has not been stepped yet) or complete.
            if not isinstance(entry, Mapping) or (entry and set(entry) != set(self._STATE)):
                raise ValueError(
                    f"{where}: state[{index}] must be empty or hold exactly {list(self._STATE)}"
                )
            for key, value in entry.items():
                if not checks.is_finite_real(value):
                    number = isinstance(value, numbers.Real) and not isinstance(value, bool)
                    problem = "is not finite" if number else "is not a number"
                    raise ValueError(f"{where}: state[{index}][{key!r}] {problem}")
                if key in self._NON_NEGATIVE and value < 0:
                    raise ValueError(
                        f"{where}: state[{index}][{key!r}] must be >= 0, got {value!r}"
                    )
        # Check the hyperparameters by building an optimizer with them, then copy.
        check = type(self)([Value(0.0)], **self._to_arguments(hyper))
        for name in self._HYPERPARAMETERS:
            setattr(self, name, getattr(check, name))
        self.step_count = count
        self.state = {
            p: {key: float(value) for key, value in entry.items()}
            for p, entry in zip(self.params, entries)
            if entry
        }

    def _to_arguments(self, hyper: Mapping[str, Any]) -> dict[str, Any]:
        """Constructor keyword arguments from stored hyperparameters."""
        return dict(hyper)

    def __repr__(self) -> str:
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._HYPERPARAMETERS)
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay.

    The update, as in PyTorch, for each parameter ``p`` with gradient ``g``::

        g <- g + weight_decay * p
        b <- g                      on the first step (the buffer starts as the gradient)
        b <- momentum * b + g       afterwards
        g <- g + momentum * b       if nesterov, else g <- b
        p <- p - lr * g

    With ``momentum = 0`` this is plain ``p <- p - lr * g``. The textbook form
    ``v <- gamma * v + alpha * g; theta <- theta - v`` (with ``v`` starting at 0)
    is the same method: with ``gamma = momentum``, ``alpha = lr`` and a constant
    learning rate, ``v = lr * b`` at every step, since
    ``lr * b_new = momentum * (lr * b) + lr * g``, and the first step gives
    ``v = lr * g = lr * b``.

    Args:
        params: the parameters to optimise.
        lr: the learning rate, >= 0.
        momentum: the momentum factor, >= 0.
        nesterov: use Nesterov momentum (needs momentum > 0).
        weight_decay: the L2 penalty factor, >= 0.

    Examples:
        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     w.grad = 1.0
        ...     opt.step()
        >>> round(w.data, 10)  # 1 - 0.1 * 1 - 0.1 * (0.9 + 1)
        0.71
    """

    _HYPERPARAMETERS = ("lr", "momentum", "nesterov", "weight_decay")
    _STATE = ("momentum_buffer",)

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        where = "SGD"
        self.momentum = checks.real(where, "momentum", momentum, at_least=0)
        self.weight_decay = checks.real(where, "weight_decay", weight_decay, at_least=0)
        nesterov = checks.flag(where, "nesterov", nesterov)
        if nesterov and self.momentum == 0.0:
            raise ValueError(f"{where}: nesterov needs momentum > 0, got momentum={momentum!r}")
        self.nesterov = nesterov

    def step(self) -> None:
        """Apply one SGD update to every parameter (see the class docstring)."""
        self.step_count += 1
        lr, mu, decay = self.lr, self.momentum, self.weight_decay
        for p in self.params:
            g = p.grad
            if g is None:  # PyTorch's p.grad = None: no gradient, no update
                continue
            if decay:
                g += decay * p.data
            if mu:
                state = self.state.get(p)
                if state is None:
                    buf = g
                    self.state[p] = {"momentum_buffer": buf}
                else:
                    buf = mu * state["momentum_buffer"] + g
                    state["momentum_buffer"] = buf
                g = g + mu * buf if self.nesterov else buf
            p.data -= lr * g


class Adam(Optimizer):
    """Adam, with PyTorch's defaults and bias correction.

    For each parameter ``p`` with gradient ``g``, at step ``t = 1, 2, ...``::

        g <- g + weight_decay * p
        m <- beta1 * m + (1 - beta1) * g          (m and v start at 0)
        v <- beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Args:
        params: the parameters to optimise.
        lr: the learning rate, >= 0.
        betas: the decay rates ``(beta1, beta2)`` of the two averages, each in [0, 1).
        eps: added to the denominator for stability, >= 0.
        weight_decay: the L2 penalty factor, >= 0.

    Examples:
        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> w.grad = 0.5
        >>> opt = Adam([w], lr=0.1)
        >>> opt.step()  # the first step moves by about lr, whatever the gradient's size
        >>> round(w.data, 6)
        0.9
    """

    _HYPERPARAMETERS = ("lr", "betas", "eps", "weight_decay")
    _STATE = ("exp_avg", "exp_avg_sq")

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        where = "Adam"
        pair = checks.sequence(where, "betas", betas, what="a pair (beta1, beta2)", length=2)
        self.betas = (
            checks.real(where, "betas[0]", pair[0], at_least=0, below=1),
            checks.real(where, "betas[1]", pair[1], at_least=0, below=1),
        )
        self.eps = checks.real(where, "eps", eps, at_least=0)
        self.weight_decay = checks.real(where, "weight_decay", weight_decay, at_least=0)

    def step(self) -> None:
        """Apply one Adam update to every parameter (see the class docstring)."""
        self.step_count += 1
        t = self.step_count
        beta1, beta2 = self.betas
        correction1 = 1.0 - beta1**t
        correction2 = 1.0 - beta2**t
        lr, eps, decay = self.lr, self.eps, self.weight_decay
        for p in self.params:
            g = p.grad
            if g is None:  # PyTorch's p.grad = None: no gradient, no update
                continue
            if decay:
                g += decay * p.data
            state = self.state.get(p)
            if state is None:
                state = self.state[p] = {"exp_avg": 0.0, "exp_avg_sq": 0.0}
            m = state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g
            v = state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g
            p.data -= lr * (m / correction1) / (math.sqrt(v / correction2) + eps)


class RMSprop(Optimizer):
    """RMSprop, as in PyTorch: divide the gradient by a running root mean square.

    For each parameter ``p`` with gradient ``g``::

        g <- g + weight_decay * p
        v <- alpha * v + (1 - alpha) * g^2                 (v starts at 0)
        if centered: a <- alpha * a + (1 - alpha) * g;  d = sqrt(v - a^2) + eps
        else:        d = sqrt(v) + eps
        if momentum > 0: b <- momentum * b + g / d;  p <- p - lr * b    (b starts at 0)
        else:            p <- p - lr * g / d

    Args:
        params: the parameters to optimise.
        lr: the learning rate, >= 0.
        alpha: the decay rate of the running average, in [0, 1).
        eps: added to the denominator for stability, >= 0.
        weight_decay: the L2 penalty factor, >= 0.
        momentum: the momentum factor, >= 0.
        centered: normalise by the running variance instead of the mean square.

    Examples:
        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> w.grad = 2.0
        >>> opt = RMSprop([w], lr=0.01)
        >>> opt.step()  # v = 0.01 * 4, so the step is 0.01 * 2 / 0.2
        >>> round(w.data, 6)
        0.9
    """

    _HYPERPARAMETERS = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")
    _STATE = ("square_avg", "grad_avg", "momentum_buffer")

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        where = "RMSprop"
        self.alpha = checks.real(where, "alpha", alpha, at_least=0, below=1)
        self.eps = checks.real(where, "eps", eps, at_least=0)
        self.weight_decay = checks.real(where, "weight_decay", weight_decay, at_least=0)
        self.momentum = checks.real(where, "momentum", momentum, at_least=0)
        self.centered = checks.flag(where, "centered", centered)

    def step(self) -> None:
        """Apply one RMSprop update to every parameter (see the class docstring)."""
        self.step_count += 1
        lr, alpha, eps, decay, mu = self.lr, self.alpha, self.eps, self.weight_decay, self.momentum
        for p in self.params:
            g = p.grad
            if g is None:  # PyTorch's p.grad = None: no gradient, no update
                continue
            if decay:
                g += decay * p.data
            state = self.state.get(p)
            if state is None:
                state = self.state[p] = {"square_avg": 0.0, "grad_avg": 0.0, "momentum_buffer": 0.0}
            v = state["square_avg"] = alpha * state["square_avg"] + (1.0 - alpha) * g * g
            if self.centered:
                a = state["grad_avg"] = alpha * state["grad_avg"] + (1.0 - alpha) * g
                # v - a*a is a variance; rounding can make it a hair below 0.
                denominator = math.sqrt(max(v - a * a, 0.0)) + eps
            else:
                denominator = math.sqrt(v) + eps
            if mu:
                buf = state["momentum_buffer"] = mu * state["momentum_buffer"] + g / denominator
                p.data -= lr * buf
            else:
                p.data -= lr * g / denominator


class Adagrad(Optimizer):
    """Adagrad, as in PyTorch: each parameter's step shrinks with its summed squared gradients.

    For each parameter ``p`` with gradient ``g``, at step ``t = 1, 2, ...``::

        g <- g + weight_decay * p
        lr_t = lr / (1 + (t - 1) * lr_decay)
        s <- s + g^2                      (s starts at initial_accumulator_value)
        p <- p - lr_t * g / (sqrt(s) + eps)

    Args:
        params: the parameters to optimise.
        lr: the learning rate, >= 0.
        lr_decay: the learning-rate decay, >= 0.
        weight_decay: the L2 penalty factor, >= 0.
        initial_accumulator_value: the starting value of ``s``, >= 0.
        eps: added to the denominator for stability, >= 0.

    Examples:
        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> w.grad = 3.0
        >>> opt = Adagrad([w], lr=0.5)
        >>> opt.step()  # s = 9, so the step is 0.5 * 3 / 3
        >>> round(w.data, 6)
        0.5
    """

    _HYPERPARAMETERS = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")
    _STATE = ("sum",)

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr)
        where = "Adagrad"
        self.lr_decay = checks.real(where, "lr_decay", lr_decay, at_least=0)
        self.weight_decay = checks.real(where, "weight_decay", weight_decay, at_least=0)
        self.initial_accumulator_value = checks.real(
            where, "initial_accumulator_value", initial_accumulator_value, at_least=0
        )
        self.eps = checks.real(where, "eps", eps, at_least=0)

    def step(self) -> None:
        """Apply one Adagrad update to every parameter (see the class docstring)."""
        self.step_count += 1
        lr = self.lr / (1.0 + (self.step_count - 1) * self.lr_decay)
        eps, decay = self.eps, self.weight_decay
        for p in self.params:
            g = p.grad
            if g is None:  # PyTorch's p.grad = None: no gradient, no update
                continue
            if decay:
                g += decay * p.data
            state = self.state.get(p)
            if state is None:
                state = self.state[p] = {"sum": self.initial_accumulator_value}
            s = state["sum"] = state["sum"] + g * g
            p.data -= lr * g / (math.sqrt(s) + eps)


def clip_grad_norm(params: Iterable[Value], max_norm: float) -> float:
    """Scale gradients down so that their joint L2 norm is at most ``max_norm``.

    With ``norm = sqrt(sum_i g_i^2)``, when ``norm > max_norm`` every gradient is
    multiplied by ``max_norm / (norm + 1e-6)`` (PyTorch's ``clip_grad_norm_``;
    the 1e-6 guards against dividing by a tiny norm). Direction is kept. A NaN or
    infinite norm leaves the gradients as they are; it is returned so you can
    check it.

    Args:
        params: the parameters whose ``grad`` to clip, e.g. ``model.parameters()``.
        max_norm: the largest allowed norm, > 0.

    Returns:
        The norm before clipping.

    Raises:
        TypeError: if ``params`` is not an iterable of Values or ``max_norm`` not a number.
        ValueError: if ``max_norm`` is not a finite number > 0.

    Examples:
        >>> from autograd import Value
        >>> a, b = Value(0.0), Value(0.0)
        >>> a.grad, b.grad = 3.0, 4.0
        >>> clip_grad_norm([a, b], max_norm=1.0)
        5.0
        >>> round(a.grad, 6), round(b.grad, 6)
        (0.6, 0.8)
    """
    params = _values("clip_grad_norm", params)
    limit = checks.real("clip_grad_norm", "max_norm", max_norm, above=0)
    params = [p for p in params if p.grad is not None]  # PyTorch's grad = None: no gradient
    norm = math.sqrt(math.fsum(p.grad * p.grad for p in params))
    if math.isfinite(norm) and norm > limit:
        scale = limit / (norm + 1e-6)
        for p in params:
            p.grad *= scale
    return norm
