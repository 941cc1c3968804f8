"""``Neuron``, ``Layer`` and ``MLP``: fully connected networks of scalar Values.

Constructors check their arguments with :mod:`autograd.checks`: a wrong type is a
``TypeError``, a wrong value a ``ValueError``. Sizes (``nin``, ``nout``, each of
``nouts``) and a layer's ``(nin + 1) * nout`` parameters may not exceed
``autograd.checks.MAX_SIZE`` (ten million). Calling a model on anything but a
sequence of ``nin`` numbers or Values raises an error naming the model's class.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from operator import mul
from typing import Any, TypeAlias

from autograd import Scalar, Value, checks, dot
from autograd.mode import scope_open
from autograd.ops import collect_operands
from autograd.value import record_dot

from .module import Module

__all__ = ["MLP", "Layer", "Neuron"]

#: The activations a neuron can apply, as the Value method that applies it (``None``
#: for ``"linear"``); :mod:`nn.serialize` checks saved architectures against it.
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": None,
}
_INITS = ("auto", "uniform", "xavier", "he")

Seed: TypeAlias = int | random.Random | None
"""A seed: an int >= 0, a ``random.Random`` to draw from, or None for fresh randomness."""


def _rng(where: str, seed: object) -> random.Random:
    """The generator a model owns: a new one from an int or None, or the one passed."""
    if isinstance(seed, random.Random):
        return seed
    return random.Random(checks.seed(where, seed))


def _check_input(module: Module, nin: int, x: object) -> None:
    """Refuse an input that is not ``nin`` items, naming the module's class."""
    try:
        n = len(x)  # type: ignore[arg-type]
    except TypeError:  # no len(): a number where a vector belongs, say
        n = -1
    if n == -1 or isinstance(x, (str, bytes)):
        raise TypeError(
            f"{type(module).__name__}: x must be a sequence of {nin} numbers or Values, "
            f"got {type(x).__name__}"
        )
    if n != nin:
        raise ValueError(f"{type(module).__name__} expects {nin} inputs, got {n}")


class Neuron(Module):
    """One unit: ``activation(w . x + b)``.

    The weighted sum is a single :func:`autograd.dot` node over ``[*w, b]`` and
    ``[*x, 1]``, and the activation one more node, so the graph stays small.

    Initialisation (``init``): ``"uniform"`` draws weights and bias from U(-1, 1),
    as micrograd does; ``"xavier"`` (Glorot) draws weights from U(-a, a) with
    ``a = sqrt(6 / (nin + fan_out))``; ``"he"`` (Kaiming) draws them from
    N(0, 2 / nin); both set the bias to 0. ``"auto"`` is He for relu, Xavier
    otherwise.

    Args:
        nin: the number of inputs, >= 1.
        activation: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"linear"`` (none).
        init: ``"auto"``, ``"uniform"``, ``"xavier"`` or ``"he"``.
        seed: an int >= 0 for a reproducible neuron, None for fresh randomness,
            or a ``random.Random`` to draw from (how a Layer seeds its neurons).
        fan_out: the number of units in the neuron's layer, used by Xavier.

    Examples:
        >>> n = Neuron(2, activation="linear", seed=0)
        >>> n.load_state_dict({"w.0": 1.0, "w.1": 2.0, "b": 0.5})
        >>> n([3.0, 4.0]).data
        11.5
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        init: str = "auto",
        seed: Seed = None,
        fan_out: int = 1,
    ) -> None:
        where = "Neuron"
        self.nin = checks.size(where, "nin", nin)
        self.activation = checks.choice(where, "activation", activation, list(ACTIVATIONS))
        self.init = checks.choice(where, "init", init, _INITS)
        fan_out = checks.size(where, "fan_out", fan_out)
        self.rng = _rng(where, seed)
        kind = init if init != "auto" else ("he" if activation == "relu" else "xavier")
        rng = self.rng
        if kind == "uniform":
            weights = [rng.uniform(-1.0, 1.0) for _ in range(self.nin)]
            bias = rng.uniform(-1.0, 1.0)
        elif kind == "xavier":
            bound = math.sqrt(6.0 / (self.nin + fan_out))
            weights = [rng.uniform(-bound, bound) for _ in range(self.nin)]
            bias = 0.0
        else:
            std = math.sqrt(2.0 / self.nin)
            weights = [rng.gauss(0.0, std) for _ in range(self.nin)]
            bias = 0.0
        self.w = [Value(weight) for weight in weights]
        self.b = Value(bias)
        self._act = ACTIVATIONS[self.activation]

    def forward(self, x: Sequence[Scalar]) -> Value:
        """The neuron's output for one input vector.

        Args:
            x: ``nin`` numbers or Values.

        Returns:
            A Value.

        Raises:
            TypeError: if ``x`` is not a sequence.
            ValueError: if ``x`` does not hold ``nin`` items.

        Examples:
            >>> Neuron(3, seed=0)([1.0, 2.0, 3.0]).op
            'relu'
        """
        try:  # the fast check, run for every neuron; _check_input says what is wrong
            fits = len(x) == self.nin
        except TypeError:
            fits = False
        if not fits:
            _check_input(self, self.nin, x)
        return _fire((self,), x)[0]

    def extra_repr(self) -> str:
        """The sizes and activation, for ``repr``."""
        return f"nin={self.nin}, activation={self.activation!r}"

    def _config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this architecture."""
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}


def _fire(neurons: Sequence[Neuron], x: Sequence[Scalar]) -> list[Value]:
    """Each neuron's output for one input vector: ``activation(dot([*w, b], [*x, 1.0]))``.

    The nodes are the ones ``dot`` and the activation make, but the inputs are
    checked and read once for all the neurons instead of once per neuron, and each
    dot node is built with its row's forward inline (the same sum, in the same
    order): a layer of 16 neurons on 16 Values goes from 62 to 27 us.
    tests/test_layers.py holds the two ways equal, bit for bit. A bad input is
    refused as ``dot`` refuses it, naming its index.
    """
    operands: list[Value | float] = []
    numbers: list[float] = []
    collect_operands("dot", "ys", x, operands, numbers)
    inputs, numbers_in = (*operands, 1.0), (*numbers, 1.0)  # 1.0: the bias's partner
    outputs = []
    for neuron in neurons:
        params = (*neuron.w, neuron.b)
        try:
            weights = [p.data for p in params]
        except AttributeError:  # a weight that is not a Value: dot() takes it or names it
            z = dot(params, inputs)
        else:
            data = sum(map(mul, weights, numbers_in), 0.0)
            # The neurons share one tuple of inputs and one of their numbers (see
            # record_dot) instead of a copy each: 10.3 -> 9.7 ms per step of micrograd's demo.
            z = record_dot(data, params, inputs, tuple(weights), numbers_in)
        act = neuron._act
        outputs.append(z if act is None else act(z))
    return outputs


class Layer(Module):
    """``nout`` neurons that all read the same inputs.

    Calling a layer returns a plain Python list of Values, one per neuron, even
    for one neuron (as ``torch.nn.Linear`` returns a tensor of shape ``(nout,)``).
    A list has no ``backward()``: reduce it to one Value first, with a loss of
    :mod:`nn.losses` or ``sum(outputs)``, or pick ``outputs[0]``. (A list
    subclass with a ``backward`` that only raises was considered and left out:
    outputs are compared with and passed on as ordinary lists.)

    Args:
        nin: the number of inputs, >= 1.
        nout: the number of neurons, >= 1.
        activation: every neuron's activation (see :class:`Neuron`).
        init: the initialisation (see :class:`Neuron`).
        seed: an int >= 0, None, or a ``random.Random``; the neurons draw from one
            generator in order.

    Examples:
        >>> layer = Layer(2, 3, seed=0)
        >>> len(layer([1.0, -1.0]))
        3
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        init: str = "auto",
        seed: Seed = None,
    ) -> None:
        where = "Layer"
        self.nin = checks.size(where, "nin", nin)
        self.nout = checks.size(where, "nout", nout)
        checks.size(where, "(nin + 1) * nout parameters", (self.nin + 1) * self.nout)
        self.activation = checks.choice(where, "activation", activation, list(ACTIVATIONS))
        self.init = checks.choice(where, "init", init, _INITS)
        self.rng = _rng(where, seed)
        self.neurons = [
            Neuron(self.nin, activation, init=init, seed=self.rng, fan_out=self.nout)
            for _ in range(self.nout)
        ]

    def forward(self, x: Sequence[Scalar]) -> list[Value]:
        """Every neuron's output for one input vector; always a list, even of one.

        Args:
            x: ``nin`` numbers or Values.

        Returns:
            A list of ``nout`` Values.

        Raises:
            TypeError: if ``x`` is not a sequence.
            ValueError: if ``x`` does not hold ``nin`` items.

        Examples:
            >>> Layer(2, 1, seed=0)([1.0, 2.0])  # doctest: +ELLIPSIS
            [Value(data=...)]
        """
        _check_input(self, self.nin, x)
        neurons = self.neurons
        # Each neuron is called as a module while a scope is open (its nodes go in its
        # own scope: a cluster in drawings) or if it is not a plain Neuron (a subclass
        # may bring its own forward); otherwise _fire makes the same nodes faster.
        if scope_open() or not all(type(neuron) is Neuron for neuron in neurons):
            return [neuron(x) for neuron in neurons]
        return _fire(neurons, x)

    def extra_repr(self) -> str:
        """The sizes and activation, for ``repr``."""
        return f"nin={self.nin}, nout={self.nout}, activation={self.activation!r}"

    def __repr__(self) -> str:
        # Its neurons are alike: one line says it all.
        return f"Layer({self.extra_repr()})"

    def _config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this architecture."""
        return {
            "type": "Layer",
            "nin": self.nin,
            "nout": self.nout,
            "activation": self.activation,
        }


class MLP(Module):
    """A multi-layer perceptron: fully connected layers applied in turn.

    Calling the MLP on one input vector returns a Value when the last layer has one
    neuron, else a list of Values.

    Args:
        nin: the number of inputs, >= 1.
        nouts: the size of each layer, e.g. ``[16, 16, 1]``.
        activation: the hidden layers' activation.
        output_activation: the last layer's activation; ``"linear"`` gives raw
            scores (logits), which is what the losses ``*_with_logits`` and
            ``cross_entropy`` expect.
        init: the initialisation (see :class:`Neuron`).
        seed: an int >= 0 for a reproducible model (the same seed gives the same
            weights, bit for bit), None, or a ``random.Random``. The model keeps its
            generator as ``rng``; :func:`nn.fit` draws its shuffling from it.

    Examples:
        >>> model = MLP(2, [4, 1], seed=0)
        >>> model([0.5, -0.5]).op
        'dot'
        >>> model
        MLP(
          (layers.0): Layer(nin=2, nout=4, activation='relu')
          (layers.1): Layer(nin=4, nout=1, activation='linear')
        )
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        *,
        init: str = "auto",
        seed: Seed = None,
    ) -> None:
        where = "MLP"
        self.nin = checks.size(where, "nin", nin)
        widths = checks.sequence(where, "nouts", nouts, what="a sequence of ints")
        if not widths:
            raise ValueError(f"{where}: nouts must name at least one layer")
        self.nouts = [checks.size(where, f"nouts[{i}]", n) for i, n in enumerate(widths)]
        checks.size(where, "the number of layers", len(self.nouts))
        for i, (a, b) in enumerate(itertools.pairwise([self.nin, *self.nouts])):
            checks.size(where, f"layer {i}'s (nin + 1) * nout parameters", (a + 1) * b)
        self.activation = checks.choice(where, "activation", activation, list(ACTIVATIONS))
        self.output_activation = checks.choice(
            where, "output_activation", output_activation, list(ACTIVATIONS)
        )
        self.init = checks.choice(where, "init", init, _INITS)
        self.rng = _rng(where, seed)
        sizes = [self.nin, *self.nouts]
        last = len(self.nouts) - 1
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                output_activation if i == last else activation,
                init=init,
                seed=self.rng,
            )
            for i in range(len(self.nouts))
        ]

    def forward(self, x: Sequence[Scalar]) -> Value | list[Value]:
        """The network's output for one input vector.

        Args:
            x: ``nin`` numbers or Values.

        Returns:
            A Value if the last layer has one neuron, else a list of Values.

        Raises:
            TypeError: if ``x`` is not a sequence (``MLP: x must be a sequence ...``).
            ValueError: if ``x`` does not hold ``nin`` items.

        Examples:
            >>> len(MLP(2, [3, 2], seed=0)([1.0, 2.0]))
            2
        """
        _check_input(self, self.nin, x)
        out: Sequence[Scalar] = x
        for layer in self.layers:
            out = layer(out)
        return out[0] if len(out) == 1 else out  # type: ignore[return-value]

    def _config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this architecture."""
        return {
            "type": "MLP",
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation,
            "output_activation": self.output_activation,
        }
