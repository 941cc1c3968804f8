"""Tests for autograd.checks: a TypeError for a wrong type, a ValueError for a wrong value."""

from __future__ import annotations

import ast
import fractions
import math
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from autograd import checks


class TestStandardLibraryOnly:
    def test_imports_nothing_but_the_standard_library(self) -> None:
        """The module imports only standard-library modules, so the engine core can use it."""
        tree = ast.parse(Path(checks.__file__).read_text())
        imported = {
            (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }
        assert imported <= {"__future__", "math", "numbers", "collections", "typing"}

    def test_not_exported_from_autograd(self) -> None:
        """checks is an interface between modules, not part of autograd's public names."""
        import autograd

        assert "checks" not in autograd.__all__


class TestShown:
    def test_short_repr_is_unchanged(self) -> None:
        """A short value is shown as its repr."""
        assert checks.shown("relu") == "'relu'"

    @pytest.mark.parametrize(
        "value",
        ["x" * 10**6, b"y" * 10**6, list(range(10**4)), 10**400],
        ids=["str", "bytes", "list", "int"],
    )
    def test_long_reprs_are_cut(self, value: object) -> None:
        """A long repr is cut to about MAX_SHOWN characters and says how long it was."""
        text = checks.shown(value)
        assert len(text) <= checks.MAX_SHOWN
        assert "characters)" in text

    def test_int_too_long_to_print(self) -> None:
        """An int past Python's digit limit for str() is described, not an error."""
        assert checks.shown(10**5000) == f"an int of {(10**5000).bit_length()} bits"

    def test_broken_repr(self) -> None:
        """An object whose repr raises is described by its type."""

        class Broken:
            def __repr__(self) -> str:
                raise RuntimeError("no")

        assert checks.shown(Broken()) == "a Broken whose repr fails"


class TestInteger:
    @pytest.mark.parametrize("value", [3, Fraction(6, 2).numerator])
    def test_accepts_ints(self, value: int) -> None:
        """An int within bounds comes back as an int."""
        assert checks.integer("f", "n", value, minimum=1, maximum=5) == 3

    def test_accepts_numpy_ints(self) -> None:
        """A NumPy integer is an integer and comes back as a Python int."""
        np = pytest.importorskip("numpy")
        result = checks.integer("f", "n", np.int64(4))
        assert result == 4 and type(result) is int

    @pytest.mark.parametrize("value", [2.0, "2", None, True, [2]])
    def test_wrong_type(self, value: object) -> None:
        """Floats, strings, None, bools and lists are TypeErrors naming function and parameter."""
        with pytest.raises(TypeError, match=rf"^f: n must be an int, got {type(value).__name__}$"):
            checks.integer("f", "n", value)

    def test_below_minimum(self) -> None:
        """A value below the minimum is a ValueError with the bound, the reason and the value."""
        with pytest.raises(ValueError, match=r"^f: n must be >= 2 \(two at least\), got 1$"):
            checks.integer("f", "n", 1, minimum=2, why=" (two at least)")

    def test_above_maximum(self) -> None:
        """A value above the maximum is a ValueError naming the bound."""
        with pytest.raises(ValueError, match=r"^f: n must be <= 5, got 6$"):
            checks.integer("f", "n", 6, maximum=5)


class TestSize:
    def test_limit_is_generous(self) -> None:
        """MAX_SIZE itself is accepted: the limit is ten million."""
        assert checks.MAX_SIZE == 10_000_000
        assert checks.size("f", "n", checks.MAX_SIZE) == checks.MAX_SIZE

    @pytest.mark.parametrize(
        "value", [checks.MAX_SIZE + 1, 10**400, 10**5000], ids=["limit+1", "1e400", "1e5000"]
    )
    def test_past_the_limit(self, value: int) -> None:
        """A size past MAX_SIZE is a ValueError naming the parameter and limit, value cut short."""
        with pytest.raises(ValueError, match=r"^f: n must be <= 10,000,000") as info:
            checks.size("f", "n", value)
        assert len(str(info.value)) < 200

    def test_minimum_defaults_to_one(self) -> None:
        """A size of 0 is refused unless the minimum says otherwise."""
        with pytest.raises(ValueError, match=">= 1"):
            checks.size("f", "n", 0)
        assert checks.size("f", "n", 0, minimum=0) == 0


class TestSeed:
    @pytest.mark.parametrize(("value", "expected"), [(None, None), (0, 0), (2**70, 2**70)])
    def test_accepts_none_and_non_negative_ints(self, value: int | None, expected: int) -> None:
        """None and ints >= 0, however large, are seeds."""
        assert checks.seed("f", value) == expected

    @pytest.mark.parametrize("value", ["abc", 2.5, math.nan, True, random.Random(0)])
    def test_wrong_type(self, value: object) -> None:
        """A str, float, NaN, bool or generator is a TypeError naming seed."""
        with pytest.raises(TypeError, match=r"^f: seed must be an int or None, got"):
            checks.seed("f", value)

    def test_negative(self) -> None:
        """A negative seed is a ValueError: it would repeat the stream of its absolute value."""
        with pytest.raises(ValueError, match=r"^f: seed must be >= 0, got -1$"):
            checks.seed("f", -1)


class TestReal:
    @pytest.mark.parametrize("value", [0.5, 1, Fraction(1, 2)])
    def test_accepts_real_numbers(self, value: Any) -> None:
        """Ints, floats and Fractions come back as floats."""
        result = checks.real("f", "x", value)
        assert result == float(value) and type(result) is float

    @pytest.mark.parametrize("value", ["0.1", None, True, 1j, [1.0]])
    def test_wrong_type(self, value: object) -> None:
        """Strings, None, bools, complex numbers and lists are TypeErrors."""
        with pytest.raises(TypeError, match=r"^f: x must be a real number, got"):
            checks.real("f", "x", value)

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, -(10**400)])
    def test_not_finite(self, value: float) -> None:
        """NaN, infinities and ints too large for a float are ValueErrors, never OverflowError."""
        with pytest.raises(ValueError, match=r"^f: x must be a finite number, got"):
            checks.real("f", "x", value)

    @pytest.mark.parametrize(
        ("bounds", "value", "expected"),
        [
            ({"at_least": 0}, -0.5, "a finite number >= 0"),
            ({"above": 0}, 0.0, "a finite number > 0"),
            ({"at_most": 1}, 2.0, "a finite number <= 1"),
            ({"below": 1}, 1.0, "a finite number < 1"),
            ({"at_least": 0, "below": 1}, 1.0, r"in \[0, 1\)"),
            ({"above": 0, "below": 1}, 0.0, r"in \(0, 1\)"),
            ({"at_least": 0, "at_most": 1}, math.nan, r"in \[0, 1\]"),
        ],
    )
    def test_bounds(self, bounds: dict[str, float], value: float, expected: str) -> None:
        """Each kind of bound refuses what it excludes, and the message states the bound."""
        with pytest.raises(ValueError, match=rf"^f: x must be {expected}, got"):
            checks.real("f", "x", value, **bounds)

    def test_infinities_allowed_when_asked(self) -> None:
        """finite=False lets infinities through, but a bound still refuses NaN."""
        assert checks.real("f", "x", math.inf, finite=False) == math.inf
        assert checks.real("f", "x", 10**400, finite=False) == math.inf
        with pytest.raises(ValueError, match="a number >= 0"):
            checks.real("f", "x", math.nan, at_least=0, finite=False)


class TestIsFiniteReal:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (1, True),
            (-2.5, True),
            (Fraction(1, 3), True),
            (True, False),
            (math.nan, False),
            (math.inf, False),
            (10**400, False),
            ("1", False),
            (None, False),
        ],
    )
    def test_predicate(self, value: object, expected: bool) -> None:
        """Finite reals are True; bools, non-finite numbers and non-numbers are False."""
        assert checks.is_finite_real(value) is expected


class TestNumber:
    def test_real_numbers_become_floats(self) -> None:
        """Ints, Fractions, NaN and infinities come back as floats."""
        assert checks.number("f", "x", 3) == 3.0
        assert checks.number("f", "x", fractions.Fraction(1, 4)) == 0.25
        assert math.isinf(checks.number("f", "x", -math.inf))
        assert math.isnan(checks.number("f", "x", math.nan))

    @pytest.mark.parametrize("value", [10**400, -(10**400), fractions.Fraction(10**400, 3)])
    def test_too_large_for_a_float(self, value: object) -> None:
        """A number past float range is a ValueError, not an OverflowError or inf."""
        with pytest.raises(ValueError, match=r"^f: x must be a real number within float range"):
            checks.number("f", "x", value)

    @pytest.mark.parametrize("value", [True, "1", None, 1j])
    def test_wrong_type(self, value: object) -> None:
        """A bool, str, None or complex is a TypeError, in the caller's words if given."""
        with pytest.raises(TypeError, match=r"^f: x must be a Value or a real number, got"):
            checks.number("f", "x", value, what="a Value or a real number")


class TestScalar:
    def test_instances_pass_unchanged(self) -> None:
        """An instance of the given class comes back as it is."""
        value = 3 + 4j
        assert checks.scalar("f", "x", value, complex) is value

    def test_numbers_become_floats(self) -> None:
        """A real number comes back as a float; NaN and inf are allowed."""
        assert checks.scalar("f", "x", 2, complex) == 2.0
        assert math.isnan(checks.scalar("f", "x", math.nan, complex))  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", [True, "1", None])
    def test_wrong_type(self, value: object) -> None:
        """A bool, str or None is a TypeError naming both accepted kinds."""
        with pytest.raises(TypeError, match=r"^f: x must be a complex or a real number, got"):
            checks.scalar("f", "x", value, complex)


class TestFlag:
    @pytest.mark.parametrize("value", [True, False])
    def test_bools(self, value: bool) -> None:
        """True and False are flags."""
        assert checks.flag("f", "strict", value) is value

    def test_numpy_bool(self) -> None:
        """A NumPy bool scalar is a flag and comes back as a Python bool."""
        np = pytest.importorskip("numpy")
        assert checks.flag("f", "strict", np.bool_(False)) is False

    def test_numpy_array_is_refused(self) -> None:
        """A NumPy array is a TypeError, not 'truth value is ambiguous'."""
        np = pytest.importorskip("numpy")
        with pytest.raises(TypeError, match=r"^f: strict must be True or False, got ndarray$"):
            checks.flag("f", "strict", np.array([True, False]))

    @pytest.mark.parametrize("value", ["no", 1, 0, None, [True]])
    def test_truthy_objects_are_refused(self, value: object) -> None:
        """A str, an int, None or a list is refused rather than read for its truth."""
        with pytest.raises(TypeError, match=r"^f: strict must be True or False, got"):
            checks.flag("f", "strict", value)


class TestChoice:
    def test_accepts_a_choice(self) -> None:
        """A name among the choices comes back."""
        assert checks.choice("f", "mode", "sum", ["mean", "sum"]) == "sum"

    @pytest.mark.parametrize(
        ("choices", "expected"),
        [(["a"], "'a'"), (["a", "b"], "'a' or 'b'"), (["a", "b", "c"], "one of 'a', 'b' or 'c'")],
    )
    def test_unknown_name(self, choices: list[str], expected: str) -> None:
        """An unknown name is a ValueError listing the choices."""
        with pytest.raises(ValueError, match=rf"^f: mode must be {expected}, got 'z'$"):
            checks.choice("f", "mode", "z", choices)

    @pytest.mark.parametrize("value", [1, None, ["mean"]])
    def test_not_a_str(self, value: object) -> None:
        """Something that is not a str is a TypeError, even when unhashable."""
        with pytest.raises(TypeError, match=r"^f: mode must be 'mean' or 'sum', got"):
            checks.choice("f", "mode", value, ["mean", "sum"])


class TestFunction:
    def test_callable(self) -> None:
        """A callable comes back."""
        assert checks.function("f", "fn", len) is len

    @pytest.mark.parametrize("value", ["len", 1.0, None])
    def test_not_callable(self, value: object) -> None:
        """A non-callable is a TypeError naming the parameter."""
        with pytest.raises(TypeError, match=r"^f: fn must be callable, got"):
            checks.function("f", "fn", value)


class TestInstance:
    def test_instance_and_tuples_of_classes(self) -> None:
        """An instance of the class, or of one of a tuple of classes, comes back."""
        assert checks.instance("f", "x", 1, (str, int), "a str or an int") == 1

    def test_other_class(self) -> None:
        """Anything else is a TypeError with the description and the type's name."""
        with pytest.raises(TypeError, match=r"^f: x must be a dict, got list$"):
            checks.instance("f", "x", [], dict, "a dict")


class TestSequence:
    @pytest.mark.parametrize("value", [[1], (1,), range(1)])
    def test_sequences(self, value: object) -> None:
        """Lists, tuples and ranges are sequences and come back as they are."""
        assert checks.sequence("f", "xs", value) is value

    @pytest.mark.parametrize("value", [1.0, "ab", b"ab", {"a": 1}, (x for x in [1]), {1}, None])
    def test_not_sequences(self, value: object) -> None:
        """Scalars, strings, mappings, generators, sets and None are TypeErrors."""
        with pytest.raises(TypeError, match=r"^f: xs must be a sequence, got"):
            checks.sequence("f", "xs", value)

    def test_length(self) -> None:
        """A fixed length is checked, and the message uses the description."""
        assert checks.sequence("f", "p", (1, 2), what="a pair", length=2) == (1, 2)
        with pytest.raises(ValueError, match=r"^f: p must be a pair, got \(1, 2, 3\)$"):
            checks.sequence("f", "p", (1, 2, 3), what="a pair", length=2)


class TestIterable:
    def test_generators_are_read_into_a_list(self) -> None:
        """A generator is read once into a new list."""
        assert checks.iterable("f", "xs", (x for x in [1, 2])) == [1, 2]

    @pytest.mark.parametrize("value", [1.0, "ab", None])
    def test_scalars_and_strings(self, value: object) -> None:
        """A scalar, a str or None is a TypeError with the description."""
        with pytest.raises(TypeError, match=r"^f: xs must be an iterable of Values, got"):
            checks.iterable("f", "xs", value, what="an iterable of Values")


class TestPaired:
    def test_common_length_of_two_sequences(self) -> None:
        """paired returns the shared length of two sequences of the same length."""
        assert checks.paired("fit", "X", [[1.0], [2.0]], "y", (0, 1)) == 2

    def test_different_lengths_and_empty_pairs_are_value_errors(self) -> None:
        """Lengths that differ, or two empty sequences, raise ValueError naming both."""
        with pytest.raises(ValueError, match="fit: X and y must have the same length, got 1 and 2"):
            checks.paired("fit", "X", [[1.0]], "y", [0, 1])
        with pytest.raises(ValueError, match="fit: X and y are empty"):
            checks.paired("fit", "X", [], "y", [])

    def test_a_scalar_is_a_type_error_naming_it(self) -> None:
        """A side that is not a sequence raises TypeError naming that parameter."""
        with pytest.raises(TypeError, match="fit: y must be a sequence"):
            checks.paired("fit", "X", [[1.0]], "y", 1.0)
