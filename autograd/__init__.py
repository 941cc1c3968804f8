"""chainrule's engine: scalar reverse-mode automatic differentiation.

Build expressions from :class:`Value` objects, call ``backward()`` on the
result, and read each input's ``.grad``.

Examples:
    >>> from autograd import Value
    >>> x, y = Value(2.0), Value(-3.0)
    >>> z = (x * y + x.exp()).tanh()
    >>> z.backward()
    >>> round(z.data, 6), round(x.grad, 6)
    (0.882963, 0.967244)
"""

from __future__ import annotations

from . import ops
from .compiler import compile as compile  # public as autograd.compile, not in __all__
from .custom_op import op
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .mode import detect_anomaly, enable_grad, no_grad, scope
from .ops import *  # noqa: F403 - every primitive as a function: exp, maximum, ...
from .ops import max as max  # public as autograd.max, not in __all__
from .ops import sum as sum  # public as autograd.sum, not in __all__
from .transforms import grad, gradients, hessian, value_and_grad
from .value import Scalar, Value, scope_of
from .viz import draw_dot, draw_graph

__version__ = "0.1.0"
#: Marks this package as chainrule's: the unrelated HIPS autograd distribution installs a
#: package of the same name, and ``import nn`` checks for this to name the clash.
__distribution__ = "chainrule"

# `sum`, `max` and `compile` are importable as autograd.sum, autograd.max and
# autograd.compile but left out of `import *`: they would shadow the builtins.
__all__ = [
    "GradcheckError",
    "Scalar",
    "Value",
    "detect_anomaly",
    "draw_dot",
    "draw_graph",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "gradients",
    "hessian",
    "no_grad",
    "op",
    "scope",
    "scope_of",
    "value_and_grad",
]
__all__ += ops.__all__

# `from __future__ import annotations` binds the name here too; keep it out of dir(autograd).
del annotations
