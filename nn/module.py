"""``Module``: the base class of models; it finds parameters and submodules by attribute."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from autograd import Value, checks, scope
from autograd.mode import scope_open

__all__ = ["Module"]

_M = TypeVar("_M", bound="Module")  # Self, which Python 3.10 lacks


class Module:
    """The base class of every model and layer, in the spirit of ``torch.nn.Module``.

    A subclass sets its parameters and submodules as attributes in ``__init__``
    and computes its output in ``forward``; calling the module calls ``forward``.
    Attributes are found by type: a :class:`~autograd.Value` is a parameter, a
    ``Module`` is a submodule, and a list or tuple of Values or of Modules is a
    numbered collection of them (``w.0``, ``neurons.3``), and a list of such
    lists a matrix (``weight.2.5`` is row 2, column 5). Assign such a list
    whole (``self.w = [...]``) rather than appending to it afterwards, so its
    items get their names.

    Names are dotted paths from the outermost module, like
    ``layers.0.neurons.3.w.1``. Each parameter carries its name as its
    ``label`` (shown in ``repr`` and drawings), and each module remembers the path
    under which its parents registered it; the outermost module's path is ``""``.

    While an :func:`autograd.scope` is open, calling a module runs ``forward``
    inside a further scope named after the module: its class name for the
    outermost module (``"MLP"``), its dotted path for the others
    (``"layers.0"``, ``"layers.0.neurons.3"``), so drawings group nodes by module.
    With no scope open, that costs one check per call.

    Examples:
        >>> from autograd import Value
        >>> class Scale(Module):
        ...     def __init__(self) -> None:
        ...         self.k = Value(2.0)
        ...     def forward(self, x: float) -> Value:
        ...         return self.k * x
        >>> m = Scale()
        >>> m(3.0).data, [name for name, _ in m.named_parameters()]
        (6.0, ['k'])
    """

    #: The dotted path under which this module's parents registered it ("" for the root).
    _path: str = ""
    #: True in training mode, False in evaluation mode; see :meth:`train` and :meth:`eval`.
    training: bool = True

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if not name.startswith("_") and _is_registrable(value):
            self._rename(self._path)

    def _rename(self, path: str) -> None:
        """Set the paths of this module and those below it, and their parameters' labels.

        Uses the first name of anything reachable twice, as ``named_parameters`` does.
        """
        prefix = f"{path}." if path else ""
        for name, module in self.named_modules():
            object.__setattr__(module, "_path", prefix + name if name else path)
        for name, parameter in self.named_parameters():
            parameter.label = prefix + name

    # --- structure ---------------------------------------------------------------

    def _items(self) -> Iterator[tuple[str, Value | Module]]:
        """Each public attribute that is a Value or a Module, lists numbered, in order."""
        for name, value in vars(self).items():
            if name.startswith("_"):
                continue
            if isinstance(value, (Value, Module)):
                yield name, value
            elif isinstance(value, (list, tuple)):
                yield from _numbered(name, value)

    def _own_parameters(self) -> Iterator[tuple[str, Value]]:
        for name, item in self._items():
            if isinstance(item, Value):
                yield name, item

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)`` for each direct submodule, in attribute order.

        Returns:
            An iterator of pairs.

        Examples:
            >>> from nn import MLP
            >>> [name for name, _ in MLP(2, [3, 1], seed=0).named_children()]
            ['layers.0', 'layers.1']
        """
        for name, item in self._items():
            if isinstance(item, Module):
                yield name, item

    def named_modules(self) -> Iterator[tuple[str, Module]]:
        """Yield ``(path, module)`` for this module (path ``""``) and every submodule, once each.

        Returns:
            An iterator of pairs, parents before their children.

        Examples:
            >>> from nn import Layer
            >>> [name for name, _ in Layer(2, 2, seed=0).named_modules()]
            ['', 'neurons.0', 'neurons.1']
        """
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:
            path, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield path, module
            prefix = f"{path}." if path else ""
            children = [(prefix + name, child) for name, child in module.named_children()]
            stack.extend(reversed(children))

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Yield ``(dotted name, parameter)`` for every parameter, each once.

        A parameter reachable under two names (shared between modules) is yielded
        under the first one only.

        Returns:
            An iterator of pairs, in attribute order, depth first.

        Examples:
            >>> from nn import Neuron
            >>> [name for name, _ in Neuron(2, seed=0).named_parameters()]
            ['w.0', 'w.1', 'b']
        """
        seen: set[Value] = set()
        for path, module in self.named_modules():
            prefix = f"{path}." if path else ""
            for name, parameter in module._own_parameters():
                if parameter not in seen:
                    seen.add(parameter)
                    yield prefix + name, parameter

    def parameters(self) -> list[Value]:
        """All parameters, in the order of :meth:`named_parameters`.

        Returns:
            A new list of the parameter Values.

        Examples:
            >>> from nn import MLP
            >>> len(MLP(2, [3, 1], seed=0).parameters())  # (2 + 1) * 3 + (3 + 1) * 1
            13
        """
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0.0 (gradients accumulate across ``backward()``).

        Examples:
            >>> from nn import Neuron
            >>> n = Neuron(1, seed=0)
            >>> n([2.0]).backward()
            >>> n.zero_grad()
            >>> [p.grad for p in n.parameters()]
            [0.0, 0.0]
        """
        for parameter in self.parameters():
            parameter.grad = 0.0

    def train(self: _M, mode: bool = True) -> _M:
        """Set ``training`` to ``mode`` on this module and every submodule, as PyTorch.

        No module of :mod:`nn` behaves differently in training and evaluation yet
        (there is no dropout or batch norm): the flag is there for your own
        modules to read, and so that PyTorch code calling ``model.train()`` and
        ``model.eval()`` runs unchanged.

        Args:
            mode: True for training, False for evaluation.

        Returns:
            This module, so that ``model = MLP(...).train()`` reads as in PyTorch.

        Raises:
            TypeError: if ``mode`` is not True or False.

        Examples:
            >>> from nn import MLP
            >>> model = MLP(2, [3, 1], seed=0).train(False)
            >>> model.training, model.layers[0].training
            (False, False)
        """
        mode = checks.flag(f"{type(self).__name__}.train", "mode", mode)
        for _, module in self.named_modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self: _M) -> _M:
        """``train(False)``: set ``training`` to False here and in every submodule.

        Returns:
            This module.

        Examples:
            >>> from nn import Neuron
            >>> Neuron(2, seed=0).eval().training
            False
        """
        return self.train(False)

    # --- state -------------------------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """The parameters' values by dotted name.

        Returns:
            A new dict mapping each name of :meth:`named_parameters` to its ``data``.

        Examples:
            >>> from nn import Neuron
            >>> Neuron(2, init="xavier", seed=0).state_dict()["b"]
            0.0
        """
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float], strict: bool = True) -> None:
        """Set parameters from a dict like the one :meth:`state_dict` returns.

        Everything is checked before anything changes: on an error the model is
        untouched.

        Args:
            state: values by dotted parameter name.
            strict: when true, a missing or unexpected name is an error; when
                false, such names are skipped.

        Raises:
            TypeError: if ``state`` is not a mapping or ``strict`` not True or False.
            ValueError: naming the missing or unexpected names, or the entries
                that are not finite real numbers (bool included).

        Examples:
            >>> from nn import Neuron
            >>> n = Neuron(1, seed=0)
            >>> n.load_state_dict({"w.0": 0.5, "b": -1.0})
            >>> n.state_dict()
            {'w.0': 0.5, 'b': -1.0}
        """
        where = f"{type(self).__name__}.load_state_dict"
        checks.instance(where, "state", state, Mapping, "a mapping")
        strict = checks.flag(where, "strict", strict)
        parameters = dict(self.named_parameters())
        missing = [name for name in parameters if name not in state]
        unexpected = [name for name in state if name not in parameters]
        problems = []
        if strict and missing:
            problems.append(f"missing {missing}")
        if strict and unexpected:
            problems.append(f"unexpected {unexpected}")
        bad = [
            name
            for name, value in state.items()
            if name in parameters and not checks.is_finite_real(value)
        ]
        if bad:
            problems.append(f"not finite real numbers {bad}")
        if problems:
            raise ValueError(f"{where}: {'; '.join(problems)}")
        for name, parameter in parameters.items():
            if name in state:
                parameter.data = float(state[name])

    # --- calling -----------------------------------------------------------------

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the module's output; subclasses override this.

        Call the module (``model(x)``) rather than ``forward`` directly, so that
        scopes are opened when drawing.

        Returns:
            Whatever the subclass computes.

        Examples:
            >>> from nn import Neuron
            >>> n = Neuron(1, "linear", seed=0)
            >>> n.forward([1.0]).data == n([1.0]).data
            True
        """
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run :meth:`forward`, inside a scope named after the module if a scope is open."""
        if scope_open():
            with scope(self._path or type(self).__name__):
                return self.forward(*args, **kwargs)
        return self.forward(*args, **kwargs)

    # --- display -----------------------------------------------------------------

    def extra_repr(self) -> str:
        """The module's own settings, shown inside its ``repr``; ``""`` by default.

        Returns:
            A short string such as ``"nin=2, activation='relu'"``.

        Examples:
            >>> from nn import Neuron
            >>> Neuron(2, seed=0).extra_repr()
            "nin=2, activation='relu'"
        """
        return ""

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for name, child in children:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        return "\n".join(lines) + "\n)"


def _numbered(
    name: str, items: list[Any] | tuple[Any, ...]
) -> Iterator[tuple[str, Value | Module]]:
    """Each Value or Module in a list, numbered; a list of lists (a weight matrix) twice.

    Row ``i``, column ``j`` of ``weight`` is ``weight.i.j``, as PyTorch indexes ``weight[i][j]``.
    """
    for index, item in enumerate(items):
        if isinstance(item, (Value, Module)):
            yield f"{name}.{index}", item
        elif isinstance(item, (list, tuple)):
            yield from _numbered(f"{name}.{index}", item)


def _is_registrable(value: object) -> bool:
    """True for a Value, a Module, or a list or tuple holding any (in nested lists too)."""
    if isinstance(value, (Value, Module)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_is_registrable(item) for item in value)
    return False
