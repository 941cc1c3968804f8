"""The packages' ``__init__`` modules: what ``dir()`` shows and nn's check of its autograd."""

from __future__ import annotations

import importlib
import sys
import types

import pytest

import autograd
import nn


class TestDir:
    @pytest.mark.parametrize("package", [autograd, nn], ids=["autograd", "nn"])
    def test_future_import_is_not_listed(self, package: types.ModuleType) -> None:
        """`from __future__ import annotations` leaves no `annotations` name in dir()."""
        assert "annotations" not in dir(package)

    def test_nn_keeps_no_private_autograd_alias(self) -> None:
        """The import nn uses for its check is not left behind in dir(nn)."""
        assert "_autograd" not in dir(nn)


class TestAutogradClash:
    def test_ours_is_marked(self) -> None:
        """chainrule's autograd carries the marker that nn checks."""
        assert autograd.__distribution__ == "chainrule"

    def test_another_autograd_is_named_with_the_fix(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With a foreign autograd (HIPS's), import nn raises an ImportError naming the fix."""
        fake = types.ModuleType("autograd")
        fake.__file__ = "/site-packages/autograd/__init__.py"
        monkeypatch.setitem(sys.modules, "autograd", fake)
        monkeypatch.delitem(sys.modules, "nn")  # restored by monkeypatch afterwards
        with pytest.raises(ImportError) as info:
            importlib.import_module("nn")
        message = str(info.value)
        assert "HIPS autograd" in message
        assert "/site-packages/autograd/__init__.py" in message
        assert "separate virtual environments" in message
        assert "pip uninstall autograd" in message
        assert "reinstall chainrule" in message

    def test_reimport_with_ours_works(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With chainrule's autograd, a fresh import of nn passes the check."""
        monkeypatch.delitem(sys.modules, "nn")
        fresh = importlib.import_module("nn")
        assert fresh.MLP is not None
