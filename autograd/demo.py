"""A short tour of the engine: ``python -m autograd.demo``."""

from __future__ import annotations

import time

import autograd
from autograd import Value, gradcheck


def main() -> None:
    """Build an expression, backpropagate, check it, and walk downhill."""
    print("1. An expression and its gradient")
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    z = (x * y + x.exp()).tanh()
    z.backward()
    print(f"   z = tanh(x*y + exp(x)) = {z.data:.6f}")
    print(f"   dz/dx = {x.grad:.6f}   dz/dy = {y.grad:.6f}")
    print(f"   gradcheck agrees: {gradcheck(lambda a, b: (a * b + a.exp()).tanh(), [2.0, -3.0])}")

    print("2. Gradient descent on J(t) = (t - 3)^2 from t = 0, learning rate 0.1")
    t = Value(0.0, label="t")
    for step in range(1, 31):
        loss = (t - 3.0) ** 2
        t.grad = 0.0
        loss.backward()
        t.data -= 0.1 * t.grad
        if step in (1, 2, 3, 10, 30):
            print(f"   step {step:2}: t = {t.data:.6f}  J = {loss.data:.6f}")

    print("3. A neuron's weighted sum is one node, however many inputs")
    weights = [Value(0.1 * i) for i in range(8)]
    pre = autograd.dot(weights, [1.0] * 8)
    print(f"   dot of 8 weights: op={pre.op!r}, {len(pre.parents)} parents, data={pre.data:.2f}")

    n = 100_000
    start = time.perf_counter()
    leaf = Value(1.0)
    chain = leaf
    for _ in range(n):
        chain = chain * 1.00001
    built = time.perf_counter()
    chain.backward()
    done = time.perf_counter()
    print(
        f"4. A chain of {n:,} multiplications: forward {built - start:.2f} s, "
        f"backward {done - built:.2f} s, d/dleaf = {leaf.grad:.6f}"
    )


if __name__ == "__main__":
    main()
