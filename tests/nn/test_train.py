import pytest

import nn
from nn import MLP, SGD, losses


def test_fit_returns_one_history_entry_per_epoch_and_learns():
    X, y = nn.make_moons(60, noise=0.1, seed=0)
    model = MLP(2, [8, 1], seed=0)
    h = nn.fit(model, X[:40], y[:40], loss="binary_cross_entropy_with_logits", epochs=15, batch_size=10,
               validation=(X[40:], y[40:]), seed=0, progress=False)
    assert isinstance(h, dict)
    assert set(h) == {"loss", "accuracy", "val_loss", "val_accuracy", "running_loss", "running_accuracy"}
    assert all(len(v) == 15 for v in h.values())
    assert h["loss"][-1] < h["loss"][0] and h["accuracy"][-1] > 0.8
    assert h["val_accuracy"][-1] == nn.accuracy(nn.predict(model, X[40:]), y[40:])


def test_full_batch_fit_reports_the_loss_before_each_step():
    X, y = [[0.0], [1.0]], [0.0, 2.0]
    model = MLP(1, [1], seed=0)
    before = losses.mse(nn.predict(model, X), y).data
    h = nn.fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=2, progress=False)
    # running_loss: measured before each step, so a full-batch epoch 1 is the untrained loss
    assert h["running_loss"][0] == pytest.approx(before) and "accuracy" not in h  # regression: no accuracy
    assert h["loss"][0] < before  # after the step


def test_epoch_loss_and_accuracy_are_the_whole_training_set_after_the_epoch():
    # issue 13: fit reported the average over the epoch's batches, each measured before its step
    X, y = nn.make_circles(120, noise=0.08, factor=0.5, seed=0)
    model = MLP(2, [4, 6, 1], activation="relu", output_activation="sigmoid", seed=1)
    seen = []

    def after_epoch(epoch, history):
        if epoch:
            outs = nn.predict(model, X)
            seen.append((losses.binary_cross_entropy(outs, y).data, nn.accuracy(outs, y, threshold=0.5)))

    h = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=4, batch_size=16,
               seed=0, progress=False, callbacks=[after_epoch])
    assert h["loss"] == pytest.approx([s[0] for s in seen], rel=1e-12)
    assert h["accuracy"] == [s[1] for s in seen]
    assert h["running_loss"] != pytest.approx(h["loss"])  # the old measure, kept under its own name
    assert set(h) == {"loss", "accuracy", "running_loss", "running_accuracy"}


def test_callbacks_see_epoch_0_before_training_then_each_epoch_and_bad_ones_are_named():
    X, y = nn.make_moons(20, seed=0)
    calls = []
    nn.fit(MLP(2, [3, 1], seed=0), X, y, loss="bce_with_logits", epochs=3, progress=False,
           callbacks=[lambda e, h: calls.append((e, len(h["loss"])))])
    assert calls == [(0, 0), (1, 1), (2, 2), (3, 3)]
    with pytest.raises(TypeError, match="callbacks.*item 0 is a int"):
        nn.fit(MLP(2, [3, 1], seed=0), X, y, epochs=1, progress=False, callbacks=[3])
    with pytest.raises(TypeError, match="fit\\(callbacks\\) must be a list"):
        nn.fit(MLP(2, [3, 1], seed=0), X, y, epochs=1, progress=False, callbacks=print)


def test_fit_is_reproducible_with_a_seed():
    X, y = nn.make_blobs(30, centers=3, seed=0)

    def run():
        m = MLP(2, [4, 3], seed=1)
        return nn.fit(m, X, y, loss=losses.cross_entropy, epochs=3, batch_size=8, seed=5, progress=False), m

    (h1, m1), (h2, m2) = run(), run()
    assert h1 == h2 and m1.state_dict() == m2.state_dict()


def test_progress_bar_shows_loss_and_accuracy_and_tqdm_disable_silences_it(capsys, monkeypatch):
    X, y = nn.make_moons(20, seed=0)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    nn.fit(MLP(2, [4, 1], seed=0), X, y, loss="bce_with_logits", epochs=2)
    err = capsys.readouterr().err
    assert "loss=" in err and "accuracy=" in err and "2/2" in err
    monkeypatch.setenv("TQDM_DISABLE", "1")
    nn.fit(MLP(2, [4, 1], seed=0), X, y, loss="bce_with_logits", epochs=2)
    assert capsys.readouterr().err == ""


def test_accuracy_rules():
    assert nn.accuracy([0.3, -0.2, 2.0], [1, -1, -1]) == pytest.approx(2 / 3)  # labels ±1
    assert nn.accuracy([0.7, 0.2], [1, 0], threshold=0.5) == 1.0  # probabilities, labels 0/1
    assert nn.accuracy([[0.1, 2.0, 0.3], [5.0, 0.0, 0.0]], [1, 2]) == 0.5  # argmax


def test_accuracy_with_one_hot_targets_compares_argmaxes():
    np = pytest.importorskip("numpy")
    outs = [[0.1, 2.0, 0.3], [5.0, 0.0, 0.0], [0.0, 0.2, 0.9]]
    one_hot = [[0, 1, 0], [0, 0, 1], [0.0, 0.0, 1.0]]
    assert nn.accuracy(outs, one_hot) == pytest.approx(2 / 3)
    assert nn.accuracy(outs, [tuple(t) for t in one_hot]) == pytest.approx(2 / 3)
    assert nn.accuracy(outs, np.array(one_hot)) == pytest.approx(2 / 3)
    assert nn.accuracy([0.7, [0.2]], [[1], np.array([0.0])], threshold=0.5) == 1.0  # one output, (n, 1) targets
    with pytest.raises(ValueError, match="output 0 has 3 values but its target has 2"):
        nn.accuracy(outs[:1], [[0, 1]])


def test_fit_tracks_accuracy_on_one_hot_targets_with_mse():
    X, y = nn.make_blobs(60, centers=3, cluster_std=0.5, seed=0)
    X = nn.StandardScaler().fit_transform(X)
    one_hot = [[1.0 if j == t else 0.0 for j in range(3)] for t in y]
    model = MLP(2, [8, 3], seed=0)
    h = nn.fit(model, X, one_hot, loss="mse", epochs=20, batch_size=16, seed=0, track_accuracy=True,
               validation=(X, one_hot), optimizer=nn.Adam(model.parameters(), lr=0.02), progress=False)
    assert h["accuracy"][-1] > 0.9 and h["val_accuracy"][-1] > 0.9  # was 0: argmax compared with a list
    assert h["val_accuracy"][-1] == nn.accuracy(nn.predict(model, X), y)


def test_predict_builds_no_graph():
    out = nn.predict(MLP(2, [3, 2], seed=0), [[1.0, 2.0]])
    assert isinstance(out[0], list) and all(isinstance(v, float) for v in out[0])


def test_bad_fit_arguments():
    m = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        nn.fit(m, [[1.0, 2.0]], [1], loss="l1", progress=False)
    with pytest.raises(ValueError, match="1 rows but y has 2"):
        nn.fit(m, [[1.0, 2.0]], [1, 0], loss="mse", progress=False)
    with pytest.raises(ValueError, match="epochs"):
        nn.fit(m, [[1.0, 2.0]], [1], loss="mse", epochs=-1, progress=False)
    with pytest.raises(TypeError, match="optimizer"):
        nn.fit(m, [[1.0, 2.0]], [1], loss="mse", optimizer="adam", progress=False)


def test_fit_pauses_the_collector_in_each_step_and_collects_the_cycles_a_loss_makes():
    import gc
    import weakref

    class Record:
        pass

    seen, cycles = [], []

    def loss(outputs, targets):  # a user's loss that makes a reference cycle on every call
        seen.append(gc.isenabled())
        r = Record()
        r.me = r
        cycles.append(weakref.ref(r))
        return losses.mse(outputs, targets)

    X = [[0.1 * i, -0.2 * i] for i in range(8)]
    y = [0.5 * i for i in range(8)]
    assert gc.isenabled()
    nn.fit(MLP(2, [3, 1], seed=0), X, y, loss=loss, epochs=3, batch_size=4, progress=False)
    assert seen == [False] * 9 and gc.isenabled()  # 6 steps, 3 after-epoch measures on the training set
    assert all(ref() is None for ref in cycles)  # each step's cycle, collected when its pause ended
