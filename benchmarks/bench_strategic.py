"""Speed of an egame12 fit (7,000 observations, 19 parameters): analytic vs numerical gradients.

The data are synthetic (seeded): eight standard-normal covariates, the four utilities
linear in them with 19 coefficients in all, outcomes drawn from the agent-error probit
model. Timed in one run:

* ours: :func:`econometrics.strategic.fit_sequential` - the whole fit, from the data frame
  to standard errors (design matrices, identification checks, BFGS with the analytic
  gradient, Newton polish, observed information); best of 3;
* the obvious alternative: the same log-likelihood maximised by scipy's BFGS with
  finite-difference gradients (``jac=None``), from the same start, then the same
  finite-difference Hessian of the numerical gradient for standard errors; best of 3.

Both must reach the same maximum (log-likelihoods within 1e-4, estimates within 1% of a
standard error). Prints the ratio and the absolute time of our fit; the issue's targets
are a fit under one second on this machine and, here, a ratio of at least
``--min-ratio`` (default 5x), below which the run fails.
Run: ``.venv/bin/python benchmarks/bench_strategic.py [--link logit] [--errors private]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy import optimize

from econometrics.strategic import fit_sequential, simulate_sequential

FORMULAS = {
    "u11": "x1 + x2 + x3 + x4 + x8 - 1",
    "u13": "1 + x5 + x6 + x1",
    "u14": "1 + x2 + x7 + x8 + x3",
    "u24": "1 + x4 + x5 + x6 + x8",
}


def simulated(n: int, link: str, errors: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.normal(size=(n, 8)), columns=[f"x{i}" for i in range(1, 9)])
    u = {
        "u11": 0.3 * df.x1 - 0.2 * df.x2 + 0.1 * df.x3 + 0.2 * df.x4,
        "u13": 0.5 + 0.3 * df.x5 + 0.1 * df.x6 - 0.2 * df.x1,
        "u14": -0.5 + 0.4 * df.x2 + 0.3 * df.x7 - 0.2 * df.x8 + 0.1 * df.x3,
        "u24": 0.2 + 0.8 * df.x4 + 0.5 * df.x5 - 0.4 * df.x6 + 0.3 * df.x8,
    }
    df["y"] = simulate_sequential(u, link, errors, rng=seed + 1)
    return df


def numerical_fit(model) -> tuple[np.ndarray, float, np.ndarray]:
    """BFGS on the log-likelihood with finite-difference gradients, SEs by a
    finite-difference Hessian of the same numerical gradient."""
    opt = optimize.minimize(
        lambda t: -model.loglik(t),
        np.zeros(model.n_params),
        method="BFGS",
        options={"gtol": 1e-6, "maxiter": 5000},
    )
    theta = opt.x
    p = theta.size
    grad = lambda t: optimize.approx_fprime(t, model.loglik, 1e-6)  # noqa: E731
    H = np.empty((p, p))
    for j in range(p):
        e = np.zeros(p)
        e[j] = 1e-4
        H[:, j] = (grad(theta + e) - grad(theta - e)) / 2e-4
    se = np.sqrt(np.diag(np.linalg.inv(-0.5 * (H + H.T))))
    return theta, model.loglik(theta), se


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=7000)
    ap.add_argument("--link", default="probit", choices=["probit", "logit"])
    ap.add_argument("--errors", default="agent", choices=["agent", "private"])
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--min-ratio", type=float, default=5.0, help="fail below this ratio")
    args = ap.parse_args()

    df = simulated(args.n, args.link, args.errors, args.seed)
    fit_sequential(df.head(500), "y", FORMULAS, args.link, args.errors)  # warm-up (imports)
    ours = []
    for _ in range(3):
        t0 = time.perf_counter()
        res = fit_sequential(df, "y", FORMULAS, args.link, args.errors)
        ours.append(time.perf_counter() - t0)
    theirs = []
    for _ in range(3):
        t0 = time.perf_counter()
        theta, ll, _ = numerical_fit(res.model)
        theirs.append(time.perf_counter() - t0)
    ours_t, theirs_t = min(ours), min(theirs)
    d_ll = abs(ll - res.loglik)
    d_est = float(np.max(np.abs(theta - res.params.to_numpy()) / res.std_errors.to_numpy()))
    ratio = theirs_t / ours_t
    print(
        f"egame12 ({args.link}, {args.errors}), synthetic data (seeded), n = {res.nobs:,}, "
        f"{len(res.params)} parameters: "
        f"fit_sequential {ours_t:.3f} s (best of 3; target < 1 s: "
        f"{'met' if ours_t < 1 else 'NOT met'}); BFGS with numerical gradients {theirs_t:.3f} s; "
        f"ratio {ratio:.1f}x (target >= {args.min_ratio:g}x); "
        f"same maximum: |d loglik| = {d_ll:.2e}, max |d estimate| / se = {d_est:.2e}"
    )
    if d_ll > 1e-4 or d_est > 0.01:
        raise SystemExit("the two fits reach different maxima")
    if ratio < args.min_ratio:
        raise SystemExit(f"ratio {ratio:.1f}x is below the {args.min_ratio:g}x target")


if __name__ == "__main__":
    main()
