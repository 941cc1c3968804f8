"""Recording modes: ``no_grad`` and ``detect_anomaly``, per thread and per asyncio task."""

from __future__ import annotations

import contextvars
import functools
import os
import sys
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from types import TracebackType
from typing import Any, NamedTuple, TypeVar

__all__ = ["detect_anomaly", "no_grad"]

_F = TypeVar("_F", bound=Callable[..., Any])


class _Mode(NamedTuple):
    record: bool  # build graph nodes (False inside no_grad)
    anomaly: bool  # check every new number for NaN and inf (True inside detect_anomaly)


#: The mode outside any context manager. Node creation compares against this one
#: object (``mode is DEFAULT``) so the common case costs a single ContextVar read.
DEFAULT = _Mode(record=True, anomaly=False)

# A ContextVar rather than a global: each thread and each asyncio task sees its own.
_mode: ContextVar[_Mode] = ContextVar("chainrule_mode", default=DEFAULT)

#: Where nodes created inside ``detect_anomaly`` were made ("file:line"), by node.
#: Weak keys, so recording a site never keeps a graph alive.
creation_sites: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def current() -> _Mode:
    """The recording mode in force in this thread or task."""
    return _mode.get()


def user_site() -> str:
    """The ``file:line`` of the innermost caller outside the autograd package."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


class _ModeSwitch:
    """A reusable context manager and decorator that sets one field of the mode."""

    _field: str
    _value: bool

    def __init__(self) -> None:
        self._tokens: list[contextvars.Token[_Mode]] = []

    def __enter__(self) -> None:
        mode = _mode.get()._replace(**{self._field: self._value})
        # Keep the identity check in node creation fast when we are back at the default.
        self._tokens.append(_mode.set(DEFAULT if mode == DEFAULT else mode))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _mode.reset(self._tokens.pop())

    def __call__(self, func: _F) -> _F:
        """Use as a decorator: every call of ``func`` runs inside a fresh switch."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_ModeSwitch):  # lower case, like the PyTorch context manager
    """Context manager and decorator: nothing inside records a graph.

    Results computed inside are leaves (``op == ""``, ``parents == ()``), which
    makes evaluation cheaper when no gradient is needed. The switch is per thread
    and per asyncio task.

    Example:
        >>> from autograd import Value, no_grad
        >>> x = Value(3.0)
        >>> with no_grad():
        ...     y = x * x
        >>> y.op, y.parents
        ('', ())
    """

    _field = "record"
    _value = False


class detect_anomaly(_ModeSwitch):
    """Context manager and decorator: stop at the first NaN or inf.

    Inside it, any node whose value is NaN or infinite, and any gradient
    contribution in ``backward()`` that is NaN or infinite, raises
    :class:`FloatingPointError` naming the operation and, for nodes created inside
    the block, the line of user code that created the node. Outside it there is
    nothing to pay.

    Example:
        >>> from autograd import Value, detect_anomaly
        >>> with detect_anomaly():
        ...     Value(1000.0).exp()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        FloatingPointError: detect_anomaly: exp produced inf from inputs (1000.0,) at ...
    """

    _field = "anomaly"
    _value = True
