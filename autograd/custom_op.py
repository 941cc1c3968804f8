"""``@autograd.op``: turn a float function and its derivative into a new primitive."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from . import checks
from .ops import collect_operands
from .rules import BUILT_IN_OPS, RULES, Rule
from .value import Value, as_number, record

__all__ = ["op"]


def _check_name(parameter: str, name: object) -> str:
    """``name`` if it can name a new op: a non-empty str that is not a built-in op's."""
    checks.instance("op", parameter, name, str, "a str")
    if not name:
        raise ValueError(f"op: {parameter} must be a non-empty str, got ''")
    if name in BUILT_IN_OPS:
        raise ValueError(f"op: {parameter} {name!r} is a built-in op; choose another name")
    return name  # type: ignore[return-value]


def _positional_arity(fn: Callable[..., Any], name: str) -> int:
    parameters = inspect.signature(fn).parameters.values()
    kinds = {p.kind for p in parameters}
    if kinds - {inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD}:
        raise TypeError(f"op {name!r}: the function must take fixed positional arguments only")
    return len(parameters)


def op(
    derivative: Callable[..., Any], *, name: str | None = None
) -> Callable[[Callable[..., float]], Callable[..., Any]]:
    """Decorator: make a function of floats a primitive that accepts Values or numbers.

    The decorated function computes the value from plain floats. ``derivative``
    receives the same inputs and returns the partial derivative: a number for a
    one-input op, or a tuple of partials, one per positional input (constants
    included). It receives floats on the first-order path and Values when a
    derivative is differentiated again, so a derivative written with autograd's
    functions (``autograd.cos``, arithmetic) gives derivatives of every order.

    The op's name (the function's name, or ``name``) shows in ``.op`` and in
    drawings. Defining an op again under the same name replaces it; the names of
    built-in ops are refused.

    Args:
        derivative: ``derivative(*inputs) -> partial or tuple of partials``.
        name: the op's name; defaults to the function's ``__name__``.

    Returns:
        A decorator producing the primitive. Called with numbers only, the
        primitive returns a float; with any Value, a Value node.

    Raises:
        TypeError: (at call time) wrong number of arguments, a non-number
            argument, or a value or partial that is not a real number.
        ValueError: (at backward time) a tuple of partials of the wrong length.

    Examples:
        >>> import math
        >>> from autograd import Value, op
        >>> @op(derivative=lambda x: 1.0 / (1.0 + x * x))
        ... def arctan(x):
        ...     return math.atan(x)
        >>> x = Value(1.0)
        >>> y = arctan(x)
        >>> y.backward()
        >>> y.op, round(y.data, 6), x.grad
        ('arctan', 0.785398, 0.5)
    """
    checks.function("op", "derivative", derivative)
    if name is not None:
        _check_name("name", name)

    def decorate(fn: Callable[..., float]) -> Callable[..., Any]:
        checks.function("op", "fn", fn)
        op_name = (
            _check_name("fn.__name__", getattr(fn, "__name__", None)) if name is None else name
        )
        arity = _positional_arity(fn, op_name)
        try:
            inspect.signature(derivative).bind(*range(arity))
        except TypeError:
            raise TypeError(
                f"op {op_name!r}: derivative must accept the op's {arity} input(s)"
            ) from None
        except ValueError:  # a builtin without a signature: checked when it is called
            pass

        def forward(*numbers: float) -> float:
            result = fn(*numbers)
            value = as_number(result)
            if value is None:
                raise TypeError(
                    f"op {op_name!r} returned {type(result).__name__}, expected a real number"
                )
            return value

        def vjp(g: Any, *inputs_and_out: Any) -> tuple[Any, ...]:
            inputs = inputs_and_out[:-1]
            result = derivative(*inputs)
            if not isinstance(result, tuple):
                result = (result,)
            if len(result) != arity:
                raise ValueError(
                    f"op {op_name!r}: derivative returned {len(result)} partial(s) "
                    f"for {arity} input(s)"
                )
            for index, d in enumerate(result):
                if not isinstance(d, Value) and as_number(d) is None:
                    raise TypeError(
                        f"op {op_name!r}: partial {index} is {type(d).__name__}, "
                        "expected a real number or a Value"
                    )
            # A partial that is the number 0 contributes the number 0: differentiating
            # it again then builds nothing, as for the built-in rows.
            return tuple(
                d * g if isinstance(d, Value) else float(d) * g if d != 0.0 else 0.0 for d in result
            )

        rule = Rule(op_name, forward, vjp, fn.__doc__ or f"The custom op {op_name!r}.", arity)
        RULES[op_name] = rule

        @functools.wraps(fn)
        def primitive(*args: Any) -> Any:
            if len(args) != arity:
                raise TypeError(f"{op_name}() takes {arity} argument(s), got {len(args)}")
            operands: list[Value | float] = []
            numbers: list[float] = []
            any_value = collect_operands(op_name, "inputs", args, operands, numbers)
            data = forward(*numbers)
            if not any_value:
                return data
            return record(rule, data, tuple(operands), tuple(numbers))

        return primitive

    return decorate
