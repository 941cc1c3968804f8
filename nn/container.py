"""``Sequential``: modules applied one after another, each to the previous one's output."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from autograd import checks

from .module import Module

__all__ = ["Sequential"]


class Sequential(Module):
    """``m_k(... m_2(m_1(x)))``: call each module on the output of the one before, as PyTorch.

    The modules are registered under their positions, so their parameters are
    named ``0.weight.1.2``, ``1.weight.0``, ... exactly as in
    ``torch.nn.Sequential``. With no modules it returns its input.

    Args:
        *modules: the modules, in the order they are applied.

    Raises:
        TypeError: if an argument is not a :class:`~nn.Module`.

    Examples:
        >>> from nn import Linear, RMSNorm
        >>> model = Sequential(Linear(3, 2, seed=0), RMSNorm(2))
        >>> len(model([1.0, 2.0, 3.0])), [name for name, _ in model.named_children()]
        (2, ['0', '1'])
    """

    def __init__(self, *modules: Module) -> None:
        for index, module in enumerate(modules):
            checks.instance("Sequential", f"modules[{index}]", module, Module, "a Module")
            setattr(self, str(index), module)  # named "0", "1", ... as in PyTorch
        self._modules = modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules)

    def __getitem__(self, index: int) -> Module:
        """The module at ``index`` (negative indices count from the end)."""
        return self._modules[index]

    def forward(self, x: Any) -> Any:
        """Apply each module in turn.

        Args:
            x: the first module's input.

        Returns:
            The last module's output (``x`` itself when there are no modules).

        Examples:
            >>> from nn import Linear
            >>> model = Sequential(Linear(1, 1, bias=False, seed=0))
            >>> model.load_state_dict({"0.weight.0.0": 3.0})
            >>> [y.data for y in model([2.0])]
            [6.0]
        """
        for module in self._modules:
            x = module(x)
        return x
