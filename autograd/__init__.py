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

from .functions import cos, dot, exp, leaky_relu, log, relu, sigmoid, sin, sqrt, tanh
from .functions import sum as sum  # public as autograd.sum, not in __all__
from .gradcheck import GradcheckError, gradcheck
from .mode import detect_anomaly, no_grad, scope, scope_of
from .value import Scalar, Value
from .viz import draw_dot, draw_graph

__version__ = "0.1.0"

# `sum` is importable as autograd.sum but left out of `import *`: it would shadow the builtin.
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
    "gradcheck",
    "leaky_relu",
    "log",
    "no_grad",
    "relu",
    "scope",
    "scope_of",
    "sigmoid",
    "sin",
    "sqrt",
    "tanh",
]
