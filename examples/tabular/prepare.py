#!/usr/bin/env python3
"""Prepares the tabular data of score4j's imputation examples as CSV files of standardised columns.

  python3 examples/tabular/prepare.py wine runs/data/wine          # the wine table shipped with python3-sklearn
  python3 examples/tabular/prepare.py mixture16 runs/data/mixture16 # draws from a 16-D Gaussian mixture

Each writes train.csv, held-out.csv (rows never trained on) and held-out-missing.csv (the held-out rows with 30 % of
their cells emptied), with a header f1..fD. Columns are standardised with the training rows' mean and standard
deviation (written to scaling.csv), so one noise scale suits every column.
"""
import os
import sys

import numpy as np

WINE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv"


def wine(rng):
    if not os.path.exists(WINE):
        sys.exit(f"{WINE} not found: install Debian's python3-sklearn (apt-get install python3-sklearn)")
    rows = np.loadtxt(WINE, delimiter=",", skiprows=1)
    x = rows[:, :13]  # the 14th column is the cultivar (class)
    rng.shuffle(x)
    return x[:140], x[140:]


def mixture16(rng):
    d, k = 16, 3
    means = rng.normal(0, 3, size=(k, d))
    weights = np.array([0.5, 0.3, 0.2])
    scales = [rng.normal(0, 0.6, size=(d, d)) / np.sqrt(d) + np.eye(d) * s for s in (0.5, 0.8, 1.0)]

    def draw(n):
        c = rng.choice(k, size=n, p=weights)
        z = rng.normal(size=(n, d))
        return np.stack([means[c[i]] + scales[c[i]] @ z[i] for i in range(n)])

    return draw(20000), draw(500)


def write(path, x):
    header = ",".join(f"f{j + 1}" for j in range(x.shape[1]))
    with open(path, "w") as f:
        f.write(header + "\n")
        for row in x:
            f.write(",".join("" if np.isnan(v) else f"{v:.6g}" for v in row) + "\n")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("wine", "mixture16"):
        sys.exit(__doc__)
    rng = np.random.default_rng(20261203)
    train, held_out = (wine if sys.argv[1] == "wine" else mixture16)(rng)
    mean, std = train.mean(axis=0), train.std(axis=0)
    train, held_out = (train - mean) / std, (held_out - mean) / std
    missing = held_out.copy()
    missing[rng.random(missing.shape) < 0.3] = np.nan
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "train.csv"), train)
    write(os.path.join(out, "held-out.csv"), held_out)
    write(os.path.join(out, "held-out-missing.csv"), missing)
    write(os.path.join(out, "scaling.csv"), np.stack([mean, std]))
    print(f"wrote {out}: {len(train)} training rows, {len(held_out)} held-out rows of {train.shape[1]} columns")


if __name__ == "__main__":
    main()
