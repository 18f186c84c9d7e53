import math

import pytest

from autograd import Value
from nn import MLP, SGD, Adagrad, Adam, AdamW, CosineLR, RMSprop, StepLR

START = [0.5, -1.5, 2.0, 0.1]
STEPS = 25


def objective(p, mul, sin):
    # a smooth non-quadratic function of 4 parameters, written for Values and for tensors alike
    a, b, c, d = p
    return (a - 1) * (a - 1) + mul(b, c) * 0.5 + sin(d) * 2 + (c * c) * (d * d) * 0.25 + a * b * 0.1


def our_trajectory(make, lr_schedule=None):
    params = [Value(x) for x in START]
    opt = make(params)
    seen = []
    for _ in range(STEPS):
        loss = objective(params, lambda x, y: x * y, lambda x: x.sin())
        opt.zero_grad()
        loss.backward()
        opt.step()
        seen.append([p.data for p in params])
    return seen


def torch_trajectory(make, scheduler=None):
    torch = pytest.importorskip("torch")
    params = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in START]
    opt = make(torch.optim, params)
    sched = scheduler(torch.optim.lr_scheduler, opt) if scheduler else None
    seen = []
    for _ in range(STEPS):
        loss = objective(params, lambda x, y: x * y, torch.sin)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched:
            sched.step()
        seen.append([p.item() for p in params])
    return seen


CASES = {
    "sgd": (lambda p: SGD(p, lr=0.05), lambda o, p: o.SGD(p, lr=0.05)),
    "sgd_momentum": (lambda p: SGD(p, lr=0.05, momentum=0.9), lambda o, p: o.SGD(p, lr=0.05, momentum=0.9)),
    "sgd_nesterov_wd": (
        lambda p: SGD(p, lr=0.05, momentum=0.8, weight_decay=0.01, nesterov=True),
        lambda o, p: o.SGD(p, lr=0.05, momentum=0.8, weight_decay=0.01, nesterov=True),
    ),
    "sgd_dampening": (
        lambda p: SGD(p, lr=0.05, momentum=0.5, dampening=0.3),
        lambda o, p: o.SGD(p, lr=0.05, momentum=0.5, dampening=0.3),
    ),
    "adam": (lambda p: Adam(p, lr=0.1), lambda o, p: o.Adam(p, lr=0.1)),
    "adam_wd": (
        lambda p: Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
        lambda o, p: o.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    ),
    "adamw": (lambda p: AdamW(p, lr=0.05), lambda o, p: o.AdamW(p, lr=0.05)),
    "adamw_wd": (lambda p: AdamW(p, lr=0.05, weight_decay=0.3), lambda o, p: o.AdamW(p, lr=0.05, weight_decay=0.3)),
    "rmsprop": (lambda p: RMSprop(p, lr=0.01), lambda o, p: o.RMSprop(p, lr=0.01)),
    "rmsprop_all": (
        lambda p: RMSprop(p, lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.7, centered=True),
        lambda o, p: o.RMSprop(p, lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.7, centered=True),
    ),
    "rmsprop_centered": (lambda p: RMSprop(p, lr=0.01, centered=True),
                         lambda o, p: o.RMSprop(p, lr=0.01, centered=True)),
    "rmsprop_momentum": (lambda p: RMSprop(p, lr=0.01, momentum=0.9), lambda o, p: o.RMSprop(p, lr=0.01, momentum=0.9)),
    "adagrad": (lambda p: Adagrad(p, lr=0.1), lambda o, p: o.Adagrad(p, lr=0.1)),
    "adagrad_all": (
        lambda p: Adagrad(p, lr=0.2, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6),
        lambda o, p: o.Adagrad(p, lr=0.2, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6),
    ),
}


def close(ours, theirs):
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert a == pytest.approx(b, rel=1e-10, abs=1e-12), f"step {k}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_trajectory_matches_torch_optim(name):
    ours, theirs = CASES[name]
    close(our_trajectory(ours), torch_trajectory(theirs))


@pytest.mark.parametrize("name", ["sgd_nesterov_wd", "rmsprop_all", "adagrad_all", "adam_wd"])
def test_an_mlp_trained_step_by_step_matches_torch_on_every_parameter_shape(name):
    # weight matrices (4×3, 2×4) and bias vectors (4, 2): each entry keeps its own optimizer state
    torch = pytest.importorskip("torch")
    ours_make, theirs_make = CASES[name]
    model = MLP(3, [4, 2], activation="tanh", seed=1)
    twin = model.to_torch()
    opt, topt = ours_make(model.parameters()), theirs_make(torch.optim, list(twin.parameters()))
    X = [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1]]
    Y = [[1.0, -1.0], [0.0, 0.5], [-0.5, 0.2]]
    for _ in range(12):
        out = model.batch(X)
        loss = sum(((o - t) ** 2 for row, ys in zip(out, Y) for o, t in zip(row, ys)), 0.0) * (1 / 6)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tloss = ((twin(torch.tensor(X, dtype=torch.float64)) - torch.tensor(Y, dtype=torch.float64)) ** 2).mean()
        topt.zero_grad()
        tloss.backward()
        topt.step()
    mine = model.to_torch().state_dict()
    for key, value in twin.state_dict().items():
        assert mine[key].flatten().tolist() == pytest.approx(value.flatten().tolist(), rel=1e-9, abs=1e-12), key


def test_rmsprop_and_adagrad_first_steps_by_hand():
    # RMSprop, α = 0.5: v = 0.5·g² = 2 for g = 2, step lr·g/(√v + ε) = 0.1·2/√2 = 0.1·√2
    p = Value(1.0)
    opt = RMSprop([p], lr=0.1, alpha=0.5, eps=0.0)
    p.grad = 2.0
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.1 * math.sqrt(2)) and opt.v == [2.0]
    p.grad = 2.0  # v = 0.5·2 + 0.5·4 = 3
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.1 * math.sqrt(2) - 0.2 / math.sqrt(3))
    # centred, α = 0.5, g = 2: ḡ = 1, ṽ = 2 − 1 = 1, step 0.1·2/1
    q = Value(0.0)
    opt = RMSprop([q], lr=0.1, alpha=0.5, eps=0.0, centered=True)
    q.grad = 2.0
    opt.step()
    assert q.data == pytest.approx(-0.2) and opt.g_avg == [1.0]
    # Adagrad: s = 1 + 3² = 10, step 0.5·3/√10; then s = 10 + 1², lr/(1 + 1·lr_decay) = 0.5/2
    r = Value(0.0)
    opt = Adagrad([r], lr=0.5, lr_decay=1.0, initial_accumulator_value=1.0, eps=0.0)
    r.grad = 3.0
    opt.step()
    assert r.data == pytest.approx(-1.5 / math.sqrt(10)) and opt.sums == [10.0]
    r.grad = 1.0
    opt.step()
    assert r.data == pytest.approx(-1.5 / math.sqrt(10) - 0.25 / math.sqrt(11))


def test_step_schedule_matches_torch_steplr():
    close(our_trajectory(lambda p: SGD(p, lr=StepLR(0.1, step_size=7, gamma=0.5), momentum=0.9)),
          torch_trajectory(lambda o, p: o.SGD(p, lr=0.1, momentum=0.9), lambda s, o: s.StepLR(o, 7, gamma=0.5)))


def test_cosine_schedule_matches_torch_cosine_annealing():
    close(our_trajectory(lambda p: Adam(p, lr=CosineLR(0.1, T_max=STEPS, eta_min=0.01))),
          torch_trajectory(lambda o, p: o.Adam(p, lr=0.1), lambda s, o: s.CosineAnnealingLR(o, STEPS, eta_min=0.01)))


def test_any_callable_is_a_schedule_and_lr_reports_the_next_rate():
    p = Value(1.0)
    opt = SGD([p], lr=lambda k: 1.0 - 0.9 * k / 100)
    assert opt.lr == 1.0
    p.grad = 1.0
    opt.step()
    assert p.data == 0.0 and opt.lr == pytest.approx(0.991)
    assert StepLR(1.0, 2, 0.5)(5) == 0.25
    assert CosineLR(1.0, 10)(10) == pytest.approx(0.0, abs=1e-15) and CosineLR(1.0, 10)(5) == pytest.approx(0.5)


def test_zero_grad_clears_every_parameter():
    ps = [Value(1.0), Value(2.0)]
    for p in ps:
        p.grad = 3.0
    Adam(ps).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_a_model_or_its_parameters_method_instead_of_the_list_says_to_call_parameters():
    from nn import MLP

    model = MLP(2, [3, 1], seed=0)
    for wrong in (model.parameters, model):
        with pytest.raises(TypeError, match=r"SGD\(params\) must be a list of Values.*call parameters\(\)"):
            SGD(wrong, 0.1)
    with pytest.raises(TypeError, match=r"Adam\(params\) must be a list of Values, got int"):
        Adam(5)


def test_bad_arguments_raise_naming_the_argument():
    with pytest.raises(ValueError, match=r"SGD\(params\) is empty"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match=r"params\)\[1\]"):
        SGD([Value(1.0), 2.0], lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        SGD([Value(1.0)], lr=-1.0)
    with pytest.raises(ValueError, match="momentum"):
        SGD([Value(1.0)], lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="nesterov"):
        SGD([Value(1.0)], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"betas\[1\]"):
        Adam([Value(1.0)], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match=r"RMSprop\(alpha\) must be in \[0.0, 1.0\], got 1.5"):
        RMSprop([Value(1.0)], alpha=1.5)
    with pytest.raises(ValueError, match=r"RMSprop\(momentum\) must be ≥ 0"):
        RMSprop([Value(1.0)], momentum=-0.1)
    with pytest.raises(ValueError, match=r"RMSprop\(eps\)"):
        RMSprop([Value(1.0)], eps=-1e-8)
    with pytest.raises(TypeError, match=r"RMSprop\(centered\) must be True or False"):
        RMSprop([Value(1.0)], centered="yes")
    with pytest.raises(ValueError, match=r"Adagrad\(lr_decay\) must be ≥ 0"):
        Adagrad([Value(1.0)], lr_decay=-0.1)
    with pytest.raises(ValueError, match=r"Adagrad\(initial_accumulator_value\) must be ≥ 0"):
        Adagrad([Value(1.0)], initial_accumulator_value=-1.0)
    with pytest.raises(TypeError, match=r"Adagrad\(weight_decay\) must be a number"):
        Adagrad([Value(1.0)], weight_decay="0.1")
    with pytest.raises(ValueError, match=r"Adagrad\(eps\) must be a finite number"):
        Adagrad([Value(1.0)], eps=math.inf)
    with pytest.raises(ValueError, match="schedule gave nan"):
        p = Value(1.0)
        SGD([p], lr=lambda k: math.nan).step()


STATE = ("m", "v", "buffers", "g_avg", "sums")  # every optimizer's per-parameter state lists


# ---------------------------------------------------------------- public attributes: work when assigned, or refuse
def one_step(opt, p):
    p.grad = 1.0
    before = p.data
    opt.step()
    return before - p.data


def test_lr_assigned_a_number_or_a_schedule_is_used_by_the_next_step():
    p = Value(0.0)
    opt = SGD([p], lr=0.1)
    opt.lr = 0.5
    assert opt.lr == 0.5 and opt.schedule is None and one_step(opt, p) == 0.5
    opt.lr = lambda k: 0.25
    assert opt.schedule is not None and one_step(opt, p) == 0.25
    with pytest.raises(ValueError, match=r"SGD.lr must be ≥ 0"):
        opt.lr = -1.0


def test_hyperparameters_assigned_are_used_by_the_next_step():
    p, q = Value(0.0), Value(0.0)
    a, b = SGD([p], lr=0.1), SGD([q], lr=0.1, momentum=0.9, weight_decay=0.5)
    a.momentum, a.weight_decay = 0.9, 0.5
    for _ in range(3):
        assert one_step(a, p) == one_step(b, q)
    p, q = Value(0.0), Value(0.0)
    a, b = Adam([p], lr=0.1), Adam([q], lr=0.1, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.1)
    a.betas, a.eps, a.weight_decay = (0.5, 0.9), 1e-3, 0.1
    for _ in range(3):
        assert one_step(a, p) == one_step(b, q)
    p, q = Value(0.0), Value(0.0)
    a, b = RMSprop([p], lr=0.1), RMSprop([q], lr=0.1, alpha=0.5, eps=1e-3, weight_decay=0.1, momentum=0.5,
                                         centered=True)
    a.alpha, a.eps, a.weight_decay, a.momentum, a.centered = 0.5, 1e-3, 0.1, 0.5, True
    for _ in range(3):
        assert one_step(a, p) == one_step(b, q)
    p, q = Value(0.0), Value(0.0)
    a, b = Adagrad([p], lr=0.1), Adagrad([q], lr=0.1, lr_decay=0.5, weight_decay=0.1, eps=1e-3)
    a.lr_decay, a.weight_decay, a.eps = 0.5, 0.1, 1e-3
    for _ in range(3):
        assert one_step(a, p) == one_step(b, q)


def test_params_and_schedule_are_read_only_and_say_what_to_do():
    opt = Adam([Value(1.0)])
    with pytest.raises(AttributeError, match=r"Adam.params is read-only.*build a new Adam"):
        opt.params = [Value(2.0)]
    with pytest.raises(AttributeError, match=r"Adam.schedule is read-only.*assign lr"):
        opt.schedule = lambda k: 0.1


def test_schedule_attributes_assigned_are_used():
    s = StepLR(1.0, 2, 0.5)
    s.gamma, s.step_size, s.base = 0.1, 1, 2.0
    assert s(2) == pytest.approx(2.0 * 0.1**2)
    c = CosineLR(1.0, 10)
    c.T_max, c.eta_min, c.base = 4, 0.5, 2.0
    assert c(4) == pytest.approx(0.5) and c(0) == 2.0


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: Adam(ps, lr=0.1), lambda ps: AdamW(ps, lr=0.1),
                                  lambda ps: RMSprop(ps, lr=0.1, momentum=0.9, centered=True),
                                  lambda ps: Adagrad(ps, lr=0.1)])
def test_a_step_after_backward_with_create_graph_keeps_the_data_floats(make):
    # the grads are Values then; torch's optimizers update with the numbers, and so do ours
    params = [Value(0.5), Value(-1.5)]
    opt = make(params)
    for _ in range(2):
        opt.zero_grad()
        (params[0] * params[0] * params[1]).backward(create_graph=True)
        opt.step()
    state = [x for name in STATE for x in (getattr(opt, name, None) or [])]
    assert all(type(x) is float for x in [p.data for p in params] + state)


@pytest.mark.parametrize("cls", [SGD, Adam, AdamW, RMSprop, Adagrad])
def test_the_same_parameter_twice_is_refused(cls):
    # torch warns ("in future, this will cause an error") and then updates it twice
    p, q = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match=r"params\[2\] is params\[0\]"):
        cls([p, q, p], lr=0.1)


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: Adam(ps, lr=0.1), lambda ps: AdamW(ps, lr=0.1),
                                  lambda ps: RMSprop(ps, lr=0.1, momentum=0.9, centered=True),
                                  lambda ps: Adagrad(ps, lr=0.1)])
def test_a_step_that_fails_part_way_changes_nothing(make):
    params = [Value(0.5), Value(-1.5), Value(2.0)]
    opt = make(params)
    for p in params:
        p.grad = 1.0
    opt.step()
    before = ([p.data for p in params], opt.steps, [list(getattr(opt, name, None) or []) for name in STATE])
    params[0].grad, params[2].grad = 0.5, None  # the third parameter's grad is not a number
    with pytest.raises(TypeError, match=r"params\[2\]"):
        opt.step()
    after = ([p.data for p in params], opt.steps, [list(getattr(opt, name, None) or []) for name in STATE])
    assert after == before
