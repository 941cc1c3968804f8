"""A minimal micrograd-style Value class: the yardstick for micrograd-style code.

It is the kind of class a microgpt port carries: ``__slots__``, each node stores its
children and its local gradients (d node / d child) when it is created, and
``backward()`` sorts the graph recursively. It is a fair yardstick, not a weak one:
every op is one node, and a number operand is folded into the local gradient instead
of becoming a leaf Value. Recursion limits it to graphs about 1,000 nodes deep.
"""

from __future__ import annotations

import math


class Value:
    __slots__ = ("_children", "_local_grads", "data", "grad")

    def __init__(
        self, data: float, children: tuple[Value, ...] = (), local_grads: tuple[float, ...] = ()
    ) -> None:
        self.data = data
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data + other.data, (self, other), (1.0, 1.0))
        return Value(self.data + other, (self,), (1.0,))

    __radd__ = __add__  # other + self; builtin sum starts with 0 + first

    def __mul__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data * other.data, (self, other), (other.data, self.data))
        return Value(self.data * other, (self,), (other,))

    __rmul__ = __mul__  # other * self

    def __sub__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data - other.data, (self, other), (1.0, -1.0))
        return Value(self.data - other, (self,), (1.0,))

    def __rsub__(self, other: float) -> Value:  # other - self
        return Value(other - self.data, (self,), (-1.0,))

    def __truediv__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            b = other.data
            return Value(self.data / b, (self, other), (1.0 / b, -self.data / (b * b)))
        return Value(self.data / other, (self,), (1.0 / other,))

    def __rtruediv__(self, other: float) -> Value:  # other / self
        a = self.data
        return Value(other / a, (self,), (-other / (a * a),))

    def __pow__(self, exponent: float) -> Value:  # a number exponent only
        a = self.data
        return Value(a**exponent, (self,), (exponent * a ** (exponent - 1),))

    def __neg__(self) -> Value:
        return Value(-self.data, (self,), (-1.0,))

    def exp(self) -> Value:
        out = math.exp(self.data)
        return Value(out, (self,), (out,))

    def log(self) -> Value:
        return Value(math.log(self.data), (self,), (1.0 / self.data,))

    def relu(self) -> Value:
        on = self.data > 0.0
        return Value(self.data if on else 0.0, (self,), (1.0 if on else 0.0,))

    def backward(self) -> None:
        topo: list[Value] = []
        _build_topo(self, set(), topo)
        self.grad = 1.0
        for v in reversed(topo):
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad


def _build_topo(v: Value, visited: set[Value], topo: list[Value]) -> None:
    # A module-level function, not the usual closure inside backward(): a closure that
    # calls itself is a reference cycle holding ``topo``, so the whole graph would outlive
    # the step until the cyclic GC runs, and freeing it would fall outside the timed step.
    if v not in visited:
        visited.add(v)
        for child in v._children:
            _build_topo(child, visited, topo)
        topo.append(v)
