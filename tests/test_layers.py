"""Tests for nn.layers: Neuron, Layer and MLP shapes, graphs, initialisation and seeds."""

from __future__ import annotations

import math
import random
import statistics
import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, gradcheck
from nn import MLP, Layer, Neuron

#: Weights drawn to estimate an initialisation's spread.
INIT_SAMPLES = 4000
#: Relative tolerance on an estimated standard deviation from INIT_SAMPLES draws.
STD_RTOL = 0.1


def _weights(model: MLP | Layer | Neuron) -> list[float]:
    return [p.data for name, p in model.named_parameters() if not name.endswith("b")]


class TestNeuron:
    def test_value_is_activation_of_affine(self) -> None:
        """A neuron computes activation(w . x + b)."""
        n = Neuron(2, "tanh", seed=0)
        n.load_state_dict({"w.0": 0.5, "w.1": -1.0, "b": 0.25})
        assert n([2.0, 3.0]).data == pytest.approx(math.tanh(1.0 - 3.0 + 0.25))

    @pytest.mark.parametrize(
        ("activation", "expected"),
        [
            ("relu", 0.0),
            ("linear", -1.5),
            ("sigmoid", 1 / (1 + math.exp(1.5))),
            ("tanh", math.tanh(-1.5)),
        ],
    )
    def test_activations(self, activation: str, expected: float) -> None:
        """Each activation applies its function to the pre-activation."""
        n = Neuron(1, activation, seed=0)
        n.load_state_dict({"w.0": 1.0, "b": -0.5})
        assert n([-1.0]).data == pytest.approx(expected)

    def test_pre_activation_is_one_dot_node(self) -> None:
        """The weighted sum is a single dot node whose parents are weights, bias and inputs."""
        n = Neuron(3, seed=0)
        x = [Value(1.0), Value(2.0), Value(3.0)]
        out = n(x)
        (z,) = out.parents
        assert out.op == "relu"
        assert z.op == "dot"
        assert z.parents == (*n.w, n.b, *x)

    def test_linear_returns_the_dot_node(self) -> None:
        """A linear neuron adds no activation node."""
        assert Neuron(2, "linear", seed=0)([1.0, 2.0]).op == "dot"

    def test_gradients_match_finite_differences(self) -> None:
        """Gradients through a neuron with respect to its inputs pass gradcheck."""
        n = Neuron(3, "tanh", seed=3)
        assert gradcheck(lambda a, b, c: n([a, b, c]), [0.3, -0.2, 0.9])

    def test_wrong_input_length(self) -> None:
        """An input of the wrong length raises ValueError stating both lengths."""
        with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
            Neuron(2, seed=0)([1.0, 2.0, 3.0])

    @pytest.mark.parametrize(
        ("kwargs", "error", "word"),
        [
            ({"nin": 0}, ValueError, "nin"),
            ({"nin": 2.0}, TypeError, "nin"),
            ({"nin": True}, TypeError, "nin"),
            ({"nin": 2, "activation": "gelu"}, ValueError, "activation"),
            ({"nin": 2, "init": "normal"}, ValueError, "init"),
            ({"nin": 2, "seed": -1}, ValueError, "seed"),
            ({"nin": 2, "seed": "a"}, TypeError, "seed"),
        ],
    )
    def test_bad_arguments(
        self, kwargs: dict[str, object], error: type[Exception], word: str
    ) -> None:
        """Bad constructor arguments raise an error naming the argument."""
        with pytest.raises(error, match=word):
            Neuron(**kwargs)  # type: ignore[arg-type]


class TestInit:
    def test_uniform_is_within_one(self) -> None:
        """uniform draws weights and biases from U(-1, 1), biases included."""
        layer = Layer(3, 50, init="uniform", seed=0)
        values = [p.data for p in layer.parameters()]
        assert all(-1.0 <= v <= 1.0 for v in values)
        assert any(name.endswith("b") and p.data != 0.0 for name, p in layer.named_parameters())

    def test_he_spread(self) -> None:
        """he draws weights with standard deviation sqrt(2 / nin) and zero biases."""
        layer = Layer(40, 100, init="he", seed=0)
        assert statistics.pstdev(_weights(layer)) == pytest.approx(math.sqrt(2 / 40), rel=STD_RTOL)
        assert all(n.b.data == 0.0 for n in layer.neurons)

    def test_xavier_bound(self) -> None:
        """xavier draws weights from U(-a, a) with a = sqrt(6 / (nin + nout))."""
        layer = Layer(30, 120, init="xavier", seed=0)
        bound = math.sqrt(6 / 150)
        weights = _weights(layer)
        assert max(abs(w) for w in weights) <= bound
        assert statistics.pstdev(weights) == pytest.approx(bound / math.sqrt(3), rel=STD_RTOL)

    def test_auto_is_he_for_relu_and_xavier_otherwise(self) -> None:
        """auto gives the same weights as he for relu and as xavier for other activations."""
        assert (
            Layer(3, 4, "relu", seed=5).state_dict()
            == Layer(3, 4, "relu", init="he", seed=5).state_dict()
        )
        assert (
            Layer(3, 4, "tanh", seed=5).state_dict()
            == Layer(3, 4, "tanh", init="xavier", seed=5).state_dict()
        )


class TestSeeds:
    def test_same_seed_same_model(self) -> None:
        """The same seed gives the same weights, bit for bit."""
        assert MLP(2, [8, 8, 1], seed=42).state_dict() == MLP(2, [8, 8, 1], seed=42).state_dict()

    def test_different_seeds_differ(self) -> None:
        """Different seeds give different weights."""
        assert MLP(2, [8, 1], seed=1).state_dict() != MLP(2, [8, 1], seed=2).state_dict()

    def test_global_random_state_is_untouched(self) -> None:
        """Building a model neither reads nor changes the global random module."""
        random.seed(123)
        expected = random.random()
        random.seed(123)
        MLP(2, [4, 1], seed=0)
        MLP(2, [4, 1])
        assert random.random() == expected

    def test_a_random_instance_is_used_directly(self) -> None:
        """A random.Random passed as seed is drawn from, and kept as the model's rng."""
        rng = random.Random(7)
        model = MLP(2, [3, 1], seed=rng)
        assert model.rng is rng
        assert model.state_dict() == MLP(2, [3, 1], seed=random.Random(7)).state_dict()


class TestLayer:
    def test_always_returns_a_list(self) -> None:
        """A layer of one neuron still returns a list."""
        out = Layer(2, 1, seed=0)([1.0, 2.0])
        assert isinstance(out, list)
        assert len(out) == 1

    def test_neurons_share_inputs(self) -> None:
        """Each output is the corresponding neuron applied to the input."""
        layer = Layer(2, 3, "tanh", seed=0)
        out = layer([0.5, -0.5])
        assert [o.data for o in out] == [n([0.5, -0.5]).data for n in layer.neurons]

    def test_wrong_input_length(self) -> None:
        """A Layer names itself when the input has the wrong length."""
        with pytest.raises(ValueError, match="Layer expects 2 inputs, got 1"):
            Layer(2, 3, seed=0)([1.0])


def _bits(x: float) -> bytes:
    """The float's bytes, every NaN alike: equal bits means the same float."""
    return b"nan" if math.isnan(x) else struct.pack("<d", x)


def _same_node(a: Value, b: Value) -> bool:
    """The same op, operands (the same objects, or bit-equal constants) and numbers."""
    same_operands = len(a.operands) == len(b.operands) and all(
        x is y or (type(x) is float and type(y) is float and _bits(x) == _bits(y))
        for x, y in zip(a.operands, b.operands)
    )
    return (
        a.op == b.op
        and same_operands
        and [_bits(x) for x in (a.data, *a.saved)] == [_bits(x) for x in (b.data, *b.saved)]
    )


class TestLayerReadsInputsOnce:
    """A layer builds its neurons' nodes itself (inputs read once): dot()'s nodes, bit for bit."""

    @pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
    @given(data=st.data())
    def test_nodes_are_dot_and_the_activation(self, activation: str, data: st.DataObject) -> None:
        """Each output is activation(dot([*w, b], [*x, 1.0])), operands and numbers alike."""
        layer = Layer(3, 2, activation, seed=0)
        for p in layer.parameters():
            p.data = data.draw(st.floats())
        x: list[Any] = [Value(data.draw(st.floats())), data.draw(st.floats()), 2]
        for neuron, out in zip(layer.neurons, layer(x)):
            z = autograd.dot([*neuron.w, neuron.b], [*x, 1.0])
            want = z if activation == "linear" else getattr(z, activation)()
            got_z = out if activation == "linear" else out.parents[0]
            assert _same_node(got_z, z)
            assert out.operands == ((got_z,) if activation != "linear" else z.operands)
            assert (out.op, _bits(out.data), [_bits(a) for a in out.saved]) == (
                want.op,
                _bits(want.data),
                [_bits(a) for a in want.saved],
            )

    def test_neurons_share_one_tuple_of_inputs(self) -> None:
        """The dot nodes of one layer call share their second vector, [*x, 1.0], and its numbers."""
        layer = Layer(2, 3, seed=0)
        x = [Value(0.5), -2.0]
        dots = [out.parents[0] for out in layer(x)]
        assert dots[0].y == (x[0], -2.0, 1.0) and dots[0].b == (0.5, -2.0, 1.0)
        assert all(d.y is dots[0].y and d.b is dots[0].b for d in dots)

    def test_drawing_scopes_keep_the_same_nodes(self) -> None:
        """Inside a scope (each neuron a cluster) the layer makes the same nodes."""
        layer = Layer(2, 3, seed=0)
        x = [Value(0.5), Value(-2.0)]
        plain = layer(x)
        with autograd.scope("forward"):
            scoped = layer(x)
        for a, b in zip(plain, scoped):
            assert (a.op, a.data, a.saved) == (b.op, b.data, b.saved)
            assert _same_node(a.parents[0], b.parents[0])
        assert autograd.scope_of(scoped[1]) == ("forward", "Layer", "neurons.1")

    def test_a_neuron_subclass_keeps_its_own_forward(self) -> None:
        """A layer holding a subclass of Neuron calls that neuron's own forward."""

        class Doubled(Neuron):
            def forward(self, x: Any) -> Value:
                return super().forward(x) * 2.0  # type: ignore[no-any-return]

        layer = Layer(2, 2, "linear", seed=0)
        plain = layer([1.0, 2.0])
        layer.neurons = [Doubled(2, "linear", seed=0), layer.neurons[1]]
        layer.neurons[0].load_state_dict(layer.neurons[1].state_dict())
        out = layer([1.0, 2.0])
        assert out[0].op == "mul" and out[0].data == 2.0 * plain[1].data

    def test_a_weight_that_is_a_number_goes_through_dot(self) -> None:
        """A weight replaced by a plain number still works: dot() takes it as a constant."""
        neuron = Neuron(2, "linear", seed=0)
        neuron.w[0] = 3.0  # type: ignore[call-overload]
        out = neuron([Value(2.0), 1.0])
        assert out.data == 3.0 * 2.0 + neuron.w[1].data + neuron.b.data
        assert out.operands[0] == 3.0


class TestMLP:
    def test_scalar_output_for_one_unit(self) -> None:
        """An MLP whose last layer has one neuron returns a Value."""
        assert isinstance(MLP(2, [4, 1], seed=0)([1.0, 2.0]), Value)

    def test_list_output_for_many_units(self) -> None:
        """An MLP whose last layer has several neurons returns a list."""
        out = MLP(2, [4, 3], seed=0)([1.0, 2.0])
        assert isinstance(out, list)
        assert len(out) == 3

    def test_activations_per_layer(self) -> None:
        """Hidden layers use activation and the last uses output_activation."""
        model = MLP(2, [3, 3, 2], "tanh", "sigmoid", seed=0)
        assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "sigmoid"]

    def test_parameter_count(self) -> None:
        """MLP(2, [16, 16, 1]) has (2+1)*16 + (16+1)*16 + (16+1)*1 parameters."""
        assert len(MLP(2, [16, 16, 1], seed=0).parameters()) == 48 + 272 + 17

    def test_accepts_values_as_inputs(self) -> None:
        """Inputs may be Values, and gradients reach them."""
        model = MLP(2, [4, 1], "tanh", seed=0)
        assert gradcheck(lambda a, b: model([a, b]), [0.1, -0.7])

    @pytest.mark.parametrize(
        ("nouts", "error"),
        [([], ValueError), ([3, 0], ValueError), (3, TypeError), ("31", TypeError)],
    )
    def test_bad_nouts(self, nouts: object, error: type[Exception]) -> None:
        """nouts must be a non-empty sequence of positive ints."""
        with pytest.raises(error, match="nouts"):
            MLP(2, nouts)  # type: ignore[arg-type]


class TestInputs:
    @pytest.mark.parametrize(
        ("model", "name"),
        [
            (Neuron(2, seed=0), "Neuron"),
            (Layer(2, 3, seed=0), "Layer"),
            (MLP(2, [3, 1], seed=0), "MLP"),
        ],
    )
    def test_number_instead_of_a_vector(self, model: Neuron | Layer | MLP, name: str) -> None:
        """model(1.0) is a TypeError naming the model's class and x, not "has no len()"."""
        with pytest.raises(
            TypeError, match=rf"^{name}: x must be a sequence of 2 numbers or Values, got float$"
        ):
            model(1.0)  # type: ignore[arg-type]

    def test_mlp_names_itself_for_a_wrong_length(self) -> None:
        """An MLP given the wrong number of inputs says MLP, not the Layer inside it."""
        with pytest.raises(ValueError, match=r"^MLP expects 2 inputs, got 3$"):
            MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0])

    def test_subclass_is_named(self) -> None:
        """A subclass of MLP is named by its own class."""

        class Classifier(MLP):
            pass

        with pytest.raises(TypeError, match=r"^Classifier: x must be a sequence"):
            Classifier(2, [1], seed=0)(None)  # type: ignore[arg-type]

    def test_string_input_is_refused(self) -> None:
        """A str of the right length is still not an input vector."""
        with pytest.raises(
            TypeError, match=r"Layer: x must be a sequence of 2 numbers or Values, got str"
        ):
            Layer(2, 1, seed=0)("ab")  # type: ignore[arg-type]


class TestSizeLimits:
    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: Layer(2, 10**400), r"Layer: nout must be <= 10,000,000"),
            (lambda: Layer(10**400, 2), r"Layer: nin must be <= 10,000,000"),
            (lambda: Neuron(10**8), r"Neuron: nin must be <= 10,000,000"),
            (lambda: MLP(2, [3, 10**400]), r"MLP: nouts\[1\] must be <= 10,000,000"),
            (lambda: Layer(10**6, 10**6), r"Layer: \(nin \+ 1\) \* nout parameters must be <="),
            (lambda: MLP(2, [10**6, 10**6]), r"MLP: layer 1's \(nin \+ 1\) \* nout parameters"),
        ],
    )
    def test_sizes_past_the_limit_are_refused(self, build: Any, message: str) -> None:
        """Widths or parameter counts past checks.MAX_SIZE are refused before anything is built."""
        with pytest.raises(ValueError, match=message):
            build()

    @pytest.mark.parametrize("activation", [1, None, ["relu"]])
    def test_activation_of_the_wrong_type(self, activation: object) -> None:
        """An activation that is not a str is a TypeError listing the choices."""
        with pytest.raises(TypeError, match=r"Layer: activation must be one of 'relu', 'tanh'"):
            Layer(2, 2, activation)  # type: ignore[arg-type]


class TestLayerOutputIsAList:
    def test_plain_list_without_backward(self) -> None:
        """A layer returns a plain list, which has no backward(): as documented in Layer."""
        out = Layer(2, 3, seed=0)([1.0, 2.0])
        assert type(out) is list
        assert not hasattr(out, "backward")

    def test_reduce_then_backward(self) -> None:
        """sum(outputs).backward(), the documented fix, reaches every neuron's parameters."""
        layer = Layer(2, 3, "linear", seed=0)
        sum(layer([1.0, 2.0])).backward()  # type: ignore[union-attr]
        assert all(p.grad != 0.0 for p in layer.parameters())
