"""What ``fit(..., live=True)`` costs: notebook 05's training, silent and live, in a real Jupyter kernel.

    python benchmarks/live_overhead.py [--repeats N]

Starts an IPython kernel (jupyter_client), so the live panel really draws and
sends its display updates (nothing renders them: the front end's work is not
the kernel's).  Each repeat trains the 2-4-6-6-4-1 network of notebook 05 on
its 300 circles for 40 epochs (Adam 0.02, batches of 32, validation on the
other 100) once silent and once live, in alternating order; times are the
kernel's wall clock, as a user waits for it.  Prints both medians and their
ratio, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

from jupyter_client.manager import start_new_kernel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SETUP = f"""
import sys, time
sys.path.insert(0, {ROOT!r})
import nn
X, y = nn.make_circles(400, noise=0.08, factor=0.5, seed=0)
X_train, X_test, y_train, y_test = nn.train_test_split(X, y, test_size=0.25, seed=0)

def run(live):
    global model
    model = nn.MLP(2, [4, 6, 6, 4, 1], activation="relu", output_activation="sigmoid", seed=1)
    start = time.perf_counter()
    nn.fit(model, X_train, y_train, loss="binary_cross_entropy", optimizer=nn.Adam(model.parameters(), lr=0.02),
           epochs=40, batch_size=32, validation=(X_test, y_test), seed=0, progress=False, live=live)
    return time.perf_counter() - start
"""


def execute(client, code: str) -> list[dict]:
    """Run code in the kernel; its iopub messages until it is idle again."""
    msg_id = client.execute(code)
    messages = []
    while True:
        msg = client.get_iopub_msg(timeout=300)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "error":
            raise RuntimeError("\n".join(msg["content"]["traceback"]))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    km, client = start_new_kernel(kernel_name="python3", env={**os.environ, "TQDM_DISABLE": "1"})
    try:
        execute(client, SETUP)
        execute(client, "run(True); run(False)")  # warm up: imports, matplotlib's fonts
        times: dict[bool, list[float]] = {True: [], False: []}
        updates = []
        for i in range(args.repeats):
            for live in ((True, False) if i % 2 else (False, True)):
                msgs = execute(client, f"import json; print(json.dumps(run({live})))")
                out = "".join(m["content"].get("text", "") for m in msgs if m["msg_type"] == "stream")
                times[live].append(json.loads(out.strip().splitlines()[-1]))
                if live:
                    updates.append(sum(m["msg_type"] in ("display_data", "update_display_data") for m in msgs))
        silent, live_t = statistics.median(times[False]), statistics.median(times[True])
        print(f"notebook 05's training, {args.repeats} repeats, medians (wall clock in the kernel):")
        print(f"  silent      {silent:.3f} s")
        print(f"  live=True   {live_t:.3f} s   ({statistics.median(updates):.0f} drawings per run)")
        print(f"  ratio       {live_t / silent:.3f}")
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
