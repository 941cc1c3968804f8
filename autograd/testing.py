"""Hypothesis strategies and assertions for testing gradients (needs the ``hypothesis`` extra).

Use them in your own test suite to property-test ops you write::

    import math
    from hypothesis import given
    from autograd import op
    from autograd.testing import assert_gradients_close, domain

    @op(derivative=lambda x: 1.0 / (1.0 + x * x))
    def arctan(x):
        return math.atan(x)

    @given(domain(low=-5.0, high=5.0))
    def test_arctan_gradient(x):
        assert_gradients_close(arctan, [x], order=2)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "autograd.testing needs Hypothesis: pip install 'chainrule[hypothesis]'"
    ) from error

from . import checks
from .gradcheck import check_arguments, gradcheck, gradgradcheck
from .ops import apply, sigmoid
from .rules import BUILT_IN_OPS, RULES

__all__ = [
    "Expression",
    "assert_gradients_close",
    "differentiable_cases",
    "domain",
    "expressions",
]

#: Random expressions keep every node within this bound (and inside each op's domain),
#: where every op is well conditioned for finite differences.
EXPRESSION_BOUND = 2.0


def domain(
    op: str | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
    position: int = 0,
) -> st.SearchStrategy[float]:
    """Finite floats inside an op's domain, from its row of the table (``[-3, 3]`` by default).

    Args:
        op: an op's name, or None for the default range [-3, 3].
        low: override the lower bound (a finite number).
        high: override the upper bound (a finite number above ``low``).
        position: which input of the op (0 is the first): ``pow``'s exponent is 1.

    Returns:
        A Hypothesis strategy of floats.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``op`` is not an op, ``position`` is not one of its inputs,
            or the bounds are not finite with ``low < high``.

    Examples:
        >>> from hypothesis import given
        >>> @given(domain("log"))
        ... def test_positive(x):
        ...     assert x > 0
        >>> test_positive()
    """
    position = checks.size("domain", "position", position, minimum=0)
    if op is None:
        default_low, default_high = -3.0, 3.0
    else:
        arity = _check_op("domain", "op", op).arity
        if arity is not None:
            checks.integer("domain", "position", position, maximum=arity - 1, why=f" ({op})")
        default_low, default_high = _range(op, position)
    lo = default_low if low is None else checks.real("domain", "low", low)
    hi = default_high if high is None else checks.real("domain", "high", high)
    _check_bounds("domain", lo, hi)
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _check_op(where: str, name: str, op: object) -> Any:
    """The row of the op named ``op``, or the error naming ``where`` and ``name``."""
    checks.instance(where, name, op, str, "the name of an op")
    rule = RULES.get(op)  # type: ignore[call-overload]
    if rule is None:
        raise ValueError(f"{where}: {name} must be the name of an op, got {checks.shown(op)}")
    return rule


def _check_bounds(where: str, low: float, high: float) -> None:
    """Raise ValueError unless ``low < high``."""
    if not low < high:
        raise ValueError(f"{where}: needs low < high, got low={low} and high={high}")


def _range(op: str, position: int) -> tuple[float, float]:
    """The range an op's row gives for its input at ``position``."""
    ranges = RULES[op].domain
    return ranges[min(position, len(ranges) - 1)]


def _bounded_range(op: str, position: int) -> tuple[float, float]:
    """The op's range for that input, within [-EXPRESSION_BOUND, EXPRESSION_BOUND]."""
    low, high = _range(op, position)
    return max(low, -EXPRESSION_BOUND), min(high, EXPRESSION_BOUND)


#: Ops drawn from the table; sum, dot and max take several inputs, the rest their arity.
_OPS = tuple(sorted(BUILT_IN_OPS))


@dataclass(frozen=True)
class Expression:
    """A random expression graph over ``n_inputs`` inputs, as a list of steps.

    Each step names a built-in op and its operands: an ``int`` reads an earlier
    node (the inputs come first, then each step's result), a ``float`` is a
    constant. Steps read earlier nodes, so nodes are shared and the graph is a
    DAG, not a tree. Before an op reads a node, the node is mapped smoothly into
    the op's domain (its row's range for that input, within ``[-2, 2]``) by
    ``low + (high - low) * sigmoid(node)``, so every step is defined and well
    conditioned; a node read twice through the same range is mapped once, so
    ``x * x`` keeps both edges to one node.

    Call it with Values (to build a graph) or with floats (to evaluate).

    Raises:
        TypeError: a field, step, op name or read has the wrong type.
        ValueError: ``n_inputs`` is not a size, an op is unknown or given the
            wrong number of operands, or a step reads a node that is not before it.
    """

    n_inputs: int
    steps: tuple[tuple[str, tuple[int | float, ...]], ...]

    def __post_init__(self) -> None:
        where = "Expression"
        checks.size(where, "n_inputs", self.n_inputs)
        steps = checks.sequence(where, "steps", self.steps, what="a sequence of (op, reads)")
        for k, step in enumerate(steps):
            name = f"steps[{k}]"
            op, reads = checks.sequence(where, name, step, what="an (op, reads) pair", length=2)
            arity = _check_op(where, f"{name}[0]", op).arity
            reads = checks.sequence(where, f"{name}[1]", reads, what="a sequence of reads")
            n = len(reads)
            if n != arity if arity is not None else not n or (op == "dot" and n % 2):
                raise ValueError(f"{where}: {name}[1] has {n} reads, the wrong number for {op}")
            for i, read in enumerate(reads):
                if not isinstance(read, float):  # a constant, or an index of an earlier node
                    checks.integer(
                        where, f"{name}[1][{i}]", read, minimum=0, maximum=self.n_inputs + k - 1
                    )

    def __call__(self, *inputs: Any) -> Any:
        """Evaluate on Values or floats; returns the last node."""
        nodes: list[Any] = list(inputs)
        mapped: dict[tuple[int, float, float], Any] = {}
        for k in range(len(self.steps)):
            nodes.append(self.apply(k, nodes, mapped))
        return nodes[-1]

    def operands(
        self,
        k: int,
        nodes: Sequence[Any],
        mapped: dict[tuple[int, float, float], Any] | None = None,
    ) -> list[Any]:
        """The operands of step ``k``: constants, and earlier nodes mapped into the op's domain.

        ``mapped`` remembers the mapped nodes between steps, so that one node read
        through the same range is mapped once.
        """
        name, reads = self.steps[k]
        cache = {} if mapped is None else mapped
        operands = []
        for position, read in enumerate(reads):
            if isinstance(read, float):
                operands.append(read)
                continue
            low, high = _bounded_range(name, position)
            key = (read, low, high)
            if key not in cache:
                cache[key] = low + (high - low) * sigmoid(nodes[read])
            operands.append(cache[key])
        return operands

    def apply(
        self,
        k: int,
        nodes: Sequence[Any],
        mapped: dict[tuple[int, float, float], Any] | None = None,
    ) -> Any:
        """The result of step ``k`` given the nodes so far (inputs first)."""
        return apply(self.steps[k][0], *self.operands(k, nodes, mapped))

    def kink_distance(self, *inputs: float) -> float:
        """How close any kinked op's operands come to a kink (inf if there is none)."""
        nodes: list[Any] = list(inputs)
        mapped: dict[tuple[int, float, float], Any] = {}
        distance = math.inf
        for k, (name, _) in enumerate(self.steps):
            operands = self.operands(k, nodes, mapped)
            kink = RULES[name].kink
            if kink is not None:
                distance = min(distance, kink(*(float(x) for x in operands)))
            nodes.append(apply(name, *operands))
        return distance

    def __repr__(self) -> str:
        names = [f"x{i}" for i in range(self.n_inputs)]
        lines = []
        for k, (name, reads) in enumerate(self.steps):
            node = f"v{k}"
            operands = (repr(r) if isinstance(r, float) else names[r] for r in reads)
            lines.append(f"{node} = {name}({', '.join(operands)})")
            names.append(node)
        return f"Expression({'; '.join(lines)})"


def expressions(n_inputs: int = 2, *, max_steps: int = 8) -> st.SearchStrategy[Expression]:
    """Random differentiable expression graphs over ``n_inputs`` inputs using every built-in op.

    Args:
        n_inputs: how many inputs the expression takes.
        max_steps: the most operations in one expression.

    Returns:
        A Hypothesis strategy of :class:`Expression`.

    Raises:
        TypeError: if a size is not an int.
        ValueError: if a size is below 1 or above ten million (chainrule's limit).

    Examples:
        >>> from hypothesis import given
        >>> @given(expressions(n_inputs=2))
        ... def test_builds(expr):
        ...     assert isinstance(expr(0.5, -0.25), float)
        >>> test_builds()
    """
    n_inputs = checks.size("expressions", "n_inputs", n_inputs)
    max_steps = checks.size("expressions", "max_steps", max_steps)

    @st.composite
    def build(draw: st.DrawFn) -> Expression:
        steps: list[tuple[str, tuple[int | float, ...]]] = []
        for k in range(draw(st.integers(1, max_steps))):
            node = st.integers(0, n_inputs + k - 1)
            name = draw(st.sampled_from(_OPS))
            arity = RULES[name].arity
            if arity is None:  # n-ary: dot reads the first half against the second
                reads: list[int | float] = draw(st.lists(node, min_size=2, max_size=6))
                if name == "dot":
                    reads = reads[: 2 * (len(reads) // 2)]
            else:
                reads = [draw(node) for _ in range(arity)]
                if arity == 2 and draw(st.booleans()):  # a constant on either side
                    side = draw(st.integers(0, 1))
                    low, high = _bounded_range(name, side)
                    reads[side] = draw(st.floats(low, high, exclude_min=True, exclude_max=True))
            steps.append((name, tuple(reads)))
        return Expression(n_inputs, tuple(steps))

    return build()


def differentiable_cases(
    n_inputs: int = 2,
    *,
    max_steps: int = 8,
    low: float = -2.0,
    high: float = 2.0,
    kink_margin: float = 1e-3,
) -> st.SearchStrategy[tuple[Expression, list[float]]]:
    """Pairs ``(expression, point)`` where no kinked op is within ``kink_margin`` of its kink.

    Args:
        n_inputs: how many inputs.
        max_steps: the most operations in one expression.
        low: the smallest input.
        high: the largest input.
        kink_margin: the closest any op's operands may come to a kink (``relu``
            at 0, ``maximum`` at a tie, ...), by the ``kink`` of its row.

    Returns:
        A Hypothesis strategy of ``(Expression, list of floats)``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a size is out of range (as for :func:`expressions`), the bounds
            are not finite with ``low < high``, or ``kink_margin`` is negative.
    """
    where = "differentiable_cases"
    n_inputs = checks.size(where, "n_inputs", n_inputs)
    max_steps = checks.size(where, "max_steps", max_steps)
    low, high = checks.real(where, "low", low), checks.real(where, "high", high)
    _check_bounds(where, low, high)
    kink_margin = checks.real(where, "kink_margin", kink_margin, at_least=0)
    point = st.lists(domain(low=low, high=high), min_size=n_inputs, max_size=n_inputs)
    return st.tuples(expressions(n_inputs, max_steps=max_steps), point).filter(
        lambda case: case[0].kink_distance(*case[1]) > kink_margin
    )


def assert_gradients_close(
    f: Callable[..., object],
    inputs: Sequence[float],
    *,
    order: int = 1,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> None:
    """Assert that ``f``'s derivatives match finite differences, with a readable table if not.

    Args:
        f: takes one Value per input and returns a Value.
        inputs: the point to check at.
        order: 1 checks the gradient; 2 checks the gradient and the second partials.
        eps: the finite-difference step.
        atol: the absolute tolerance.
        rtol: the relative tolerance.

    Raises:
        autograd.GradcheckError: (an ``AssertionError``) listing each input's
            analytic and numeric derivative and the error.
        TypeError: an argument has the wrong type, as for :func:`autograd.gradcheck`.
        ValueError: ``order`` is not 1 or 2, or a tolerance is out of range.

    Examples:
        >>> assert_gradients_close(lambda x, y: (x * y).tanh(), [0.5, -1.0], order=2)
    """
    where = "assert_gradients_close"
    checks.integer(where, "order", order, minimum=1, maximum=2)
    xs = check_arguments(where, f, inputs, eps, atol, rtol, raise_exception=True)
    gradcheck(f, xs, eps=eps, atol=atol, rtol=rtol)
    if order == 2:
        gradgradcheck(f, xs, eps=eps, atol=atol, rtol=rtol)
