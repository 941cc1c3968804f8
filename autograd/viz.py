"""Drawing a computation graph with Graphviz, to see backpropagation."""

from __future__ import annotations

import functools
import html
import itertools
import numbers
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import checks
from .checks import shown
from .mode import node_scopes
from .rules import Rule
from .value import Value, scope_of

if TYPE_CHECKING:
    import graphviz  # type: ignore[import-untyped]

__all__ = ["DEFAULT_MAX_NODES", "draw_dot", "draw_graph"]

#: How many Values ``draw_graph`` draws before it cuts the graph. About a hundred
#: boxes (plus one small node per operation) still fit a screen with legible text.
DEFAULT_MAX_NODES = 100

_RANKDIRS = ("LR", "TB", "BT", "RL")

_INSTALL_HINT = (
    "Showing or saving a drawing needs the Graphviz program `dot`, which was not found. "
    "Install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; "
    "macOS: brew install graphviz; Windows: https://graphviz.org/download/) "
    "and make sure `dot` is on your PATH. Without it, .source still gives the DOT text."
)

# Fill (and text colour) of each kind of Value box, so the roles read at a glance.
_ROOT_STYLE = 'border="3" color="#b35806" bgcolor="#fee0b6"'
_PARAMETER_STYLE = 'border="1" bgcolor="#d1e5f0"'  # a labelled leaf: what training changes
_LEAF_STYLE = 'border="1" bgcolor="#e8e8e8"'  # an unlabelled leaf: an input or a number
_INNER_STYLE = 'border="1" bgcolor="#ffffff"'

_OP_NODE = 'shape=ellipse style=filled fillcolor="#f0f0f0" color="#777777" fontsize=10'
_CONSTANT_NODE = 'shape=plaintext fontcolor="#555555" fontsize=10'
_HIDDEN_NODE = 'shape=box style="dashed,rounded" color="#999999" fontcolor="#666666" fontsize=10'
_CLUSTER_STYLE = (
    'style="rounded,dashed" color="#7f7f7f" fontcolor="#404040" fontsize=10 labeljust=l labelloc=t'
)

# |grad| colour bands, from vanishing (blue) through about 1 (white) to exploding
# (red): the ColorBrewer RdBu scale, which stays readable for colour-blind readers.
# Each band is (upper bound of |grad|, fill, text colour).
_GRAD_BANDS = (
    (1e-6, "#2166ac", "#ffffff"),
    (1e-4, "#4393c3", "#ffffff"),
    (1e-2, "#92c5de", "#000000"),
    (1e-1, "#d1e5f0", "#000000"),
    (1e1, "#f7f7f7", "#000000"),
    (1e2, "#fddbc7", "#000000"),
    (1e4, "#f4a582", "#000000"),
    (1e6, "#d6604d", "#ffffff"),
)
_GRAD_HUGE = ("#b2182b", "#ffffff")  # beyond the last band, inf and NaN
_GRAD_ZERO = ("#bdbdbd", "#000000")  # exactly 0: no gradient reaches this Value

# Control characters, which XML (and so Graphviz's HTML-like labels) cannot hold or
# which draw as nothing, and the tab, which Graphviz drops: shown as escapes like \x07.
_UNPRINTABLE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def draw_graph(
    root: Value,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    show_local_grad: bool = False,
    color_grad: bool = False,
    clusters: bool = True,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    leaves_with_users: bool = False,
) -> graphviz.Digraph:
    """Draw the computation graph that ``root`` was computed from.

    How to read the picture (arrows point the way the forward pass went;
    ``backward()`` walks them in reverse):

    * Each Value is one box: its label (when set) in bold, then ``data`` and
      ``grad`` with four significant digits. The root has a thick orange
      border, labelled leaves (parameters: ``nn`` labels them with their dotted
      names) are blue, other leaves (inputs) grey, intermediate Values white.
    * Each operation is a small grey ellipse between its operands and its
      result. A Value used twice has two arrows (``x * x``); a Value used by
      several operations is drawn once with several outgoing arrows.
    * Constants, such as the 2 in ``x * 2``, are plain grey numbers without a
      box: they take part in the forward pass but get no gradient.
    * A Value's ``grad`` is ``d root / d value``. It is shown only once the root's
      grad is non-zero, that is after ``root.backward()``; before that a caption
      says so rather than showing zeros.

    To group the drawing by the part of the model that computed each node, run
    the forward pass inside ``with autograd.scope("forward"):``. Nodes created
    inside a scope are drawn in a labelled box (cluster), nested like the
    scopes; ``nn`` modules open one scope per module call, so each layer and
    neuron gets its own box.

    Big graphs are cut, not refused: only the ``max_nodes`` Values nearest the
    root are drawn, a dashed "... more" box stands in for each operation's
    inputs that were left out, and a caption names ``max_nodes`` and the full
    size. Pass ``max_nodes=None`` to draw everything.

    Everything shown (labels, scope names, operation names, numbers and the
    tooltips) is escaped, so quotes, ``<>``, ``{}``, ``|``, backslashes and
    newlines appear as written and cannot change the DOT structure or add
    attributes; ``data`` and ``grad`` are drawn as plain floats.

    Args:
        root: the Value to draw, with everything it depends on.
        rankdir: the direction the graph flows, ``"LR"`` (left to right),
            ``"TB"``, ``"BT"`` or ``"RL"``.
        show_data: show each Value's ``data``.
        show_grad: show each Value's ``grad`` once ``root.grad`` is non-zero.
        show_local_grad: label each arrow into an operation with the local
            derivative ``d output / d input`` (the chain-rule factor ``k`` in
            ``input.grad += k * output.grad``).
        color_grad: colour each ``grad`` by its size, blue where it is tiny
            (vanishing), white near 1, red where it is huge (exploding), grey
            where it is exactly 0.
        clusters: group nodes created inside ``autograd.scope`` in boxes.
        leaves_with_users: draw each leaf made outside every scope (a model's
            parameters, its inputs) inside the innermost box that holds all the
            operations using it, so a neuron's weights sit in the neuron's box
            rather than in a column of their own. Leaves are still drawn once.
        max_nodes: the most Values to draw before cutting the graph (an int
            from 1 to ``autograd.checks.MAX_SIZE``, ten million), or ``None``
            for no limit.

    Returns:
        A ``graphviz.Digraph``. In Jupyter it shows itself; ``.render(name,
        format="svg")`` saves it to a file and ``.pipe(format="png")`` returns
        the bytes (both need the Graphviz program ``dot``; without it they raise
        ``graphviz.ExecutableNotFound`` saying how to install it). ``.source``
        is the DOT text and needs nothing.

    Raises:
        TypeError: ``root`` is not a Value, or an option has the wrong type
            (the flags must be exactly True or False).
        ValueError: ``rankdir`` is not one of the four directions, or
            ``max_nodes`` is below 1 or above ten million.

    Examples:
        >>> from autograd import Value, draw_graph
        >>> x = Value(3.0, label="x")
        >>> y = x * x
        >>> y.backward()
        >>> drawing = draw_graph(y)
        >>> drawing.source.count("->")  # x twice into *, then * into y
        3
        >>> "grad 6.000" in drawing.source  # dy/dx = 2x
        True
    """
    checks.instance("draw_graph", "root", root, Value, "a Value")
    checks.choice("draw_graph", "rankdir", rankdir, _RANKDIRS)
    if max_nodes is not None:
        checks.instance("draw_graph", "max_nodes", max_nodes, numbers.Integral, "an int or None")
        max_nodes = checks.size("draw_graph", "max_nodes", max_nodes)
    flags = {
        "show_data": show_data,
        "show_grad": show_grad,
        "show_local_grad": show_local_grad,
        "color_grad": color_grad,
        "clusters": clusters,
        "leaves_with_users": leaves_with_users,
    }
    for name, flag in flags.items():  # a truthy string such as "always" is a mistake
        checks.flag("draw_graph", name, flag)

    nearest = _nearest_first(root)
    drawn = nearest if max_nodes is None else nearest[:max_nodes]
    index = {node: i for i, node in enumerate(drawn)}
    grads = show_grad and root.grad != 0.0

    # Node statements go to the cluster of the node's scope path; edges go last, at
    # the top level, where they may join nodes of any two clusters.
    by_scope: dict[tuple[str, ...], list[str]] = {}
    edges: list[str] = []
    homes = _leaf_homes(drawn) if clusters and leaves_with_users else {}
    for i, node in enumerate(drawn):
        home = (homes.get(node) or node_scopes.get(node, ())) if clusters else ()
        lines = by_scope.setdefault(home, [])
        label = _value_label(node, node is root, show_data, grads, color_grad and grads)
        # The tooltip (shown on hover in SVG) has every digit.
        tip = f"data = {_exact(node.data)}"
        if grads:
            tip += f", grad = {_exact(node.grad)}"
        lines.append(f'v{i} [label=<{label}> tooltip="{_quoted(tip)}"]\n')
        rule = node.rule
        if rule is None:
            continue
        lines.append(f"o{i} [label=<{_op_text(rule)}> {_OP_NODE}]\n")
        edges.append(f"o{i} -> v{i}\n")
        partials = _local_grads(node) if show_local_grad else None
        hidden: dict[int, None] = {}  # the cut-off operands, each counted once (x * x)
        for k, arg in enumerate(node.operands):
            if type(arg) is float:
                # A constant is drawn as a bare number beside its operation rather
                # than folded into the operation's label, so every operand, in any
                # position of any op (2 - x, x ** 2, dot with numbers), is one arrow.
                lines.append(f"c{i}_{k} [label=<{_number(arg)}> {_CONSTANT_NODE}]\n")
                edges.append(f"c{i}_{k} -> o{i}\n")
                continue
            j = index.get(arg)  # type: ignore[arg-type]
            if j is None:
                hidden[id(arg)] = None
                continue
            attributes = [] if partials is None else [f'label="\u00d7{_number(partials[k])}"']
            if homes and arg.rule is not None and scope_of(arg) != scope_of(node):  # type: ignore[union-attr, arg-type]
                # Leave a free rank between boxes for the next box's leaves, so that
                # boxes sit side by side instead of stacking into a tall strip.
                attributes.append("minlen=2")
            factor = f" [{' '.join(attributes)}]" if attributes else ""
            edges.append(f"v{j} -> o{i}{factor}\n")
        if hidden:
            more = f"... {len(hidden)} more input{'s' if len(hidden) > 1 else ''}"
            lines.append(f"h{i} [label=<{more}> {_HIDDEN_NODE}]\n")
            edges.append(f"h{i} -> o{i} [style=dashed]\n")

    body = _clustered(by_scope)
    body += edges
    caption = _caption(
        len(drawn), len(nearest), max_nodes, show_grad, grads, show_local_grad, color_grad
    )
    if caption:
        body.append(f"label=<{caption}> labelloc=b labeljust=l fontsize=10\n")
    return _drawing_class()(
        graph_attr={"rankdir": rankdir, "fontname": "Helvetica"},
        node_attr={"shape": "plain", "fontname": "Helvetica", "fontsize": "11"},
        edge_attr={
            "color": "#555555",
            "arrowsize": "0.7",
            "fontname": "Helvetica",
            "fontsize": "9",
            "fontcolor": "#7a3e00",
        },
        body=body,
    )


#: ``draw_dot`` is ``draw_graph`` under the name micrograd uses.
draw_dot = draw_graph


# --- the graph ----------------------------------------------------------------------


def _leaf_homes(drawn: list[Value]) -> dict[Value, tuple[str, ...]]:
    """For each leaf made outside every scope, the longest scope path its users share."""
    homes: dict[Value, tuple[str, ...]] = {}
    for node in drawn:
        path = scope_of(node)
        for arg in node.operands:
            if type(arg) is float or arg.rule is not None or scope_of(arg):  # type: ignore[union-attr, arg-type]
                continue
            shared = homes.get(arg, path)  # type: ignore[arg-type]
            n = 0
            while n < min(len(shared), len(path)) and shared[n] == path[n]:
                n += 1
            homes[arg] = path[:n]  # type: ignore[index]
    return homes


def _nearest_first(root: Value) -> list[Value]:
    """Every Value ``root`` depends on, breadth first: the closest to the root come first.

    A cut keeps a prefix of this list, so what is drawn is the part nearest the
    output, which is where a reader starts. Iterative, so any depth works.
    """
    seen = {root}
    order = [root]
    position = 0
    while position < len(order):
        for arg in order[position].operands:
            if type(arg) is not float and arg not in seen:
                seen.add(arg)  # type: ignore[arg-type]
                order.append(arg)  # type: ignore[arg-type]
        position += 1
    return order


def _local_grads(node: Value) -> tuple[float, ...] | None:
    """``d node / d operand`` for each operand, or None if there is no rule to ask."""
    rule = node.rule
    if rule is None:
        return None
    try:  # the chain rule with a gradient of 1 gives the local derivatives
        return tuple(float(p) for p in rule.vjp(1.0, *node.saved, node.data))
    except Exception:  # a partial that overflows, or a custom op's failing derivative:
        return None  # the drawing still works, those edges are left unlabelled


def _clustered(by_scope: dict[tuple[str, ...], list[str]]) -> list[str]:
    """The node statements, those of each scope path inside nested ``cluster`` subgraphs."""
    body = list(by_scope.get((), []))
    # Every prefix of every path is a cluster, inside the cluster of its own prefix.
    children: dict[tuple[str, ...], dict[tuple[str, ...], None]] = {}
    for path in by_scope:
        for n in range(1, len(path) + 1):
            children.setdefault(path[: n - 1], {})[path[:n]] = None
    numbers = itertools.count(1)
    # Depth first with an explicit stack (None closes a cluster), rather than a nested
    # function calling itself: that closure would be a reference cycle per drawing.
    stack: list[tuple[str, ...] | None] = list(reversed(children.get((), {})))
    while stack:
        top = stack.pop()
        if top is None:
            body.append("}\n")
            continue
        body.append(f"subgraph cluster_{next(numbers)} {{\n")
        body.append(f"label=<{_text(top[-1])}> {_CLUSTER_STYLE}\n")
        body.extend(by_scope.get(top, []))
        stack.append(None)
        stack.extend(reversed(children.get(top, {})))
    return body


# --- labels ----------------------------------------------------------------------------


def _value_label(node: Value, is_root: bool, data: bool, grad: bool, colored: bool) -> str:
    """The HTML-like table for a Value's box: label, data and grad, one per row."""
    if is_root:
        style = _ROOT_STYLE
    elif node.rule is not None:
        style = _INNER_STYLE
    else:
        style = _PARAMETER_STYLE if node.label else _LEAF_STYLE
    rows = []
    if node.label:
        rows.append(f"<td><b>{_text(str(node.label))}</b></td>")
    if data:
        rows.append(f"<td>data {_number(node.data)}</td>")
    if grad:
        text = f"grad {_number(node.grad)}"
        if colored:
            fill, ink = _grad_colors(node.grad)
            rows.append(f'<td bgcolor="{fill}"><font color="{ink}">{text}</font></td>')
        else:
            rows.append(f"<td>{text}</td>")
    inner = "<hr/>".join(f"<tr>{row}</tr>" for row in rows) or "<tr><td> </td></tr>"
    return f'<table {style} cellborder="0" cellspacing="0" cellpadding="3">{inner}</table>'


@functools.lru_cache(maxsize=256)
def _op_text(rule: Rule) -> str:
    """An operation as drawn: its row's symbol (the operator typed), else its name; escaped."""
    return _text(rule.symbol or rule.name)


def _number(x: float) -> str:
    """``x`` with four significant digits, keeping trailing zeros (2.000, 1.500e-07).

    ``data`` and ``grad`` are writable, so they may hold a float subclass with its own
    ``__format__`` and ``__repr__``, or something that is no number at all: numbers are
    drawn as plain floats, anything else as escaped text.
    """
    try:
        return f"{float(x):#.4g}"
    except (TypeError, ValueError, OverflowError):
        return _text(shown(x))


def _exact(x: float) -> str:
    """``x`` with every digit (its repr as a plain float), for a tooltip; see :func:`_number`."""
    try:
        return repr(float(x))
    except (TypeError, ValueError, OverflowError):
        return shown(x)


def _quoted(s: str) -> str:
    r"""``s`` inside a DOT double-quoted string, such as a tooltip: shown as written.

    A quote would end the string and let the rest add attributes (``URL="javascript:..."``),
    so quotes are escaped, and so are backslashes, which Graphviz expands there (``\N``);
    line breaks become ``\n`` and control characters Python escapes, as in labels.
    """
    s = _printable(s)
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _grad_colors(grad: float | None) -> tuple[str, str]:
    """The (fill, text) colours for a gradient, by the band its size falls in.

    None, a leaf's grad as PyTorch's ``p.grad = None`` leaves it when no gradient
    reaches the leaf, is coloured as 0; so is anything else that is no number.
    """
    try:
        size = abs(float(grad))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return _GRAD_ZERO
    if size == 0.0:
        return _GRAD_ZERO
    for bound, fill, ink in _GRAD_BANDS:
        if size < bound:
            return fill, ink
    return _GRAD_HUGE


def _printable(s: str) -> str:
    """``s`` with each line break (CR LF, CR) as LF and control characters as Python escapes."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode(), s)
    s = s.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return s


def _text(s: str) -> str:
    r"""``s`` as text inside an HTML-like label: escaped, line breaks kept as breaks.

    The DOT parser ends an HTML-like label at its matching ``>``, so once ``& < > "``
    are entities no text can close it early, and the record characters ``{ } |``
    mean nothing there. Backslashes are doubled because Graphviz still expands
    ``\N`` (the node's name) and ``\G`` inside HTML-like labels. ``]`` is an entity
    too: Graphviz's HTML parser rejects text that starts with it (a label ``"]"``).
    """
    s = _printable(s).replace("\\", "\\\\")
    return "<br/>".join(html.escape(line).replace("]", "&#93;") for line in s.split("\n"))


def _caption(
    drawn: int,
    total: int,
    max_nodes: int | None,
    show_grad: bool,
    grads: bool,
    show_local_grad: bool,
    color_grad: bool,
) -> str:
    """The notes under the drawing: what is cut, hidden, or encoded by colour."""
    notes = []
    if drawn < total:
        notes.append(
            f"Cut at max_nodes={max_nodes}: showing the {drawn:,} Values nearest the root "
            f"of {total:,}; dashed boxes stand for inputs not drawn."
        )
    if show_grad and not grads:
        notes.append("grad not shown: the root's grad is 0 until you call backward() on it.")
    if show_local_grad:
        notes.append("Arrow label \u00d7k: the local derivative d output / d input.")
    if color_grad and grads:
        notes.append(
            "grad colour: blue = tiny |grad| (vanishing), white = near 1, "
            "red = huge (exploding), grey = exactly 0 (or None: no gradient reached it)."
        )
    return "".join(f'{html.escape(note)}<br align="left"/>' for note in notes)


# --- the Digraph -------------------------------------------------------------------


@functools.cache
def _drawing_class() -> Any:
    """A ``graphviz.Digraph`` subclass whose rendering says how to install Graphviz.

    Made on first use, so that importing ``autograd`` never imports graphviz.
    """
    import graphviz

    @contextmanager
    def install_hint() -> Iterator[None]:
        try:
            yield
        except graphviz.ExecutableNotFound as error:
            # Keep the exception's type, so `except graphviz.ExecutableNotFound`
            # still works, and add what to do about it.
            error.args = (f"{error}. {_INSTALL_HINT}",)
            raise

    class Drawing(graphviz.Digraph):  # type: ignore[misc]
        """A ``graphviz.Digraph`` of a computation graph (see ``draw_graph``)."""

        # Jupyter's display and view() go through pipe() and render().
        def pipe(self, *args: Any, **kwargs: Any) -> Any:
            with install_hint():
                return super().pipe(*args, **kwargs)

        def render(self, *args: Any, **kwargs: Any) -> Any:
            with install_hint():
                return super().render(*args, **kwargs)

        def unflatten(self, *args: Any, **kwargs: Any) -> Any:
            with install_hint():
                return super().unflatten(*args, **kwargs)

    # Named as the module attribute that __getattr__ below provides, so pickle finds it.
    Drawing.__module__, Drawing.__qualname__ = __name__, "Drawing"
    return Drawing


def __getattr__(name: str) -> Any:
    """``autograd.viz.Drawing``, the class of every drawing, made on first use."""
    if name == "Drawing":
        return _drawing_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
