"""chainrule's engine: scalar reverse-mode automatic differentiation.

Build expressions from :class:`Value` objects, call ``backward()`` on the
result, and read each input's ``.grad``.

Example:
    >>> from autograd import Value
    >>> x, y = Value(2.0), Value(-3.0)
    >>> z = (x * y + x.exp()).tanh()
    >>> z.backward()
    >>> round(z.data, 6), round(x.grad, 6)
    (0.882963, 0.967244)
"""

from __future__ import annotations

from .compiler import compile as compile  # public as autograd.compile, not in __all__
from .custom_op import op
from .derivatives import grad, hessian, value_and_grad
from .functions import cos, dot, exp, leaky_relu, log, relu, sigmoid, sin, sqrt, tanh
from .functions import sum as sum  # public as autograd.sum, not in __all__
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .graph import gradients
from .mode import detect_anomaly, no_grad, scope, scope_of
from .value import Scalar, Value
from .viz import draw_dot, draw_graph

__version__ = "0.1.0"

# `sum` and `compile` are importable as autograd.sum and autograd.compile but left out of
# `import *`: they would shadow the builtins.
__all__ = [
    "GradcheckError",
    "Scalar",
    "Value",
    "cos",
    "detect_anomaly",
    "dot",
    "draw_dot",
    "draw_graph",
    "exp",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "gradients",
    "hessian",
    "leaky_relu",
    "log",
    "no_grad",
    "op",
    "relu",
    "scope",
    "scope_of",
    "sigmoid",
    "sin",
    "sqrt",
    "tanh",
    "value_and_grad",
]
