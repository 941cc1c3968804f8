"""Tests for nn.module: parameter discovery, names, state dicts, calling and repr."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

import autograd
from autograd import Value
from nn import MLP, Layer, Module, Neuron


class Affine(Module):
    """A small custom module: ``a * x + c``."""

    def __init__(self) -> None:
        self.a = Value(2.0)
        self.c = Value(1.0)

    def forward(self, x: float) -> Value:
        return self.a * x + self.c


class Pair(Module):
    """Two Affine children, one of them shared with the other name."""

    def __init__(self) -> None:
        self.first = Affine()
        self.second = self.first

    def forward(self, x: float) -> Value:
        return self.first(x) + self.second(x)


class TestParameters:
    def test_named_parameters_are_dotted_paths(self) -> None:
        """Names follow attributes and list indices from the outermost module."""
        names = [name for name, _ in MLP(2, [2, 1], seed=0).named_parameters()]
        assert names[:3] == [
            "layers.0.neurons.0.w.0",
            "layers.0.neurons.0.w.1",
            "layers.0.neurons.0.b",
        ]
        assert names[-1] == "layers.1.neurons.0.b"
        assert len(names) == len(set(names)) == 3 * 2 + 3

    def test_parameters_are_named_parameters(self) -> None:
        """parameters() lists the same Values in the same order as named_parameters()."""
        model = MLP(3, [4, 2], seed=1)
        assert model.parameters() == [p for _, p in model.named_parameters()]

    def test_labels_are_the_names(self) -> None:
        """Every parameter carries its dotted name as its label."""
        model = MLP(2, [3, 1], seed=0)
        assert all(p.label == name for name, p in model.named_parameters())

    def test_standalone_labels(self) -> None:
        """A module built alone labels its parameters from itself."""
        assert [p.label for p in Neuron(2, seed=0).parameters()] == ["w.0", "w.1", "b"]

    def test_shared_parameters_appear_once(self) -> None:
        """A submodule registered twice contributes its parameters once."""
        model = Pair()
        assert [name for name, _ in model.named_parameters()] == ["first.a", "first.c"]
        assert [name for name, _ in model.named_modules()] == ["", "first"]
        assert model.first._path == "first"
        assert model.first.a.label == "first.a"

    def test_zero_grad_resets_every_parameter(self) -> None:
        """zero_grad sets every gradient back to 0."""
        model = MLP(2, [3, 1], init="uniform", seed=0)
        model([1.0, 2.0]).backward()
        assert any(p.grad != 0.0 for p in model.parameters())
        model.zero_grad()
        assert all(p.grad == 0.0 for p in model.parameters())

    def test_lists_of_lists_are_matrices(self) -> None:
        """A list of lists of Values is named row then column, and registered when assigned."""

        class Table(Module):
            def __init__(self) -> None:
                self.weight = [[Value(1.0), Value(2.0)], [Value(3.0)]]

        table = Table()
        names = [name for name, _ in table.named_parameters()]
        assert names == ["weight.0.0", "weight.0.1", "weight.1.0"]
        assert table.weight[1][0].label == "weight.1.0"

    def test_private_attributes_are_ignored(self) -> None:
        """Attributes starting with an underscore are not parameters."""
        module = Affine()
        module._hidden = Value(5.0)
        assert len(module.parameters()) == 2


class TestStateDict:
    def test_round_trip(self) -> None:
        """Loading one model's state into another of the same shape copies it exactly."""
        a, b = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=1)
        b.load_state_dict(a.state_dict())
        assert b.state_dict() == a.state_dict()

    @pytest.mark.parametrize(
        ("change", "word"),
        [
            (lambda d: d.pop("b"), "missing"),
            (lambda d: d.update(extra=1.0), "unexpected"),
            (lambda d: d.update(b=math.nan), "not finite"),
            (lambda d: d.update(b=math.inf), "not finite"),
            (lambda d: d.update(b=True), "not finite"),
            (lambda d: d.update(b="1.0"), "not finite"),
        ],
    )
    def test_bad_entries_raise_and_leave_model_untouched(
        self, change: Callable[[dict[str, object]], object], word: str
    ) -> None:
        """A missing, unexpected or non-finite entry raises ValueError; nothing changes."""
        n = Neuron(2, seed=0)
        before = n.state_dict()
        state = {name: 0.0 for name in before}
        change(state)
        with pytest.raises(ValueError, match=word):
            n.load_state_dict(state)
        assert n.state_dict() == before

    def test_not_strict_skips_missing_and_unexpected(self) -> None:
        """With strict=False, missing names keep their values and unexpected ones are ignored."""
        n = Neuron(1, seed=0)
        w = n.w[0].data
        n.load_state_dict({"b": 3.0, "other": 1.0}, strict=False)
        assert n.state_dict() == {"w.0": w, "b": 3.0}

    def test_not_strict_still_rejects_nan(self) -> None:
        """With strict=False a NaN for a known name is still an error."""
        with pytest.raises(ValueError, match="b"):
            Neuron(1, seed=0).load_state_dict({"b": math.nan}, strict=False)

    def test_ints_are_accepted(self) -> None:
        """Integers load as floats."""
        n = Neuron(1, seed=0)
        n.load_state_dict({"w.0": 2, "b": 0})
        assert n.state_dict() == {"w.0": 2.0, "b": 0.0}
        assert isinstance(n.b.data, float)


class TestCall:
    def test_call_runs_forward(self) -> None:
        """Calling a module returns forward's result."""
        assert Affine()(3.0).data == 7.0

    def test_forward_must_be_defined(self) -> None:
        """A module without forward raises NotImplementedError naming its class."""
        with pytest.raises(NotImplementedError, match="Module"):
            Module()(1.0)

    def test_no_scope_records_nothing(self) -> None:
        """Without an open scope, nodes made by a module have no scope."""
        out = MLP(2, [2, 1], seed=0)([1.0, 2.0])
        assert autograd.scope_of(out) == ()

    def test_scopes_name_the_module_path(self) -> None:
        """Inside a scope, each call adds the class name (root) or dotted path (children)."""
        model = MLP(2, [2, 1], seed=0)
        with autograd.scope("forward"):
            out = model([1.0, 2.0])
        assert autograd.scope_of(out) == ("forward", "MLP", "layers.1", "layers.1.neurons.0")
        bias = out.parents[2]  # dot's parents: w.0, w.1, b, then the hidden outputs
        first_hidden = next(p for p in out.parents if p.op == "relu")
        assert autograd.scope_of(first_hidden)[2:] == ("layers.0", "layers.0.neurons.0")
        assert bias.label == "layers.1.neurons.0.b"

    def test_nested_models_get_full_paths(self) -> None:
        """A model placed inside another has its paths and labels prefixed."""

        class Wrapper(Module):
            def __init__(self) -> None:
                self.body = MLP(1, [1], seed=0)

            def forward(self, x: list[float]) -> Value:
                return self.body(x)  # type: ignore[no-any-return]

        wrapper = Wrapper()
        assert wrapper.body.layers[0].neurons[0]._path == "body.layers.0.neurons.0"
        assert wrapper.body.layers[0].neurons[0].b.label == "body.layers.0.neurons.0.b"
        with autograd.scope("f"):
            out = wrapper([1.0])
        assert autograd.scope_of(out) == (
            "f",
            "Wrapper",
            "body",
            "body.layers.0",
            "body.layers.0.neurons.0",
        )


class TestRepr:
    def test_nested_repr(self) -> None:
        """repr shows each child under its name, indented."""
        assert repr(Pair()) == "Pair(\n  (first): Affine()\n  (second): Affine()\n)"

    def test_layer_repr_is_one_line(self) -> None:
        """A Layer summarises its neurons in one line."""
        assert repr(Layer(2, 3, seed=0)) == "Layer(nin=2, nout=3, activation='relu')"

    def test_neuron_repr(self) -> None:
        """A Neuron shows its size and activation."""
        assert repr(Neuron(4, "tanh", seed=0)) == "Neuron(nin=4, activation='tanh')"


class TestLoadStateDictArguments:
    @pytest.mark.parametrize("strict", ["no", 0, None])
    def test_strict_must_be_a_bool(self, strict: object) -> None:
        """strict="no" is a TypeError naming strict, not strict mode."""
        n = Neuron(1, seed=0)
        with pytest.raises(
            TypeError, match=r"^Neuron.load_state_dict: strict must be True or False"
        ):
            n.load_state_dict(n.state_dict(), strict=strict)  # type: ignore[arg-type]

    def test_numpy_array_strict_is_refused(self) -> None:
        """A NumPy array as strict is a TypeError, not "truth value is ambiguous"."""
        np = pytest.importorskip("numpy")
        n = Neuron(1, seed=0)
        with pytest.raises(TypeError, match=r"strict must be True or False, got ndarray"):
            n.load_state_dict(n.state_dict(), strict=np.array([True]))  # type: ignore[arg-type]

    def test_state_must_be_a_mapping(self) -> None:
        """A list of pairs is a TypeError naming the class, the method and state."""
        with pytest.raises(
            TypeError, match=r"^MLP.load_state_dict: state must be a mapping, got list"
        ):
            MLP(1, [1], seed=0).load_state_dict([("layers.0.neurons.0.b", 0.0)])  # type: ignore[arg-type]


class TestTrainEval:
    def test_training_by_default(self) -> None:
        """A new module is in training mode, as in PyTorch."""
        assert MLP(2, [3, 1], seed=0).training is True

    def test_eval_and_train_are_recursive_and_return_self(self) -> None:
        """eval() and train() set the flag on every submodule and return the module itself."""
        model = MLP(2, [3, 1], seed=0)
        assert model.eval() is model
        assert all(not m.training for _, m in model.named_modules())
        assert model.train() is model
        assert all(m.training for _, m in model.named_modules())
        assert model.train(False).training is False

    def test_the_flag_is_not_a_parameter_or_state(self) -> None:
        """The flag changes neither parameters nor the state dict."""
        model = Neuron(2, seed=0)
        before = model.state_dict()
        model.eval()
        assert model.state_dict() == before and len(model.parameters()) == 3

    def test_train_refuses_a_non_bool(self) -> None:
        """train("no") is refused with a TypeError naming train and mode."""
        with pytest.raises(TypeError, match=r"^Neuron\.train: mode"):
            Neuron(2, seed=0).train("no")  # type: ignore[arg-type]
