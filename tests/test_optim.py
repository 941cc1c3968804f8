"""Tests for nn.optim: optimizer steps against updates worked by hand, checkpoints, clipping."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest

from autograd import Value
from nn import MLP
from nn.optim import SGD, Adagrad, Adam, Optimizer, RMSprop, clip_grad_norm

#: Gradients fed to a single parameter, one per step.
GRADS = (1.0, -2.0, 0.5)
#: Agreement expected between an optimizer and the same arithmetic written out.
REL_TOL = 1e-12


def _run(opt_factory: Callable[[list[Value]], Optimizer], start: float = 1.0) -> list[float]:
    """The parameter after each step of GRADS."""
    p = Value(start)
    opt = opt_factory([p])
    trace = []
    for g in GRADS:
        opt.zero_grad()
        p.grad = g
        opt.step()
        trace.append(p.data)
    return trace


class TestSGD:
    def test_plain(self) -> None:
        """Without momentum, p <- p - lr * g."""
        assert _run(lambda ps: SGD(ps, lr=0.1)) == pytest.approx([0.9, 1.1, 1.05], rel=REL_TOL)

    def test_momentum_buffer_starts_as_the_gradient(self) -> None:
        """b1 = g1, then b <- mu b + g; p <- p - lr b."""
        b1 = 1.0
        b2 = 0.9 * b1 - 2.0
        b3 = 0.9 * b2 + 0.5
        expected = [1 - 0.1 * b1, 1 - 0.1 * (b1 + b2), 1 - 0.1 * (b1 + b2 + b3)]
        assert _run(lambda ps: SGD(ps, lr=0.1, momentum=0.9)) == pytest.approx(
            expected, rel=REL_TOL
        )
        assert expected == pytest.approx([0.9, 1.01, 1.059], rel=REL_TOL)

    def test_nesterov(self) -> None:
        """Nesterov steps along g + mu b."""
        expected = [0.81, 1.109, 1.1031]  # steps 1.9, -2.99, 0.059 times lr = 0.1
        assert _run(lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True)) == pytest.approx(
            expected, rel=REL_TOL
        )

    def test_weight_decay(self) -> None:
        """Weight decay adds weight_decay * p to the gradient."""
        p = Value(1.0)
        opt = SGD([p], lr=0.1, weight_decay=0.1)
        for _ in range(2):
            p.grad = 1.0
            opt.step()
        assert p.data == pytest.approx(0.89 - 0.1 * (1.0 + 0.1 * 0.89), rel=REL_TOL)

    def test_equals_textbook_momentum(self) -> None:
        """PyTorch's form equals v <- gamma v + alpha g, theta <- theta - v (v starts at 0)."""
        rng = random.Random(0)
        grads = [rng.uniform(-1, 1) for _ in range(20)]
        p = Value(0.3)
        opt = SGD([p], lr=0.05, momentum=0.8)
        theta, v = 0.3, 0.0
        for g in grads:
            p.grad = g
            opt.step()
            v = 0.8 * v + 0.05 * g
            theta -= v
            assert p.data == pytest.approx(theta, rel=1e-9, abs=1e-12)

    def test_nesterov_needs_momentum(self) -> None:
        """nesterov=True with momentum 0 raises ValueError naming nesterov."""
        with pytest.raises(ValueError, match="nesterov"):
            SGD([Value(0.0)], lr=0.1, nesterov=True)


class TestAdam:
    def test_steps_by_hand(self) -> None:
        """Three steps of m, v, bias correction and the update, written out."""
        b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
        m = v = 0.0
        p = 1.0
        expected = []
        for t, g in enumerate(GRADS, start=1):
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            p -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
            expected.append(p)
        assert _run(lambda ps: Adam(ps, lr=0.1)) == pytest.approx(expected, rel=REL_TOL)
        assert expected[0] == pytest.approx(0.9, rel=1e-7)  # the first step is lr * sign(g)

    def test_defaults_are_pytorchs(self) -> None:
        """lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay."""
        opt = Adam([Value(0.0)])
        assert (opt.lr, opt.betas, opt.eps, opt.weight_decay) == (1e-3, (0.9, 0.999), 1e-8, 0.0)

    def test_weight_decay(self) -> None:
        """Weight decay is added to the gradient before the averages."""
        p = Value(2.0)
        opt = Adam([p], lr=0.1, weight_decay=0.5)
        p.grad = -1.0  # plus 0.5 * 2: the effective gradient is 0
        opt.step()
        assert p.data == 2.0


class TestRMSprop:
    def test_steps_by_hand(self) -> None:
        """v <- alpha v + (1 - alpha) g^2; p <- p - lr g / (sqrt(v) + eps)."""
        v1 = 0.01 * 1.0
        v2 = 0.99 * v1 + 0.01 * 4.0
        p1 = 1 - 0.01 * 1.0 / (math.sqrt(v1) + 1e-8)
        p2 = p1 + 0.01 * 2.0 / (math.sqrt(v2) + 1e-8)
        assert _run(lambda ps: RMSprop(ps))[:2] == pytest.approx([p1, p2], rel=REL_TOL)

    def test_momentum_and_centered(self) -> None:
        """Centered subtracts the squared mean gradient; momentum accumulates g / d."""
        v1, a1 = 0.1 * 1.0, 0.1 * 1.0
        d1 = math.sqrt(v1 - a1 * a1) + 1e-8
        buf1 = 1.0 / d1
        v2, a2 = 0.9 * v1 + 0.1 * 4.0, 0.9 * a1 + 0.1 * -2.0
        d2 = math.sqrt(v2 - a2 * a2) + 1e-8
        buf2 = 0.5 * buf1 - 2.0 / d2
        expected = [1 - 0.01 * buf1, 1 - 0.01 * (buf1 + buf2)]
        trace = _run(lambda ps: RMSprop(ps, alpha=0.9, momentum=0.5, centered=True))
        assert trace[:2] == pytest.approx(expected, rel=REL_TOL)


class TestAdagrad:
    def test_steps_by_hand(self) -> None:
        """s <- s + g^2; p <- p - lr g / (sqrt(s) + eps)."""
        s1, s2, s3 = 1.0, 5.0, 5.25
        expected = [1 - 0.5 * 1 / math.sqrt(s1)]
        expected.append(expected[-1] + 0.5 * 2 / math.sqrt(s2))
        expected.append(expected[-1] - 0.5 * 0.5 / math.sqrt(s3))
        assert _run(lambda ps: Adagrad(ps, lr=0.5, eps=0.0)) == pytest.approx(expected, rel=REL_TOL)

    def test_lr_decay_and_initial_accumulator(self) -> None:
        """lr_t = lr / (1 + (t - 1) lr_decay) and s starts at initial_accumulator_value."""
        trace = _run(
            lambda ps: Adagrad(ps, lr=0.5, lr_decay=1.0, initial_accumulator_value=3.0, eps=0.0)
        )
        p1 = 1 - 0.5 * 1 / math.sqrt(4.0)
        p2 = p1 + (0.5 / 2) * 2 / math.sqrt(8.0)
        assert trace[:2] == pytest.approx([p1, p2], rel=REL_TOL)


OPTIMIZERS: list[Callable[[list[Value]], Optimizer]] = [
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    lambda ps: Adam(ps, lr=0.01),
    lambda ps: RMSprop(ps, momentum=0.3, centered=True),
    lambda ps: Adagrad(ps, lr_decay=0.1),
]


class TestCommon:
    @pytest.mark.parametrize("factory", OPTIMIZERS)
    def test_resume_from_state_dict(self, factory: Callable[[list[Value]], Optimizer]) -> None:
        """Stopping, saving the state and resuming gives the same parameters as not stopping."""
        ps = [Value(1.0), Value(-0.5)]
        straight = factory(ps)
        for g in GRADS:
            for p in ps:
                p.grad = g
            straight.step()
        qs = [Value(1.0), Value(-0.5)]
        first = factory(qs)
        for g in GRADS[:2]:
            for q in qs:
                q.grad = g
            first.step()
        resumed = factory(qs)
        resumed.load_state_dict(first.state_dict())
        for q in qs:
            q.grad = GRADS[2]
        resumed.step()
        assert [q.data for q in qs] == [p.data for p in ps]

    @pytest.mark.parametrize("factory", OPTIMIZERS)
    def test_state_dict_is_json(self, factory: Callable[[list[Value]], Optimizer]) -> None:
        """state_dict survives a JSON round trip."""
        import json

        p = Value(1.0)
        opt = factory([p])
        p.grad = 1.0
        opt.step()
        state = opt.state_dict()
        assert json.loads(json.dumps(state)) == state

    def test_load_rejects_another_optimizer(self) -> None:
        """Loading an Adam state into SGD raises ValueError naming the type."""
        p = Value(1.0)
        with pytest.raises(ValueError, match="Adam"):
            SGD([p], lr=0.1).load_state_dict(Adam([p]).state_dict())

    def test_load_rejects_wrong_parameter_count(self) -> None:
        """A state for a different number of parameters raises ValueError."""
        state = Adam([Value(1.0)]).state_dict()
        with pytest.raises(ValueError, match="one entry per parameter"):
            Adam([Value(1.0), Value(2.0)]).load_state_dict(state)

    def test_load_rejects_nan_and_leaves_optimizer_untouched(self) -> None:
        """A NaN in the saved state raises ValueError and changes nothing."""
        p = Value(1.0)
        opt = SGD([p], lr=0.1, momentum=0.9)
        state = opt.state_dict()
        state["state"] = [{"momentum_buffer": math.nan}]
        state["hyperparameters"]["lr"] = 0.5
        with pytest.raises(ValueError, match="not finite"):
            opt.load_state_dict(state)
        assert opt.lr == 0.1
        assert opt.state == {}

    def test_load_rejects_bad_hyperparameters(self) -> None:
        """A negative learning rate in the saved state raises ValueError naming lr."""
        opt = SGD([Value(1.0)], lr=0.1)
        state = opt.state_dict()
        state["hyperparameters"]["lr"] = -1.0
        with pytest.raises(ValueError, match="lr"):
            opt.load_state_dict(state)

    @pytest.mark.parametrize(
        ("make", "name"),
        [
            (lambda ps: SGD(ps, lr=-0.1), "lr"),
            (lambda ps: SGD(ps, lr=math.nan), "lr"),
            (lambda ps: SGD(ps, lr=0.1, momentum=-1.0), "momentum"),
            (lambda ps: SGD(ps, lr=0.1, weight_decay=math.inf), "weight_decay"),
            (lambda ps: Adam(ps, betas=(1.0, 0.999)), r"betas\[0\]"),
            (lambda ps: Adam(ps, betas=(0.9, -0.1)), r"betas\[1\]"),
            (lambda ps: Adam(ps, betas=(0.9,)), "betas"),
            (lambda ps: Adam(ps, eps=-1e-8), "eps"),
            (lambda ps: RMSprop(ps, alpha=1.5), "alpha"),
            (lambda ps: Adagrad(ps, lr_decay=-1.0), "lr_decay"),
        ],
    )
    def test_bad_hyperparameters(self, make: Callable[[list[Value]], Optimizer], name: str) -> None:
        """A bad hyperparameter raises ValueError naming it."""
        with pytest.raises(ValueError, match=name):
            make([Value(0.0)])

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda ps: SGD(ps, lr="0.1"), "SGD: lr must be a real number, got str"),
            (lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov="no"), "nesterov must be True"),
            (lambda ps: RMSprop(ps, centered=1), "centered must be True or False, got int"),
            (lambda ps: Adam(ps, betas=0.9), r"betas must be a pair \(beta1, beta2\), got float"),
            (lambda ps: Adam(ps, betas=(0.9, "0.999")), r"betas\[1\] must be a real number"),
            (lambda ps: SGD(1.0, lr=0.1), "params must be an iterable of Values"),
        ],
    )
    def test_wrong_types_are_type_errors(
        self, make: Callable[[list[Value]], Optimizer], message: str
    ) -> None:
        """A hyperparameter of the wrong type raises TypeError naming the optimizer and it."""
        with pytest.raises(TypeError, match=message):
            make([Value(0.0)])

    def test_numpy_bool_is_a_flag(self) -> None:
        """A NumPy bool scalar is accepted as a flag, like True and False."""
        np = pytest.importorskip("numpy")
        assert SGD([Value(0.0)], lr=0.1, momentum=0.5, nesterov=np.bool_(True)).nesterov is True

    def test_params_checked(self) -> None:
        """Empty, repeated or non-Value parameters are rejected."""
        p = Value(0.0)
        with pytest.raises(ValueError, match="empty"):
            SGD([], lr=0.1)
        with pytest.raises(ValueError, match="twice"):
            SGD([p, p], lr=0.1)
        with pytest.raises(TypeError, match=r"params\[0\]"):
            SGD([1.0], lr=0.1)  # type: ignore[list-item]

    def test_zero_grad(self) -> None:
        """zero_grad resets the gradients of every parameter."""
        model = MLP(2, [2, 1], seed=0)
        model([1.0, 1.0]).backward()
        SGD(model.parameters(), lr=0.1).zero_grad()
        assert all(p.grad == 0.0 for p in model.parameters())

    def test_repr(self) -> None:
        """repr shows the parameter count and hyperparameters."""
        assert repr(SGD([Value(0.0)], lr=0.1)) == (
            "SGD(1 parameters, lr=0.1, momentum=0.0, nesterov=False, weight_decay=0.0)"
        )


class TestClipGradNorm:
    def test_clips_to_max_norm(self) -> None:
        """Gradients with norm 5 are scaled to norm 1 (up to the 1e-6 guard)."""
        a, b = Value(0.0), Value(0.0)
        a.grad, b.grad = 3.0, -4.0
        assert clip_grad_norm([a, b], 1.0) == 5.0
        assert math.hypot(a.grad, b.grad) == pytest.approx(1.0, rel=1e-6)
        assert a.grad / b.grad == pytest.approx(-0.75, rel=REL_TOL)

    def test_small_norm_untouched(self) -> None:
        """Gradients already within max_norm are unchanged."""
        a = Value(0.0)
        a.grad = 0.5
        assert clip_grad_norm([a], 1.0) == 0.5
        assert a.grad == 0.5

    def test_non_finite_norm_is_returned_and_left(self) -> None:
        """A NaN gradient gives a NaN norm and no scaling."""
        a, b = Value(0.0), Value(0.0)
        a.grad, b.grad = math.nan, 1.0
        assert math.isnan(clip_grad_norm([a, b], 1.0))
        assert b.grad == 1.0

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ([1.0], r"clip_grad_norm: params\[0\] must be a Value, got float"),
            (1.0, r"clip_grad_norm: params must be an iterable of Values"),
            (Value(1.0), r"clip_grad_norm: params must be an iterable of Values.*got Value"),
        ],
    )
    def test_params_that_are_not_values(self, params: object, message: str) -> None:
        """Numbers where Values belong are a TypeError naming params, not AttributeError."""
        with pytest.raises(TypeError, match=message):
            clip_grad_norm(params, 1)  # type: ignore[arg-type]

    @pytest.mark.parametrize("max_norm", [0.0, -1.0, math.inf])
    def test_bad_max_norm(self, max_norm: float) -> None:
        """max_norm must be a finite number > 0."""
        with pytest.raises(ValueError, match="max_norm"):
            clip_grad_norm([Value(0.0)], max_norm)


_ADAM_HYPER = {"lr": 0.1, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0}


class TestStateChecks:
    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            ({"exp_avg": 0.5}, "exactly"),
            ({"exp_avg": 0.5, "exp_avg_sq": -0.25}, ">= 0"),
            ({"exp_avg": 10**400, "exp_avg_sq": 1.0}, "not finite"),
        ],
    )
    def test_incomplete_or_impossible_state_is_refused(
        self, entry: dict[str, float], message: str
    ) -> None:
        """An incomplete entry, a negative mean of squares or a huge number is refused."""
        w = Value(1.0)
        opt = Adam([w], lr=0.1)
        state = {
            "type": "Adam",
            "hyperparameters": _ADAM_HYPER,
            "step_count": 3,
            "state": [entry],
        }
        with pytest.raises(ValueError, match=message):
            opt.load_state_dict(state)
        assert opt.step_count == 0 and opt.state == {}

    @pytest.mark.parametrize("state", [None, [("type", "Adam")], "state"])
    def test_state_dict_must_be_a_dict(self, state: object) -> None:
        """Something other than a dict is a TypeError naming the method and state_dict."""
        with pytest.raises(TypeError, match=r"^Adam.load_state_dict: state_dict must be a dict"):
            Adam([Value(1.0)]).load_state_dict(state)  # type: ignore[arg-type]

    def test_empty_entry_is_allowed(self) -> None:
        """An empty entry (a parameter not stepped yet) is a valid state."""
        opt = Adam([Value(1.0)], lr=0.1)
        opt.load_state_dict(
            {"type": "Adam", "hyperparameters": _ADAM_HYPER, "step_count": 0, "state": [{}]}
        )
        assert opt.state == {}

    @pytest.mark.parametrize(
        "build",
        [
            lambda: SGD([Value(1.0)], lr=10**400),
            lambda: clip_grad_norm([Value(1.0)], 10**400),
        ],
    )
    def test_huge_ints_are_value_errors(self, build: Callable[[], object]) -> None:
        """An int too large for a float is reported as a ValueError naming it, not OverflowError."""
        with pytest.raises(ValueError, match="finite"):
            build()


class TestCenteredRMSprop:
    def test_constant_gradient_never_takes_sqrt_of_a_negative(self) -> None:
        """With a steady gradient the centred variance rounds to ~0, never raising a math error."""
        a, b = Value(0.0), Value(0.0)
        opt = RMSprop([a, b], lr=0.01, alpha=0.5, centered=True)
        for _ in range(200):
            a.grad, b.grad = 0.1, 0.7
            opt.step()
        assert opt.step_count == 200
        assert math.isfinite(a.data) and math.isfinite(b.data)


class TestGradNone:
    @pytest.mark.parametrize(
        "make",
        [
            lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
            lambda ps: Adam(ps, lr=0.1, weight_decay=0.1),
            lambda ps: RMSprop(ps, lr=0.1, weight_decay=0.1),
            lambda ps: Adagrad(ps, lr=0.1, weight_decay=0.1),
        ],
    )
    def test_step_skips_a_parameter_whose_grad_is_none(
        self, make: Callable[[list[Value]], Optimizer]
    ) -> None:
        """As in PyTorch, step() leaves a parameter whose grad is None as it is."""
        a, b = Value(1.0), Value(1.0)
        a.grad, b.grad = None, 1.0  # type: ignore[assignment]
        optimizer = make([a, b])
        optimizer.step()
        assert a.data == 1.0 and a not in optimizer.state
        assert b.data < 1.0

    def test_clip_grad_norm_ignores_grad_none(self) -> None:
        """clip_grad_norm leaves out parameters whose grad is None, and keeps them None."""
        a, b, c = Value(0.0), Value(0.0), Value(0.0)
        a.grad, b.grad, c.grad = 3.0, 4.0, None  # type: ignore[assignment]
        assert clip_grad_norm([a, b, c], max_norm=1.0) == 5.0
        assert c.grad is None
        assert math.isclose(a.grad, 0.6, rel_tol=1e-5)


class TestModelInsteadOfParameters:
    def test_passing_the_model_says_to_pass_its_parameters(self) -> None:
        """SGD(model) is refused with a message that says to pass model.parameters()."""
        with pytest.raises(TypeError, match=r"^SGD: params .* got MLP; pass model\.parameters\(\)"):
            SGD(MLP(2, [1], seed=0), lr=0.1)  # type: ignore[arg-type]

    def test_clip_grad_norm_says_so_too(self) -> None:
        """clip_grad_norm(model, ...) names model.parameters() as well."""
        with pytest.raises(TypeError, match=r"model\.parameters\(\)"):
            clip_grad_norm(MLP(2, [1], seed=0), max_norm=1.0)  # type: ignore[arg-type]
