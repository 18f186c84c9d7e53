"""nn.gpt: each block against a hand-written float reference, the whole model against
central differences, PyTorch (float64) and the benchmark's minimal engine; files, sampling, training."""

import json
import math
import os
import random
import re
import sys

import pytest

import nn
from autograd import Value
from nn.gpt import GPT, CausalSelfAttention, Embedding, FeedForward, KVCache, Linear, RMSNorm, softmax, train_gpt

BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "benchmarks")


def values(xs):
    return [Value(x) for x in xs]


def data(vs):
    return [v.data for v in vs]


def close(a, b, tol=1e-12):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert math.isclose(x, y, rel_tol=tol, abs_tol=tol), (x, y)


# ---------------------------------------------------------------- float references, written from the math
def ref_linear(W, x):
    return [sum(w * xi for w, xi in zip(row, x)) for row in W]


def ref_rmsnorm(x):
    s = (sum(xi * xi for xi in x) / len(x) + 1e-5) ** -0.5
    return [xi * s for xi in x]


def ref_softmax(z):
    e = [math.exp(zi - max(z)) for zi in z]
    return [ei / sum(e) for ei in e]


def ref_attention(Wq, Wk, Wv, Wo, xs, n_head):
    """Causal attention over the whole sequence xs at once: outputs at every position."""
    Q, K, V = ([ref_linear(W, x) for x in xs] for W in (Wq, Wk, Wv))
    d = len(xs[0]) // n_head
    outs = []
    for t in range(len(xs)):
        joined = []
        for h in range(n_head):
            s = slice(h * d, (h + 1) * d)
            a = ref_softmax([sum(q * k for q, k in zip(Q[t][s], K[u][s])) / math.sqrt(d) for u in range(t + 1)])
            joined += [sum(a[u] * V[u][s][j] for u in range(t + 1)) for j in range(d)]
        outs.append(ref_linear(Wo, joined))
    return outs


def ref_loss(M, tokens, n_head):
    """The whole model on floats, from matrices()."""
    n_layer = sum(k.endswith("attn_wq") for k in M)
    n = min(len(M["wpe"]), len(tokens) - 1)
    xs = [ref_rmsnorm([a + b for a, b in zip(M["wte"][tokens[p]], M["wpe"][p])]) for p in range(n)]
    for i in range(n_layer):
        L = {k.split(".")[1]: v for k, v in M.items() if k.startswith(f"layer{i}.")}
        att = ref_attention(L["attn_wq"], L["attn_wk"], L["attn_wv"], L["attn_wo"], [ref_rmsnorm(x) for x in xs],
                            n_head)
        xs = [[a + b for a, b in zip(x, y)] for x, y in zip(xs, att)]
        ff = [ref_linear(L["mlp_fc2"], [max(0.0, h) for h in ref_linear(L["mlp_fc1"], ref_rmsnorm(x))]) for x in xs]
        xs = [[a + b for a, b in zip(x, y)] for x, y in zip(xs, ff)]
    total = 0.0
    for p, x in enumerate(xs):
        z = ref_linear(M["lm_head"], x)
        total += -math.log(ref_softmax(z)[tokens[p + 1]])
    return total / n


# ---------------------------------------------------------------- blocks
def test_embedding_returns_its_rows_and_names_its_parameters():
    e = Embedding(5, 3, rng=random.Random(0), name="wte")
    assert e(2) is e.weight[2] and len(e(4)) == 3
    assert [n for n, _ in e.named_parameters()][:4] == ["wte.0.0", "wte.0.1", "wte.0.2", "wte.1.0"]
    assert e.weight[1][2].label == "wte.1.2"
    with pytest.raises(ValueError, match="index 5 is out of range"):
        e(5)
    with pytest.raises(TypeError, match="must be an int"):
        e(1.0)


def test_linear_is_rows_of_dot_products_without_bias():
    lin = Linear(3, 2, rng=random.Random(1), name="w")
    x = [0.5, -1.0, 2.0]
    out = lin(values(x))
    close(data(out), ref_linear([data(r) for r in lin.weight], x))
    assert all(o.op == "dot" for o in out) and lin.num_parameters() == 6
    with pytest.raises(ValueError, match="expected 3 inputs, got 2"):
        lin(values([1.0, 2.0]))


def test_rmsnorm_divides_by_the_root_mean_square():
    x = [3.0, -4.0, 0.5, 1.0]
    close(data(RMSNorm()(values(x))), ref_rmsnorm(x))
    y = data(RMSNorm()(values([1e3, -1e3])))
    close(y, [1.0, -1.0], tol=1e-9)


def test_softmax_sums_to_one_and_never_overflows():
    close(data(softmax(values([1.0, 2.0, 3.0]))), ref_softmax([1.0, 2.0, 3.0]))
    p = data(softmax(values([1000.0, 0.0, -1000.0])))
    assert p[0] == 1.0 and math.isclose(sum(p), 1.0)


def test_attention_one_position_at_a_time_equals_the_whole_sequence_at_once():
    rng = random.Random(2)
    att = CausalSelfAttention(8, 2, rng=rng)
    xs = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(4)]
    keys, vals = [], []
    outs = [data(att(values(x), keys, vals)) for x in xs]
    W = [[data(r) for r in lin.weight] for lin in (att.wq, att.wk, att.wv, att.wo)]
    for got, want in zip(outs, ref_attention(*W, xs, 2)):
        close(got, want)
    assert len(keys) == len(vals) == 4


def test_the_gradient_flows_through_the_kv_cache():
    rng = random.Random(3)
    att = CausalSelfAttention(4, 1, rng=rng)
    first = values([rng.gauss(0, 1) for _ in range(4)])
    keys, vals = [], []
    att(first, keys, vals)
    out = att(values([rng.gauss(0, 1) for _ in range(4)]), keys, vals)  # only the second output is the loss
    out[0].backward()
    assert any(abs(x.grad) > 1e-6 for x in first)  # the earlier position's input, reached through its key and value


def test_feed_forward_is_four_times_wider_with_relu():
    ff = FeedForward(3, rng=random.Random(4))
    assert (ff.fc1.n_out, ff.fc2.n_in) == (12, 12)
    x = [0.3, -0.7, 1.1]
    W1, W2 = [data(r) for r in ff.fc1.weight], [data(r) for r in ff.fc2.weight]
    close(data(ff(values(x))), ref_linear(W2, [max(0.0, h) for h in ref_linear(W1, x)]))


# ---------------------------------------------------------------- the model
def tiny(seed=0, **kw):
    cfg = dict(vocab_size=5, n_embd=4, n_head=2, n_layer=2, block_size=4)
    cfg.update(kw)
    return GPT(**cfg, seed=seed)


def test_the_default_model_has_the_references_4192_parameters_and_names():
    m = GPT(27, seed=0)
    assert m.num_parameters() == 4192
    shapes = m.shapes()
    assert list(shapes) == ["wte", "wpe", "lm_head", "layer0.attn_wq", "layer0.attn_wk", "layer0.attn_wv",
                            "layer0.attn_wo", "layer0.mlp_fc1", "layer0.mlp_fc2"]
    assert shapes["layer0.mlp_fc1"] == (64, 16) and shapes["layer0.mlp_fc2"] == (16, 64)
    assert m.layers[0].attn.wq.weight[3][7].label == "layer0.attn_wq.3.7"
    assert list(m.state_dict())[0] == "wte.0.0"


def test_loss_equals_the_float_reference():
    m = tiny()
    tokens = [4, 0, 1, 2, 4]
    assert math.isclose(m.loss(tokens).data, ref_loss(m.matrices(), tokens, 2), rel_tol=1e-12)


def test_a_document_longer_than_the_block_is_cut_to_its_first_block_size_positions():
    m = tiny(block_size=3)
    long = [4, 0, 1, 2, 3, 0, 4]
    assert m.loss(long).data == m.loss(long[:4]).data  # positions 0, 1, 2 predict tokens 1, 2, 3
    big = GPT.from_matrices({**m.matrices(), "wpe": m.matrices()["wpe"] * 3}, n_head=2)  # block 9: no cut
    assert big.loss(long).data != m.loss(long).data
    assert math.isclose(m.loss(long).data, ref_loss(m.matrices(), long, 2), rel_tol=1e-12)


def test_whole_model_gradients_match_central_differences():
    m = tiny(seed=5)
    tokens = [4, 1, 3, 4]
    loss = m.loss(tokens)
    loss.backward()
    h = 1e-6
    for p in m.parameters()[::3]:
        x = p.data
        p.data = x + h
        up = m.loss(tokens).data
        p.data = x - h
        down = m.loss(tokens).data
        p.data = x
        assert math.isclose(p.grad, (up - down) / (2 * h), rel_tol=1e-5, abs_tol=1e-8), p.label


def torch_loss(torch, M, tokens, n_head):
    """The model in PyTorch float64, from the matrices, one position at a time."""
    T = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in M.items()}
    n_layer = sum(k.endswith("attn_wq") for k in M)
    n = min(len(M["wpe"]), len(tokens) - 1)

    def norm(x):
        return x * ((x * x).mean() + 1e-5) ** -0.5

    keys, vals, losses = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)], []
    for p in range(n):
        x = norm(T["wte"][tokens[p]] + T["wpe"][p])
        for i in range(n_layer):
            L = {k.split(".")[1]: v for k, v in T.items() if k.startswith(f"layer{i}.")}
            h = norm(x)
            q, k, v = L["attn_wq"] @ h, L["attn_wk"] @ h, L["attn_wv"] @ h
            keys[i].append(k)
            vals[i].append(v)
            K, V = torch.stack(keys[i]), torch.stack(vals[i])
            d = len(q) // n_head
            heads = []
            for hh in range(n_head):
                s = slice(hh * d, (hh + 1) * d)
                a = torch.softmax(K[:, s] @ q[s] / math.sqrt(d), dim=0)
                heads.append(a @ V[:, s])
            x = x + L["attn_wo"] @ torch.cat(heads)
            x = x + L["mlp_fc2"] @ torch.relu(L["mlp_fc1"] @ norm(x))
        z = T["lm_head"] @ x
        losses.append(torch.nn.functional.cross_entropy(z[None], torch.tensor([tokens[p + 1]])))
    loss = torch.stack(losses).mean()
    loss.backward()
    return loss.item(), {k: t.grad.tolist() for k, t in T.items()}


def test_whole_model_gradients_match_pytorch_float64():
    torch = pytest.importorskip("torch")
    m = tiny(seed=6, block_size=5)
    tokens = [4, 2, 0, 3, 1, 4]
    loss = m.loss(tokens)
    loss.backward()
    want_loss, want = torch_loss(torch, m.matrices(), tokens, 2)
    assert math.isclose(loss.data, want_loss, rel_tol=1e-12)
    got = m.matrices(grads=True)
    for name in want:
        for r1, r2 in zip(got[name], want[name]):
            close(r1, r2, tol=1e-10)


def test_loss_and_gradients_equal_the_minimal_engines_on_the_same_weights():
    sys.path.insert(0, BENCHMARKS)
    try:
        import gpt as bench_gpt
    finally:
        sys.path.remove(BENCHMARKS)
    m = tiny(seed=7)
    M = m.matrices()
    loaded = GPT.from_matrices(M, n_head=2)
    tokens = [4, 3, 3, 0, 4]
    loss = loaded.loss(tokens)
    loss.backward()
    mini_loss, mini_grads = bench_gpt.MiniStep(M, 2, 4)(tokens)
    assert math.isclose(loss.data, mini_loss, rel_tol=1e-12)
    ours = [g for W in loaded.matrices(grads=True).values() for row in W for g in row]
    close(ours, mini_grads)


# ---------------------------------------------------------------- matrices, files
def test_matrices_round_trip():
    m = tiny(seed=8)
    m2 = GPT.from_matrices(m.matrices(), n_head=2)
    assert m2.matrices() == m.matrices() and m2.architecture() == m.architecture()
    assert json.loads(json.dumps(m.matrices())) == m.matrices()


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("layer1.mlp_fc1"), "'layer1.mlp_fc1' is missing"),
    (lambda d: d.update(extra=[[1.0]]), "unexpected matrix 'extra'"),
    (lambda d: d["layer0.attn_wk"].pop(), "'layer0.attn_wk' is 3 × 4, expected 4 × 4"),
    (lambda d: d["lm_head"][1].append(0.0), "'lm_head': row 1 has 5 numbers"),
    (lambda d: d["wpe"][0].__setitem__(0, math.nan), r"wpe\[0\]\[0\] is not finite"),
    (lambda d: d["wte"][0].__setitem__(1, "x"), r"wte\[0\]\[1\] must be a number"),
])
def test_from_matrices_names_the_bad_matrix(change, message):
    d = tiny().matrices()
    change(d)
    with pytest.raises(ValueError, match=message):
        GPT.from_matrices(d, n_head=2)


def test_save_and_load_round_trip_atomically(tmp_path):
    m = tiny(seed=9)
    path = tmp_path / "gpt.json"
    m.save(path, chars="abcd")
    m2, chars = nn.gpt.load_gpt(path)
    assert m2.matrices() == m.matrices() and chars == "abcd"
    assert [p.name for p in tmp_path.iterdir()] == ["gpt.json"]  # no temp file left behind
    assert GPT.load(path).loss([4, 1, 4]).data == m.loss([4, 1, 4]).data


@pytest.mark.parametrize("edit, message", [
    (lambda t: t[: len(t) // 2], "not valid JSON"),
    (lambda t: t.replace('"chainrule.nn.gpt"', '"chainrule.nn"'), "not a chainrule GPT file"),
    (lambda t: t.replace('"n_layer": 2', '"n_layer": 4000'), "do not match its architecture"),
    (lambda t: t.replace('"n_embd": 4', '"n_embd": 100000000'), "sizes 1 … 4096"),
    (lambda t: t.replace("0.", "NaN, 0.", 1), "not valid JSON: it contains a non-finite number NaN"),
    # read by nn.io's checked reader, as MLP files are
    (lambda t: t.replace('"version": 1', '"version": true'), "has version True; this chainrule reads version 1"),
    (lambda t: "  \n", "GPT model file '.*gpt.json' is empty"),
    (lambda t: "[" * 100_000 + "]" * 100_000, "is not a chainrule GPT file: its JSON is nested too deeply"),
])
def test_a_bad_file_is_a_model_file_error(tmp_path, edit, message):
    path = tmp_path / "gpt.json"
    tiny().save(path)
    path.write_text(edit(path.read_text()))
    with pytest.raises(nn.ModelFileError, match=message):
        GPT.load(path)


# ---------------------------------------------------------------- errors, sampling, training
def test_bad_token_ids_are_clear_errors():
    m = tiny()
    with pytest.raises(ValueError, match=r"tokens\[2\] = 5 is not a token id of this model \(0 … 4\)"):
        m.loss([4, 1, 5, 4])
    with pytest.raises(ValueError, match=r"tokens\[0\] = -1"):
        m.loss([-1, 4])
    with pytest.raises(ValueError, match="at least 2 tokens"):
        m.loss([4])
    with pytest.raises(TypeError, match="list of token ids"):
        m.loss("emma")


def test_sampling_is_deterministic_under_a_seed_and_stops_at_the_end_or_the_block():
    m = tiny(seed=10, block_size=6)
    a = [m.sample(4, seed=s) for s in range(20)]
    assert a == [m.sample(4, seed=s) for s in range(20)]
    assert len({tuple(x) for x in a}) > 3
    assert all(len(x) <= 6 and 4 not in x for x in a)
    assert m.sample(4, temperature=1e-3, seed=1) == m.sample(4, temperature=1e-3, seed=2)  # greedy
    with pytest.raises(ValueError, match="temperature"):
        m.sample(4, temperature=0)


def test_training_from_a_seed_gives_the_same_history_twice_and_lowers_the_loss():
    docs = [[4, 0, 1, 4], [4, 2, 3, 4], [4, 0, 3, 1, 4]]
    h1 = train_gpt(tiny(seed=11), docs, 60, lr=0.05, progress=False)
    h2 = train_gpt(tiny(seed=11), docs, 60, lr=0.05, progress=False)
    assert h1 == h2 and len(h1["loss"]) == 60
    assert sum(h1["loss"][-6:]) < sum(h1["loss"][:6]) - 0.5


def test_attention_weights_are_causal_and_sum_to_one():
    m = tiny(seed=12)
    w = m.attention([4, 0, 1])
    assert len(w) == 2 and len(w[0]) == 2  # layers, heads
    for row_t, row in enumerate(w[1][0]):
        assert len(row) == row_t + 1 and math.isclose(sum(row), 1.0)


def test_plot_attention_writes_a_heatmap(tmp_path):
    pytest.importorskip("matplotlib")
    fig = nn.gpt.plot_attention(tiny(), [4, 0, 1, 2], ["<bos>", "a", "b", "c"], path=tmp_path / "a.png")
    assert len(fig.axes) == 3  # two heads and the colour bar
    assert (tmp_path / "a.png").stat().st_size > 1000


def test_kv_cache_counts_positions():
    c = KVCache(2)
    assert len(c) == 0 and c.keys == [[], []]


# ---------------------------------------------------------------- drawing one position
def test_draw_position_has_a_box_per_module_and_head_and_one_head_drawn_node_by_node():
    import re

    from autograd.draw.labels import COLORS

    model = GPT(27, n_embd=16, n_head=4, n_layer=1, block_size=16, seed=0)
    tokens = [26, 4, 12, 12, 0, 26]
    g = model.draw_position(tokens, 3, expand_head=1)
    boxes = set(re.findall(r'label="\{ ([\w. 0-9–…]+) \|[^"]*"[^\]]*fillcolor="' + COLORS["group"], g.source))
    assert {"embedding", "norm", "layer0.norm1", "layer0.head0", "layer0.head2", "layer0.head3",
            "layer0.attn_wo", "layer0.norm2", "layer0.mlp", "lm_head", "positions 0–2",
            "layer0.head1.wq", "layer0.head1.wk", "layer0.head1.wv"} <= boxes
    assert "layer0.head1" not in boxes
    assert "cluster" in g.source and 'label="layer0.head1"' in g.source
    # the expanded head's nodes: 4 queries, 4 keys and 4 values (and 3 cached of each), 4 scores, the softmax
    assert len(re.findall(r'label=dot\b', g.source)) >= 4 + 4 * 4 + 4 * 4 + 4 + 4
    assert g.source.count("label=exp") == 4
    assert len(re.findall(r"^\s*\w+ \[", g.source, flags=re.M)) <= 1000  # within the default max_nodes
    with pytest.raises(ValueError, match="position"):
        model.draw_position(tokens, 5)  # no next token to predict
    with pytest.raises(ValueError, match="head"):
        model.draw_position(tokens, 0, expand_head=4)


def test_draw_position_is_the_same_loss_as_the_model():
    model = GPT(27, n_embd=8, n_head=2, n_layer=2, block_size=8, seed=1)
    tokens = [26, 1, 2, 3, 26]
    loss, groups = model.position_graph(tokens, 2)
    cache = nn.gpt.KVCache(2)
    for pos in range(3):
        logits = model(tokens[pos], pos, cache)
    from autograd import logsumexp

    assert math.isclose(loss.data, (logsumexp(logits) - logits[tokens[3]]).data, rel_tol=1e-12)
    assert {"layer1.head1", "layer1.mlp", "layer0.residual2"} <= set(groups.values())


@pytest.mark.skipif(__import__("shutil").which("dot") is None, reason="needs the system Graphviz (dot)")
def test_a_drawn_position_fits_a_notebook():
    from autograd.draw import render

    model = GPT(27, seed=0)
    g = model.draw_position([26, 4, 12, 12, 0, 26], 3, expand_head=0)
    svg = render.render_source(g.source).decode()
    assert float(re.search(r'<svg width="([\d.]+)pt"', svg)[1]) * 4 / 3 <= 950
    png = render.render_source(g.source, "png")
    assert int.from_bytes(png[16:20], "big") <= 950
