"""A tiny GPT written the micrograd way, once, for any micrograd-style Value class.

It is written the way microgpt and its ports are: binary operators, builtin ``sum`` over
generators, ``.exp()``, ``.log()``, ``**`` with a number, ``.relu()``, and no ``dot``.
The same code runs on chainrule's ``autograd.Value`` and on ``minimal_value.Value``;
``init_params`` draws the same weights for both from a seed.

The shape is microgpt's default: 1 layer, 16-dimensional embeddings, 4 heads, block
size 16, RMSNorm, no biases, a squared-ReLU MLP of width 64, a 27-token vocabulary
(a-z and a BOS token), and one name per step.
"""

from __future__ import annotations

import random
from typing import Any

VOCAB = "abcdefghijklmnopqrstuvwxyz"
BOS = len(VOCAB)  # the token that starts and ends a name
VOCAB_SIZE = len(VOCAB) + 1
N_LAYER = 1
N_EMBD = 16
N_HEAD = 4
HEAD_DIM = N_EMBD // N_HEAD
BLOCK_SIZE = 16
NAME = "olivia"

Params = dict[str, list[list[Any]]]


def init_params(value_cls: type, seed: int = 0, std: float = 0.08) -> Params:
    """Every weight matrix, as rows of ``value_cls`` leaves drawn from N(0, std)."""
    rng = random.Random(seed)

    def matrix(nout: int, nin: int) -> list[list[Any]]:
        return [[value_cls(rng.gauss(0.0, std)) for _ in range(nin)] for _ in range(nout)]

    params = {
        "wte": matrix(VOCAB_SIZE, N_EMBD),
        "wpe": matrix(BLOCK_SIZE, N_EMBD),
        "lm_head": matrix(VOCAB_SIZE, N_EMBD),
    }
    for i in range(N_LAYER):
        params[f"layer{i}.attn_wq"] = matrix(N_EMBD, N_EMBD)
        params[f"layer{i}.attn_wk"] = matrix(N_EMBD, N_EMBD)
        params[f"layer{i}.attn_wv"] = matrix(N_EMBD, N_EMBD)
        params[f"layer{i}.attn_wo"] = matrix(N_EMBD, N_EMBD)
        params[f"layer{i}.mlp_fc1"] = matrix(4 * N_EMBD, N_EMBD)
        params[f"layer{i}.mlp_fc2"] = matrix(N_EMBD, 4 * N_EMBD)
    return params


def parameters(params: Params) -> list[Any]:
    """All the leaves, in a fixed order."""
    return [p for rows in params.values() for row in rows for p in row]


def tokenize(name: str) -> list[int]:
    """BOS, the letters' ids, BOS."""
    return [BOS, *(VOCAB.index(c) for c in name), BOS]


def linear(x: list[Any], w: list[list[Any]]) -> list[Any]:
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits: list[Any]) -> list[Any]:
    max_val = max(v.data for v in logits)  # a number: it shifts the values, not the result
    exps = [(v - max_val).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x: list[Any]) -> list[Any]:
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def gpt(
    params: Params, token_id: int, pos_id: int, keys: list[list[Any]], values: list[list[Any]]
) -> list[Any]:
    """The logits for the next token; appends this position's keys and values to the cache."""
    x = [t + p for t, p in zip(params["wte"][token_id], params["wpe"][pos_id])]
    x = rmsnorm(x)
    for li in range(N_LAYER):
        x_residual = x
        x = rmsnorm(x)
        q = linear(x, params[f"layer{li}.attn_wq"])
        k = linear(x, params[f"layer{li}.attn_wk"])
        v = linear(x, params[f"layer{li}.attn_wv"])
        keys[li].append(k)
        values[li].append(v)
        x_attn = []
        for h in range(N_HEAD):
            hs = h * HEAD_DIM
            q_h = q[hs : hs + HEAD_DIM]
            k_h = [ki[hs : hs + HEAD_DIM] for ki in keys[li]]
            v_h = [vi[hs : hs + HEAD_DIM] for vi in values[li]]
            attn_logits = [
                sum(q_h[j] * k_t[j] for j in range(HEAD_DIM)) / HEAD_DIM**0.5 for k_t in k_h
            ]
            weights = softmax(attn_logits)
            x_attn.extend(
                sum(weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(HEAD_DIM)
            )
        x = linear(x_attn, params[f"layer{li}.attn_wo"])
        x = [a + b for a, b in zip(x, x_residual)]
        x_residual = x
        x = rmsnorm(x)
        x = linear(x, params[f"layer{li}.mlp_fc1"])
        x = [xi.relu() ** 2 for xi in x]  # squared ReLU
        x = linear(x, params[f"layer{li}.mlp_fc2"])
        x = [a + b for a, b in zip(x, x_residual)]
    return linear(x, params["lm_head"])


def loss(params: Params, tokens: list[int]) -> Any:
    """The mean cross-entropy of predicting each next token of one name."""
    n = min(BLOCK_SIZE, len(tokens) - 1)
    keys: list[list[Any]] = [[] for _ in range(N_LAYER)]
    values: list[list[Any]] = [[] for _ in range(N_LAYER)]
    losses = []
    for pos_id in range(n):
        logits = gpt(params, tokens[pos_id], pos_id, keys, values)
        probs = softmax(logits)
        losses.append(-probs[tokens[pos_id + 1]].log())
    return (1 / n) * sum(losses)
