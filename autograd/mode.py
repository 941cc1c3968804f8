"""Recording modes: ``no_grad`` and ``detect_anomaly``, per thread and per asyncio task.

Also the variables of the derivatives in progress (:func:`differentiating`), which
nested derivatives read to stay connected to the graphs around them.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
import weakref
from collections.abc import Callable, Generator, Iterable, Iterator
from contextvars import ContextVar
from types import TracebackType
from typing import Any, NamedTuple, TypeVar

from . import checks

__all__ = [
    "default_mode",
    "detect_anomaly",
    "differentiating",
    "enable_grad",
    "no_grad",
    "outer_variables",
    "scope",
    "scope_open",
]

_F = TypeVar("_F", bound=Callable[..., Any])


class _Mode(NamedTuple):
    record: bool  # build graph nodes (False inside no_grad)
    anomaly: bool  # check every new number for NaN and inf (True inside detect_anomaly)
    scope: tuple[str, ...] | None  # the open scope() names; None when no scope is open


#: The mode outside any context manager. Node creation compares against this one
#: object (``mode is DEFAULT``) so the common case costs a single ContextVar read.
DEFAULT = _Mode(record=True, anomaly=False, scope=None)

# A ContextVar rather than a global: each thread and each asyncio task sees its own.
_mode: ContextVar[_Mode] = ContextVar("chainrule_mode", default=DEFAULT)

#: Where nodes created inside ``detect_anomaly`` were made ("file:line"), by node.
#: Weak keys, so recording a site never keeps a graph alive.
creation_sites: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

#: The scope path of nodes created inside ``scope()``, by node (weak keys, like above).
node_scopes: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


#: The recording mode in force in this thread or task. The ContextVar's own get,
#: not a wrapper: node creation calls it for every node, and a Python frame per
#: call would cost about 20 ns.
current = _mode.get


def user_site() -> str:
    """The ``file:line`` of the innermost caller outside the autograd package."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


# The modes to restore on exit, innermost last. Kept in a ContextVar, not on the
# switch object, so one switch (a module-level ``no_grad()``, say) can be entered
# from several threads or asyncio tasks at once and each restores its own mode.
_saved: ContextVar[tuple[_Mode, ...]] = ContextVar("chainrule_saved_modes", default=())

_GENERATOR_FLAGS = inspect.CO_GENERATOR | inspect.CO_ASYNC_GENERATOR
_CONTEXTLIB = contextlib.__file__


class _ModeSwitch:
    """A reusable context manager and decorator that switches one field of the mode.

    A mode lives in a ContextVar, and a generator has no context of its own: a
    ``with`` block inside one that yields would leave the mode switched in its
    caller. So entering a switch inside a generator's body raises TypeError; a
    generator function decorated with the switch runs switched while its body
    runs, and only then. Generators that ``contextlib.contextmanager`` drives are
    let through, since leaving the mode switched for the ``with`` body is their job.
    """

    def _switched(self, mode: _Mode) -> _Mode:
        raise NotImplementedError

    def __enter__(self) -> None:
        frame = sys._getframe(1)  # the code that runs the with statement
        if frame.f_code.co_flags & _GENERATOR_FLAGS and not (
            frame.f_back is not None and frame.f_back.f_code.co_filename == _CONTEXTLIB
        ):
            raise TypeError(self._in_generator(frame.f_code))
        current = _mode.get()
        _saved.set((*_saved.get(), current))
        mode = self._switched(current)
        # Keep the identity check in node creation fast when we are back at the default.
        _mode.set(DEFAULT if mode == DEFAULT else mode)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        saved = _saved.get()
        if not saved:
            raise RuntimeError(
                f"{type(self).__name__}() exited in another thread or asyncio task than the "
                "one it was entered in, which keeps the mode it switched"
            )
        _mode.set(saved[-1])
        _saved.set(saved[:-1])

    def _in_generator(self, code: Any) -> str:
        """The message for a switch entered inside the body of the generator ``code``."""
        name = type(self).__name__
        where = "async generator" if code.co_flags & inspect.CO_ASYNC_GENERATOR else "generator"
        instead = (
            "a function or coroutine it calls"
            if where != "generator"
            else (
                f"a function it calls, or decorate the generator function with @{name}(), "
                "which switches the mode only while its body runs"
            )
        )
        return (
            f"{name}() cannot be entered inside the {where} {code.co_name!r}: at a yield the "
            f"mode would stay switched in its caller. Enter it in {instead}"
        )

    def _resume(self, method: Callable[..., Any], *args: Any) -> Any:
        """``method(*args)`` with the mode switched: one step of a decorated generator."""
        with self:
            return method(*args)

    def _confined(self, generator: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
        """``generator`` switched while its body runs, and not while its caller runs."""
        try:
            response = self._resume(generator.send, None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    self._resume(generator.close)
                    raise
                except BaseException as error:  # thrown in: pass it on, switched
                    response = self._resume(generator.throw, error)
                else:
                    response = self._resume(generator.send, request)
        except StopIteration as stop:
            return stop.value

    def __call__(self, func: _F) -> _F:
        """Use as a decorator: every call of ``func`` (or of a coroutine function) runs switched.

        A generator function runs switched while its body runs, between ``next()``
        calls, and not while its caller runs. Async generator functions are refused.
        """
        if inspect.isasyncgenfunction(func):
            raise TypeError(
                f"{type(self).__name__}() cannot decorate the async generator "
                f"{func.__name__!r}: switch the mode in a function or coroutine it calls"
            )
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def switched_generator(*args: Any, **kwargs: Any) -> Any:
                return (yield from self._confined(func(*args, **kwargs)))

            return switched_generator  # type: ignore[return-value]
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def switched_coroutine(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return switched_coroutine  # type: ignore[return-value]

        @functools.wraps(func)
        def switched(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return switched  # type: ignore[return-value]


class no_grad(_ModeSwitch):  # lower case, like the PyTorch context manager
    """Context manager and decorator: nothing inside records a graph.

    Results computed inside are leaves (``op == ""``, ``parents == ()``), which
    makes evaluation cheaper when no gradient is needed. The switch is per thread
    and per asyncio task. Inside a generator's body it raises TypeError (a yield
    would leave the caller switched); decorating the generator function switches
    it only while the generator's body runs.

    Examples:
        >>> from autograd import Value, no_grad
        >>> x = Value(3.0)
        >>> with no_grad():
        ...     y = x * x
        >>> y.op, y.parents
        ('', ())
    """

    def _switched(self, mode: _Mode) -> _Mode:
        return mode._replace(record=False)


class enable_grad(_ModeSwitch):  # lower case, like the PyTorch context manager
    """Context manager and decorator: record a graph again, even inside ``no_grad``.

    The derivative functions (``grad``, ``hessian``, ``gradcheck``, ...) use it
    so that they work when called inside ``no_grad``.

    Examples:
        >>> from autograd import Value, enable_grad, no_grad
        >>> x = Value(3.0)
        >>> with no_grad(), enable_grad():
        ...     y = x * x
        >>> y.op
        'mul'
    """

    def _switched(self, mode: _Mode) -> _Mode:
        return mode._replace(record=True)


class detect_anomaly(_ModeSwitch):
    """Context manager and decorator: stop at the first NaN or inf.

    Inside it, any node whose value is NaN or infinite, and any gradient
    contribution in ``backward()`` that is NaN or infinite, raises
    :class:`FloatingPointError` naming the operation and, for nodes created inside
    the block, the line of user code that created the node. Outside it there is
    nothing to pay.

    Examples:
        >>> from autograd import Value, detect_anomaly
        >>> with detect_anomaly():
        ...     Value(1000.0).exp()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        FloatingPointError: detect_anomaly: exp produced inf from inputs (1000.0,) at ...
    """

    def _switched(self, mode: _Mode) -> _Mode:
        return mode._replace(anomaly=True)


class scope(_ModeSwitch):  # lower case, a context manager like the two above
    """Context manager: name the part of a computation that nodes created inside belong to.

    Scopes nest, giving each node a path such as ``("forward", "MLP", "layers.0")``;
    :func:`autograd.scope_of` reads it back and drawings group nodes into one cluster per
    scope. ``nn`` modules open a scope named after themselves on every call made
    while some scope is open, so wrapping a forward pass in ``scope("forward")``
    is enough to see the model's structure. When no scope is open nothing is
    recorded and nothing is paid.

    Args:
        name: the scope's name.

    Examples:
        >>> from autograd import Value, scope, scope_of
        >>> x = Value(1.0)
        >>> with scope("layer"):
        ...     y = x * 2
        >>> scope_of(y), scope_of(x)
        (('layer',), ())
    """

    def __init__(self, name: str) -> None:
        self.name: str = checks.instance("scope", "name", name, str, "a str")

    def _switched(self, mode: _Mode) -> _Mode:
        return mode._replace(scope=(*(mode.scope or ()), self.name))


class default_mode(_ModeSwitch):  # lower case, a context manager like the ones above
    """Context manager: the default mode inside, whatever is open outside.

    Inside it nodes are recorded, with no anomaly checks and no scope, even
    within ``no_grad`` or ``detect_anomaly``: :func:`autograd.compile` traces a
    function in it, so that the trace is the function's own graph.

    Examples:
        >>> from autograd import Value, no_grad
        >>> with no_grad(), default_mode():
        ...     y = Value(2.0) * 3
        >>> y.op
        'mul'
    """

    def _switched(self, mode: _Mode) -> _Mode:
        return DEFAULT


def scope_open() -> bool:
    """True when some :class:`scope` is open in this thread or task."""
    return _mode.get().scope is not None


# The Values that the derivatives in progress differentiate with respect to: a
# ContextVar like the mode, so each thread and asyncio task has its own.
_variables: ContextVar[frozenset[Any]] = ContextVar("chainrule_variables", default=frozenset())


def outer_variables() -> frozenset[Any]:
    """The variables of every derivative in progress in this thread or task (see below)."""
    return _variables.get()


@contextlib.contextmanager
def differentiating(variables: Iterable[Any]) -> Iterator[None]:
    """Context manager: ``variables`` are being differentiated with respect to inside the block.

    ``grad``, ``value_and_grad``, ``hessian``, ``gradcheck`` and ``compile``'s trace
    call ``f`` inside it. A ``grad`` called inside ``f`` whose result depends on one
    of these Values (which ``f`` closed over) then builds its derivative as a graph
    connected to them, so the outer derivative sees through it:
    ``grad(lambda x: x * grad(lambda y: x * y)(2.0))(1.0)`` is 2.0, not 1.0.

    Args:
        variables: the Values differentiated with respect to.
    """
    token = _variables.set(_variables.get() | frozenset(variables))
    try:
        yield
    finally:
        _variables.reset(token)
