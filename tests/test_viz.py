"""draw_graph: DOT structure, the SVG that Graphviz renders, escaping, big graphs, no dot."""

from __future__ import annotations

import contextlib
import gc
import pickle
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import Expression, expressions

import autograd
from autograd import Value, draw_dot, draw_graph, scope
from autograd.graph import topological_order
from autograd.viz import DEFAULT_MAX_NODES

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent
DOCS_IMAGE = ROOT / "docs" / "graph.svg"

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="the Graphviz program dot is not installed"
)

#: Labels that would break DOT, HTML-like labels or records if they were not escaped.
NASTY_LABELS = [
    'say "hi"',
    "<b>bold?</b>",
    "a < b > c",
    "{record|field}",
    "back\\slash \\n \\l \\N",
    "one\ntwo",
    '"] ; evil [',
    '"]; x -> y; z [label="',
    "& &amp; &#60;",
    "}",
    ">",
]


#: Text that would add a link to a drawing if a tooltip or a number were not escaped.
INJECTION = '1" URL="javascript:alert(1)" x="'


class _InjectingFloat(float):
    """A float whose repr and format try to break out of a DOT string or an HTML label."""

    def __repr__(self) -> str:
        return INJECTION

    def __format__(self, spec: str) -> str:
        return '</td></tr></table>> URL="javascript:alert(2)" x=<<table><tr><td>'


XLINK = "{http://www.w3.org/1999/xlink}"


# --- helpers ----------------------------------------------------------------------


def neuron() -> tuple[Value, dict[str, Value]]:
    """A tanh neuron with two inputs and its squared error, before backward."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    out = (x1 * w1 + x2 * w2 + b).tanh()
    loss = (out - 1.0) ** 2
    return loss, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "out": out}


def svg_of(drawing: Any) -> ET.Element:
    """The SVG that Graphviz's dot renders for a drawing, parsed."""
    return ET.fromstring(drawing.pipe(format="svg"))


def groups(svg: ET.Element, kind: str) -> dict[str, ET.Element]:
    """The SVG groups of one class ("node", "edge", "cluster") by their title."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == kind:
            title = group.find(f"{SVG}title")
            assert title is not None and title.text is not None
            found[title.text] = group
    return found


def texts(element: ET.Element) -> list[str]:
    """The text of every <text> element inside ``element``, in document order.

    Graphviz writes a run of spaces as space + no-break space, which looks the same;
    it is read back as spaces.
    """
    return [(t.text or "").replace("\xa0", " ") for t in element.iter(f"{SVG}text")]


def value_nodes(svg: ET.Element) -> dict[str, ET.Element]:
    """The SVG groups drawn for Values (their DOT names are v0, v1, ...)."""
    return {k: v for k, v in groups(svg, "node").items() if re.fullmatch(r"v\d+", k)}


def op_nodes(svg: ET.Element) -> dict[str, ET.Element]:
    """The SVG groups drawn for operations (o0, o1, ...)."""
    return {k: v for k, v in groups(svg, "node").items() if re.fullmatch(r"o\d+", k)}


def node_with_text(svg: ET.Element, text: str) -> ET.Element:
    """The one SVG node group that shows ``text``."""
    matches = [g for g in groups(svg, "node").values() if text in texts(g)]
    assert len(matches) == 1, f"{text!r} is shown by {len(matches)} nodes"
    return matches[0]


def box(group: ET.Element) -> tuple[float, float, float, float]:
    """The bounding box (x0, y0, x1, y1) of every point and text inside an SVG group."""
    xs: list[float] = []
    ys: list[float] = []
    for element in group.iter():
        for attr in ("points", "d"):
            for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", element.get(attr, "")):
                xs.append(float(x))
                ys.append(float(y))
        if element.tag == f"{SVG}text":
            xs.append(float(element.get("x", "0")))
            ys.append(float(element.get("y", "0")))
    return min(xs), min(ys), max(xs), max(ys)


def inside(inner: ET.Element, outer: ET.Element) -> bool:
    """True when the box of ``inner`` lies within the box of ``outer``."""
    a, b = box(inner), box(outer)
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def chain(n: int) -> Value:
    """A chain of n Values: x, x + 1, (x + 1) * 0.5, ... (alternating ops)."""
    node = Value(0.5, label="x")
    for i in range(n - 1):
        node = node + 1.0 if i % 2 == 0 else node * 0.5
    return node


# --- tests --------------------------------------------------------------------------


class TestArguments:
    def test_draw_dot_is_draw_graph(self) -> None:
        """draw_dot is the same function under micrograd's name, and both are public."""
        assert draw_dot is draw_graph
        assert {"draw_graph", "draw_dot"} <= set(autograd.__all__)

    def test_returns_a_digraph(self) -> None:
        """The result is a graphviz.Digraph."""
        loss, _ = neuron()
        assert isinstance(draw_graph(loss), graphviz.Digraph)

    @pytest.mark.parametrize("root", [1.0, "x", None, [Value(1.0)]])
    def test_root_must_be_a_value(self, root: Any) -> None:
        """A root that is not a Value raises a TypeError naming root."""
        with pytest.raises(TypeError, match="root must be a Value"):
            draw_graph(root)

    def test_rankdir_must_be_a_direction(self) -> None:
        """An unknown rankdir raises a ValueError listing the four directions."""
        with pytest.raises(ValueError, match="rankdir must be one of 'LR', 'TB', 'BT' or 'RL'"):
            draw_graph(Value(1.0), rankdir="XY")
        with pytest.raises(TypeError, match=r"rankdir must be one of .*, got NoneType"):
            draw_graph(Value(1.0), rankdir=None)  # type: ignore[arg-type]

    @pytest.mark.parametrize("rankdir", ["LR", "TB", "BT", "RL"])
    def test_rankdir_is_passed_to_graphviz(self, rankdir: str) -> None:
        """The chosen direction is the graph's rankdir."""
        assert f"rankdir={rankdir}" in draw_graph(Value(1.0), rankdir=rankdir).source

    @pytest.mark.parametrize("bad", [0, -5])
    def test_max_nodes_must_be_positive(self, bad: int) -> None:
        """max_nodes below 1 raises a ValueError naming max_nodes."""
        with pytest.raises(ValueError, match="max_nodes must be >= 1"):
            draw_graph(Value(1.0), max_nodes=bad)

    def test_max_nodes_has_a_generous_limit(self) -> None:
        """max_nodes past checks.MAX_SIZE (ten million) is refused; that many is fine."""
        assert draw_graph(Value(1.0), max_nodes=autograd.checks.MAX_SIZE).source
        with pytest.raises(ValueError, match="max_nodes must be <= 10,000,000"):
            draw_graph(Value(1.0), max_nodes=autograd.checks.MAX_SIZE + 1)

    @pytest.mark.parametrize("bad", [2.5, True, "10"])
    def test_max_nodes_must_be_an_int(self, bad: Any) -> None:
        """A max_nodes that is not an int (bool included) raises a TypeError naming it."""
        with pytest.raises(TypeError, match="max_nodes must be an int"):
            draw_graph(Value(1.0), max_nodes=bad)

    @pytest.mark.parametrize(
        "flag", ["show_data", "show_grad", "show_local_grad", "color_grad", "clusters"]
    )
    def test_flags_must_be_bools(self, flag: str) -> None:
        """A display option that is not a bool raises a TypeError naming the option."""
        with pytest.raises(TypeError, match=f"{flag} must be True or False"):
            draw_graph(Value(1.0), **{flag: "always"})

    def test_drawings_pickle(self) -> None:
        """A drawing survives pickling, as for multiprocessing or caching."""
        loss, _ = neuron()
        drawing = draw_graph(loss)
        copy = pickle.loads(pickle.dumps(drawing))
        assert type(copy) is type(drawing)
        assert copy.source == drawing.source

    def test_importing_autograd_does_not_import_graphviz(self) -> None:
        """The engine imports without graphviz; draw_graph imports it on first use."""
        code = "import sys, autograd; print('graphviz' in sys.modules)"
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "False"


class TestSource:
    def test_one_node_per_value_and_per_operation(self) -> None:
        """The neuron's 12 Values and 7 operations are one DOT node each."""
        loss, _ = neuron()
        source = draw_graph(loss).source
        assert len(re.findall(r"^v\d+ \[", source, flags=re.MULTILINE)) == 12
        assert len(re.findall(r"^o\d+ \[", source, flags=re.MULTILINE)) == 7

    def test_operand_used_twice_has_two_edges(self) -> None:
        """x * x draws two arrows from x into the multiplication."""
        x = Value(3.0, label="x")
        source = draw_graph(x * x).source
        assert source.count("v1 -> o0\n") == 2

    def test_shared_subexpression_is_drawn_once(self) -> None:
        """A Value used by two operations is one node with an arrow into each."""
        x = Value(0.5, label="x")
        shared = x * 2.0
        shared.label = "shared"
        root = shared.tanh() + shared.exp()
        source = draw_graph(root).source
        assert source.count("<b>shared</b>") == 1
        name = re.search(r"^(v\d+) \[label=<.*<b>shared</b>", source, flags=re.MULTILINE)
        assert name is not None
        assert len(re.findall(rf"^{name.group(1)} -> o\d+$", source, flags=re.MULTILINE)) == 2

    def test_constants_are_small_number_nodes(self) -> None:
        """The 2 in x * 2 is a bare number with an arrow into the operation, not a box."""
        source = draw_graph(Value(1.5) * 2).source
        assert re.search(r"^c0_1 \[label=<2\.000> shape=plaintext", source, flags=re.MULTILINE)
        assert "c0_1 -> o0\n" in source

    def test_operators_show_their_python_symbol(self) -> None:
        """Binary operators are drawn as + - * / ** and functions by name."""
        x = Value(2.0)
        root = autograd.sum([x + 1, x - 1, x * 3, x / 4, x**2, x.tanh(), -x])
        ops = re.findall(r"^o\d+ \[label=<([^>]*)>", draw_graph(root).source, flags=re.MULTILINE)
        assert sorted(ops) == sorted(["sum", "+", "-", "*", "/", "**", "tanh", "neg"])

    def test_the_same_graph_gives_the_same_source(self) -> None:
        """Drawing is deterministic: node names follow the graph, not memory addresses."""
        first, _ = neuron()
        second, _ = neuron()
        assert draw_graph(first).source == draw_graph(second).source

    def test_a_very_deep_chain_draws_without_recursion(self) -> None:
        """A chain 20,000 Values deep is drawn in full with max_nodes=None."""
        source = draw_graph(chain(20_000), max_nodes=None).source
        assert len(re.findall(r"^v\d+ \[", source, flags=re.MULTILINE)) == 20_000

    def test_local_grad_labels_are_the_rule_partials(self) -> None:
        """With show_local_grad, the arrows of x * y carry d/dx = y and d/dy = x."""
        x, y = Value(3.0, label="x"), Value(-2.0, label="y")
        source = draw_graph(x * y, show_local_grad=True).source
        assert 'v1 -> o0 [label="\u00d7-2.000"]' in source
        assert 'v2 -> o0 [label="\u00d73.000"]' in source

    def test_constants_get_no_local_grad_label(self) -> None:
        """A constant gets no gradient, so its arrow has no chain-rule factor."""
        source = draw_graph(Value(3.0) * 2, show_local_grad=True).source
        assert "c0_1 -> o0\n" in source


@needs_dot
class TestRenderedSvg:
    def test_counts_values_and_operations(self) -> None:
        """dot draws one node per Value and per operation, and one per constant."""
        loss, _ = neuron()
        svg = svg_of(draw_graph(loss))
        assert len(value_nodes(svg)) == 12
        assert len(op_nodes(svg)) == 7
        constants = [k for k in groups(svg, "node") if k.startswith("c")]
        assert len(constants) == 2  # the 1.0 of "out - 1.0" and the 2 of "** 2"

    def test_labels_and_data_with_four_significant_digits(self) -> None:
        """Each labelled Value shows its label and its data to four significant digits."""
        loss, _ = neuron()
        svg = svg_of(draw_graph(loss))
        assert texts(node_with_text(svg, "w1")) == ["w1", "data -3.000"]
        assert texts(node_with_text(svg, "b")) == ["b", "data 6.881"]
        assert "data 0.7071" in [t for g in value_nodes(svg).values() for t in texts(g)]

    def test_tooltips_carry_every_digit(self) -> None:
        """Hovering a Value shows its data and grad at full precision."""
        x = Value(2**0.5, label="x")
        y = x.tanh()
        y.backward()
        svg = svg_of(draw_graph(y))
        links = node_with_text(svg, "x").iter(f"{SVG}a")
        tips = [a.get("{http://www.w3.org/1999/xlink}title") for a in links]
        assert f"data = {x.data!r}, grad = {x.grad!r}" in tips

    def test_grads_hidden_before_backward(self) -> None:
        """Before backward no grad is shown, and a caption says why."""
        loss, _ = neuron()
        svg = svg_of(draw_graph(loss))
        shown = [t for g in value_nodes(svg).values() for t in texts(g) if t.startswith("grad")]
        assert shown == []
        assert any("call backward()" in t for t in texts(svg))

    def test_grads_shown_after_backward(self) -> None:
        """After backward every Value shows its grad, and the caption is gone."""
        loss, v = neuron()
        loss.backward()
        svg = svg_of(draw_graph(loss))
        assert texts(node_with_text(svg, "w1")) == [
            "w1",
            "data -3.000",
            f"grad {v['w1'].grad:#.4g}",
        ]
        grads = [t for g in value_nodes(svg).values() for t in texts(g) if t.startswith("grad")]
        assert len(grads) == 12
        assert not any("backward()" in t for t in texts(svg))

    def test_show_grad_and_show_data_can_be_turned_off(self) -> None:
        """show_grad=False and show_data=False leave those rows out."""
        loss, _ = neuron()
        loss.backward()
        svg = svg_of(draw_graph(loss, show_grad=False, show_data=False))
        assert not [t for t in texts(svg) if t.startswith(("grad", "data"))]
        assert texts(node_with_text(svg, "x1")) == ["x1"]

    def test_root_parameters_and_inputs_look_different(self) -> None:
        """The root, labelled leaves, unlabelled leaves and inner Values have distinct fills."""
        x = Value(1.0)
        w = Value(2.0, label="w")
        inner = x * w
        inner.label = "inner"
        root = inner.tanh()
        root.label = "root"
        svg = svg_of(draw_graph(root))

        def fills(text: str) -> set[str]:
            group = node_with_text(svg, text)
            return {p.get("fill", "") for p in group.iter(f"{SVG}polygon")} - {"none"}

        styles = [fills("root"), fills("w"), fills("data 1.000"), fills("inner")]
        assert all(styles)
        assert len({frozenset(s) for s in styles}) == 4

    def test_operand_used_twice_has_two_edges(self) -> None:
        """dot draws both arrows of x * x."""
        x = Value(3.0, label="x")
        svg = svg_of(draw_graph(x * x))
        edges = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]
        titles = [g.findtext(f"{SVG}title") for g in edges]
        assert titles.count("v1->o0") == 2

    def test_shared_subexpression_is_one_node(self) -> None:
        """A Value used twice is drawn once."""
        x = Value(0.5, label="x")
        shared = x * 2.0
        shared.label = "shared"
        svg = svg_of(draw_graph(shared.tanh() + shared.exp()))
        node_with_text(svg, "shared")  # exactly one
        assert len(value_nodes(svg)) == 5

    def test_local_grad_labels_on_edges(self) -> None:
        """show_local_grad writes each chain-rule factor on its arrow."""
        x = Value(2.0, label="x")
        y = x.tanh()
        y.backward()
        svg = svg_of(draw_graph(y, show_local_grad=True))
        edge_texts = [t for g in groups(svg, "edge").values() for t in texts(g)]
        assert edge_texts == [f"\u00d7{1 - y.data**2:#.4g}"]

    def test_grad_colours_show_vanishing_and_exploding(self) -> None:
        """color_grad fills tiny grads blue, huge ones red and zero ones grey."""
        tiny, huge, dead = Value(1.0, label="tiny"), Value(1.0, label="huge"), Value(-1.0)
        dead.label = "dead"
        root = autograd.sum([tiny * 1e-8, huge * 1e8, dead.relu()])
        root.backward()
        svg = svg_of(draw_graph(root, color_grad=True))

        def fills(label: str) -> set[str]:
            return {p.get("fill", "") for p in node_with_text(svg, label).iter(f"{SVG}polygon")}

        assert "#2166ac" in fills("tiny")
        assert "#b2182b" in fills("huge")
        assert "#bdbdbd" in fills("dead")
        assert any("vanishing" in t for t in texts(svg))

    def test_a_grad_of_none_is_coloured_as_zero(self) -> None:
        """A leaf whose grad is None (no gradient reached it) is grey, and drawn as None."""
        w, x = Value(3.0, label="w"), Value(-1.0, label="x")
        w.grad = None  # type: ignore[assignment]
        root = (w * x).relu() + x  # the relu is off: backward() does not reach w
        root.backward()
        svg = svg_of(draw_graph(root, color_grad=True))
        cell = node_with_text(svg, "w")
        assert "#bdbdbd" in {p.get("fill", "") for p in cell.iter(f"{SVG}polygon")}
        assert any("None" in t for t in texts(svg))


@needs_dot
class TestRandomGraphs:
    @settings(max_examples=30, deadline=None)
    @given(
        expressions(n_inputs=3, max_steps=10),
        st.lists(st.sampled_from([(), ("a",), ("a", "b"), ("c",)]), min_size=10, max_size=10),
        st.booleans(),
    )
    def test_every_node_and_edge_is_drawn(
        self, expression: Expression, paths: list[tuple[str, ...]], backward: bool
    ) -> None:
        """Any expression, built in any scopes, renders with one node and arrow per operand."""
        # Expression.evaluate, one step at a time, each step inside its own scopes.
        nodes: list[Any] = [Value(0.3), Value(-0.7), Value(1.1)]
        for k, path in zip(range(len(expression.steps)), paths):
            with contextlib.ExitStack() as stack:
                for part in path:
                    stack.enter_context(scope(part))
                nodes.append(expression.apply(k, nodes))
        root = nodes[-1]
        if backward:
            root.backward()
        order = topological_order(root)
        inner = [node for node in order if node.op]
        svg = svg_of(draw_graph(root, max_nodes=None, show_local_grad=True, color_grad=True))
        assert len(value_nodes(svg)) == len(order)
        assert len(op_nodes(svg)) == len(inner)
        edges = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]
        assert len(edges) == sum(1 + len(node.operands) for node in inner)

    @settings(max_examples=30, deadline=None)
    @given(expressions(n_inputs=3, max_steps=10), st.integers(1, 12))
    def test_any_cut_renders(self, expression: Expression, max_nodes: int) -> None:
        """Any expression cut at any max_nodes renders with min(max_nodes, size) Values."""
        with scope("model"):
            root = expression(Value(0.3), Value(-0.7), Value(1.1))
        total = len(topological_order(root))
        svg = svg_of(draw_graph(root, max_nodes=max_nodes))
        assert len(value_nodes(svg)) == min(max_nodes, total)
        assert any(f"max_nodes={max_nodes}" in t for t in texts(svg)) == (total > max_nodes)


@needs_dot
class TestClusters:
    def test_nested_scopes_are_nested_clusters(self) -> None:
        """Nodes made inside nested scopes sit in nested, labelled clusters."""
        x = Value(1.0, label="x")
        with scope("forward"):
            with scope("layer"):
                hidden = x * 2.0
                hidden.label = "hidden"
            out = hidden.tanh()
            out.label = "out"
        svg = svg_of(draw_graph(out))
        clusters = {texts(g)[0]: g for g in groups(svg, "cluster").values()}
        assert set(clusters) == {"forward", "layer"}
        assert inside(clusters["layer"], clusters["forward"])
        assert inside(node_with_text(svg, "hidden"), clusters["layer"])
        assert inside(node_with_text(svg, "out"), clusters["forward"])
        assert not inside(node_with_text(svg, "out"), clusters["layer"])
        assert not inside(node_with_text(svg, "x"), clusters["forward"])

    def test_cluster_subgraphs_nest_in_the_source(self) -> None:
        """In the DOT text the inner cluster's subgraph is inside the outer one."""
        x = Value(1.0)
        with scope("a"), scope("b"):
            y = x * 2.0
        source = draw_graph(y).source
        a = source.index("label=<a>")
        b = source.index("label=<b>")
        assert a < b
        assert source.count("subgraph cluster_") == 2
        assert source.rindex("}\n}\n", 0, source.index(" -> ")) > b

    def test_sibling_scopes_are_separate_clusters(self) -> None:
        """Two scopes with the same parent are two clusters inside it."""
        x = Value(1.0)
        with scope("model"):
            with scope("layers.0"):
                h = x * 2.0
            with scope("layers.1"):
                y = h * 3.0
        svg = svg_of(draw_graph(y))
        clusters = {texts(g)[0]: g for g in groups(svg, "cluster").values()}
        assert set(clusters) == {"model", "layers.0", "layers.1"}
        assert inside(clusters["layers.0"], clusters["model"])
        assert inside(clusters["layers.1"], clusters["model"])

    def test_clusters_can_be_turned_off(self) -> None:
        """clusters=False draws no clusters."""
        with scope("s"):
            y = Value(1.0) * 2.0
        assert groups(svg_of(draw_graph(y, clusters=False)), "cluster") == {}

    def test_no_scope_no_clusters(self) -> None:
        """Without scopes nothing is grouped."""
        loss, _ = neuron()
        assert "subgraph" not in draw_graph(loss).source


@needs_dot
class TestEscaping:
    @pytest.mark.parametrize("label", NASTY_LABELS)
    def test_labels_render_verbatim(self, label: str) -> None:
        """A label with DOT, HTML or record syntax in it renders as its own text."""
        x = Value(1.0, label=label)
        y = x * 2.0
        y.label = label
        drawing = draw_graph(y)
        svg = svg_of(drawing)  # dot would fail on invalid DOT
        assert len(value_nodes(svg)) == 2
        for node in value_nodes(svg).values():
            assert texts(node)[: label.count("\n") + 1] == label.split("\n")

    @pytest.mark.parametrize("name", NASTY_LABELS)
    def test_scope_and_op_names_are_escaped(self, name: str) -> None:
        """Scope names and operation names are escaped like labels."""
        x = Value(1.0)
        with scope(name):
            y = x * 2.0
        y.rule = y.rule._replace(name=name, symbol="")  # as a custom op might be named
        svg = svg_of(draw_graph(y))
        (cluster,) = groups(svg, "cluster").values()
        assert texts(cluster) == name.split("\n")
        assert texts(op_nodes(svg)["o0"]) == name.split("\n")

    def test_evil_label_cannot_add_nodes_or_edges(self) -> None:
        """A label that tries to close the node and add an edge adds nothing."""
        x = Value(1.0, label='"]; injected -> y; z [label="')
        drawing = draw_graph(x)
        svg = svg_of(drawing)
        assert list(groups(svg, "node")) == ["v0"]
        assert groups(svg, "edge") == {}

    @pytest.mark.parametrize("data", [_InjectingFloat(1.5), INJECTION], ids=["float", "str"])
    def test_tooltips_and_numbers_cannot_add_attributes(self, data: Any) -> None:
        """A .data or .grad whose repr or format holds a quote adds no URL, only escaped text."""
        x = Value(1.0, label="x")
        y = x * 2.0
        y.backward()
        x.data, x.grad = data, data  # both are writable
        svg = svg_of(draw_graph(y))
        links = [a for g in value_nodes(svg).values() for a in g.iter(f"{SVG}a")]
        assert links and not any(a.get(f"{XLINK}href") or a.get("href") for a in links)
        shown = "1.5" if isinstance(data, float) else repr(data)
        assert f"data = {shown}, grad = {shown}" in {a.get(f"{XLINK}title") for a in links}
        number = "1.500" if isinstance(data, float) else shown
        assert texts(node_with_text(svg, "x")) == ["x", f"data {number}", f"grad {number}"]

    def test_unprintable_characters_are_shown_as_escapes(self) -> None:
        """Control characters (which XML cannot hold) and tabs are drawn as Python escapes."""
        svg = svg_of(draw_graph(Value(1.0, label="bell\x07 esc\x1b\ttab \ud800")))
        assert texts(value_nodes(svg)["v0"])[0] == "bell\\x07 esc\\x1b\\ttab \\ud800"

    @pytest.mark.parametrize("label", ["]", "]]", "]>", "a]"])
    def test_a_closing_bracket_renders(self, label: str) -> None:
        """A label starting with ``]``, which Graphviz's HTML parser rejects as text, renders."""
        svg = svg_of(draw_graph(Value(1.0, label=label)))
        assert texts(value_nodes(svg)["v0"])[0] == label

    @settings(max_examples=25, deadline=None)
    @given(
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
            lambda s: s.strip() != ""
        )
    )
    def test_any_printable_label_renders_verbatim(self, label: str) -> None:
        """Any printable one-line text renders exactly as given."""
        svg = svg_of(draw_graph(Value(1.0, label=label)))
        assert texts(value_nodes(svg)["v0"])[0] == label.replace("\xa0", " ")


class TestMaxNodes:
    def test_small_graphs_are_not_cut(self) -> None:
        """A graph within max_nodes is drawn whole, with no cut note."""
        loss, _ = neuron()
        source = draw_graph(loss, max_nodes=12).source
        assert "Cut at" not in source
        assert "more input" not in source

    def test_big_graph_is_cut_to_the_nodes_nearest_the_root(self) -> None:
        """A 20,000-Value chain is cut to max_nodes Values, the root's end first."""
        root = chain(20_000)
        source = draw_graph(root).source
        values = re.findall(r"^v(\d+) \[", source, flags=re.MULTILINE)
        assert len(values) == DEFAULT_MAX_NODES
        assert f"Cut at max_nodes={DEFAULT_MAX_NODES}" in source
        assert "of 20,000" in source
        assert source.count("... 1 more input>") == 1  # the chain goes on behind the cut

    def test_cut_counts_hidden_inputs_per_operation(self) -> None:
        """An operation whose inputs were cut gets one dashed box counting them."""
        xs = [Value(float(i)) for i in range(50)]
        root = autograd.sum(xs)
        source = draw_graph(root, max_nodes=11).source
        assert "... 40 more inputs" in source
        assert "max_nodes=11" in source

    def test_max_nodes_none_draws_everything(self) -> None:
        """max_nodes=None draws every Value."""
        root = chain(500)
        source = draw_graph(root, max_nodes=None).source
        assert len(re.findall(r"^v\d+ \[", source, flags=re.MULTILINE)) == 500

    @needs_dot
    def test_cut_drawing_renders_with_its_note(self) -> None:
        """dot renders a cut drawing: max_nodes Values, the dashed box and the note."""
        svg = svg_of(draw_graph(chain(20_000), max_nodes=10))
        assert len(value_nodes(svg)) == 10
        assert "... 1 more input" in texts(svg)
        assert any("max_nodes=10" in t for t in texts(svg))


class TestWithoutDot:
    @pytest.fixture
    def no_dot(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """Hide the Graphviz programs by emptying PATH."""
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    def test_source_needs_no_dot(self, no_dot: None) -> None:
        """Building the drawing and reading its DOT text work without dot."""
        loss, _ = neuron()
        assert draw_graph(loss).source.startswith("digraph {")

    @pytest.mark.parametrize("method", ["pipe", "render", "_repr_mimebundle_"])
    def test_rendering_says_how_to_install_graphviz(
        self, no_dot: None, method: str, tmp_path: Path
    ) -> None:
        """pipe, render and Jupyter's display raise ExecutableNotFound with install advice."""
        drawing = draw_graph(Value(1.0))
        call = {
            "pipe": lambda: drawing.pipe(format="svg"),
            "render": lambda: drawing.render(directory=tmp_path, format="svg"),
            "_repr_mimebundle_": drawing._repr_mimebundle_,
        }[method]
        with pytest.raises(graphviz.ExecutableNotFound) as caught:
            call()
        message = str(caught.value)
        assert "apt-get install graphviz" in message
        assert "brew install graphviz" in message


@needs_dot
class TestRender:
    def test_render_leaves_the_dot_source_unless_cleanup(self, tmp_path: Path) -> None:
        """render("loss", format="svg") also writes the DOT file loss; cleanup=True does not."""
        loss, _ = neuron()
        drawing = draw_graph(loss)
        drawing.render(tmp_path / "a" / "loss", format="svg")
        assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["loss", "loss.svg"]
        drawing.render(tmp_path / "b" / "loss", format="svg", cleanup=True)
        assert [p.name for p in (tmp_path / "b").iterdir()] == ["loss.svg"]


@needs_dot
class TestReadmeImage:
    def test_script_draws_the_readme_example(self, tmp_path: Path) -> None:
        """make docs-image's script draws the README's neuron, as committed in docs/graph.svg."""
        script = ROOT / "scripts" / "draw_readme_graph.py"
        output = tmp_path / "graph.svg"
        subprocess.run([sys.executable, str(script), str(output)], check=True, capture_output=True)
        svg = ET.parse(output).getroot()
        assert texts(node_with_text(svg, "loss"))[:2] == ["loss", "data 9.108e-05"]
        assert len(value_nodes(svg)) == 12
        committed = ET.parse(DOCS_IMAGE).getroot()
        assert sorted(texts(committed)) == sorted(texts(svg)), "run `make docs-image`"


class TestCutCounting:
    def test_an_operand_used_twice_counts_once_in_the_cut(self) -> None:
        """When x * x loses x to the cut, the marker says one more input, not two."""
        x = Value(2.0)
        source = draw_graph(x * x, max_nodes=1).source
        assert "1 more input" in source
        assert "2 more inputs" not in source


class TestMemory:
    def test_dropped_drawing_leaves_nothing_for_the_cycle_collector(self) -> None:
        """A drawing, with nested clusters, holds no reference cycle: refcounting frees it all."""
        x = Value(1.0, label="x")
        with scope("outer"), scope("inner"):
            y = (x * 2.0).tanh()
        y.backward()
        draw_graph(y)  # warm the caches (graphviz import, op names)
        gc.collect()
        gc.disable()
        try:
            drawing = draw_graph(y, show_local_grad=True, color_grad=True)
            assert drawing.source.count("subgraph cluster_") == 2
            del drawing
            assert gc.collect() == 0
        finally:
            gc.enable()


def _cluster_contents(source: str) -> dict[str, str]:
    """The DOT text of each cluster, by its label, nested clusters included."""
    contents: dict[str, str] = {}
    stack: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        if line.startswith("subgraph cluster_"):
            stack.append(("", []))
        elif line.startswith("label=<") and stack and not stack[-1][0]:
            stack[-1] = (line[len("label=<") : line.index(">")], stack[-1][1])
        elif line == "}" and stack:
            label, lines = stack.pop()
            contents[label] = "\n".join(lines)
            if stack:
                stack[-1][1].extend(lines)
        elif stack:
            stack[-1][1].append(line)
    return contents


class TestLeavesWithUsers:
    def _layer_sum(self, **options: Any) -> str:
        import nn

        inputs = [Value(1.0, label="x0"), Value(2.0, label="x1")]
        with scope("f"):
            y = sum(nn.Layer(2, 2, seed=0)(inputs))
        return str(draw_graph(y, **options).source)  # type: ignore[arg-type]

    def test_parameters_inside_their_neurons_box(self) -> None:
        """With leaves_with_users each neuron's parameters are drawn inside the neuron's box."""
        clusters = _cluster_contents(self._layer_sum(leaves_with_users=True))
        for k in (0, 1):
            box = clusters[f"neurons.{k}"]
            assert all(f"neurons.{k}.{p}<" in box for p in ("w.0", "w.1", "b"))
            assert f"neurons.{1 - k}.w.0<" not in box

    def test_shared_inputs_in_the_box_of_all_their_users(self) -> None:
        """An input used by both neurons goes to the layer's box, not into one neuron's."""
        clusters = _cluster_contents(self._layer_sum(leaves_with_users=True))
        assert "x0<" in clusters["Layer"]
        assert "x0<" not in clusters["neurons.0"] + clusters["neurons.1"]

    def test_off_by_default(self) -> None:
        """By default leaves made outside every scope stay outside the boxes."""
        clusters = _cluster_contents(self._layer_sum())
        assert "neurons.0.w.0<" not in clusters["f"]

    def test_refuses_a_non_bool(self) -> None:
        """leaves_with_users must be True or False."""
        with pytest.raises(TypeError, match="leaves_with_users"):
            draw_graph(Value(1.0), leaves_with_users="yes")  # type: ignore[arg-type]
