#!/usr/bin/env python3
"""The PyTorch side of `score4j bench`: one workload, given as JSON by the benchmark, done the way a PyTorch user
would write it (the same network, initialisation scheme, objective, sampler, batch and thread count), timed the
same way. Prints one JSON line with the throughput of each repeat, the peak resident memory, a 1024³ sgemm rate and
what the process runs on (its BLAS library and kernels, the threading variables in force)."""
import ctypes
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


def rss_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def sigma_features(sigma, scale, embedding):
    c = torch.log(sigma[:, None] / scale) / 4
    parts = [c]
    for k in range(1, embedding // 2 + 1):
        parts += [torch.sin(math.pi * k * c), torch.cos(math.pi * k * c)]
    return torch.cat(parts, 1)


class Mlp(nn.Module):
    """score4j's ncsn-mlp: [x/√(σ²+s²), log-σ features] → swish layers → output/σ; Xavier-normal weights."""

    def __init__(self, spec):
        super().__init__()
        d, hidden, embedding = spec["dimension"], spec["hidden"], spec["embedding"]
        widths = [d + 1 + embedding] + [hidden] * spec["layers"] + [d]
        self.linears = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        for layer in self.linears:
            nn.init.xavier_normal_(layer.weight)
            nn.init.zeros_(layer.bias)
        self.scale, self.embedding = spec["data_scale"], embedding

    def forward(self, x, sigma):
        s = sigma[:, None]
        h = torch.cat([x / torch.sqrt(s * s + self.scale ** 2), sigma_features(sigma, self.scale, self.embedding)], 1)
        for layer in self.linears[:-1]:
            h = F.silu(layer(h))
        return self.linears[-1](h) / s


class Residual(nn.Module):
    def __init__(self, channels_in, channels_out, embedding_width):
        super().__init__()
        self.conv1 = nn.Conv2d(channels_in, channels_out, 3, padding=1)
        self.conv2 = nn.Conv2d(channels_out, channels_out, 3, padding=1)
        self.sigma = nn.Linear(embedding_width, channels_out) if embedding_width else None
        self.skip = nn.Conv2d(channels_in, channels_out, 1) if channels_in != channels_out else None

    def forward(self, h, embedding):
        a = self.conv1(F.silu(h))
        if self.sigma is not None:
            a = a + self.sigma(embedding)[:, :, None, None]
        a = self.conv2(F.silu(a))
        return a + (h if self.skip is None else self.skip(h))


class Unet(nn.Module):
    """score4j's ncsn-unet: residual blocks, stride-2 convolutions down, nearest upsampling up, skips, a per-block
    σ bias from log-σ features, input and 1/σ output scaling; He-normal weights, zero output convolution."""

    def __init__(self, spec):
        super().__init__()
        c_in, ch, mult = spec["shape"][0], spec["channels"], spec["multipliers"]
        width = [ch * m for m in mult]
        self.scale, self.embedding, self.levels, self.blocks = spec["data_scale"], spec["embedding"], len(mult), spec["blocks"]
        emb = 4 * ch
        self.sigma = nn.Linear(1 + self.embedding, emb)
        self.conv_in = nn.Conv2d(c_in, width[0], 3, padding=1)
        self.down, self.downsample = nn.ModuleList(), nn.ModuleList()
        for level in range(self.levels):
            for b in range(self.blocks):
                self.down.append(Residual(width[level - 1] if b == 0 and level > 0 else width[level], width[level], emb))
            if level < self.levels - 1:
                self.downsample.append(nn.Conv2d(width[level], width[level], 3, stride=2, padding=1))
        self.middle = Residual(width[-1], width[-1], emb)
        self.up, self.upsample = nn.ModuleList(), nn.ModuleList()
        for level in reversed(range(self.levels)):
            self.up.append(Residual(2 * width[level], width[level], emb))
            if level > 0:
                self.upsample.append(nn.Conv2d(width[level], width[level - 1], 3, padding=1))
        self.conv_out = nn.Conv2d(width[0], c_in, 3, padding=1)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
        with torch.no_grad():
            for block in self.modules():
                if isinstance(block, Residual):
                    block.conv2.weight.mul_(0.1)
        nn.init.zeros_(self.conv_out.weight)

    def forward(self, x, sigma):
        s = sigma[:, None, None, None]
        embedding = F.silu(self.sigma(sigma_features(sigma, self.scale, self.embedding)))
        h = self.conv_in(x / torch.sqrt(s * s + self.scale ** 2))
        skips, blocks = [], iter(self.down)
        for level in range(self.levels):
            for _ in range(self.blocks):
                h = next(blocks)(h, embedding)
            skips.append(h)
            if level < self.levels - 1:
                h = self.downsample[level](h)
        h = self.middle(h, embedding)
        ups, upsamples = iter(self.up), iter(self.upsample)
        for level in reversed(range(self.levels)):
            h = next(ups)(torch.cat([h, skips.pop()], 1), embedding)
            if level > 0:
                h = next(upsamples)(F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.conv_out(F.silu(h)) / s


def mixture(n, dimension):
    """NCSN's 2-D mixture: 1/5 N(-5, I) + 4/5 N(5, I) (any dimension)."""
    means = torch.where(torch.rand(n, 1) < 0.2, -5.0, 5.0)
    return means + torch.randn(n, dimension)


def data_batch(spec, n):
    if spec["model"] == "mlp":
        return mixture(n, spec["dimension"])
    return torch.rand(n, *spec["shape"])


def training(spec, model):
    """One DSM step as score4j's trainer does it: draw data, a level per example, perturb, score, ½‖σs + z‖²,
    back-propagate, Adam, and the moving average of the weights."""
    sigmas = torch.tensor(spec["sigmas"], dtype=torch.float32)
    params = list(model.parameters())
    optimizer = torch.optim.Adam(params, lr=spec["learning_rate"], foreach=True)
    average = [p.detach().clone() for p in params]
    batch, rate = spec["batch"], spec["ema_rate"]
    counter = [0]

    def step():
        x = data_batch(spec, batch)
        sigma = sigmas[torch.randint(len(sigmas), (batch,))]
        z = torch.randn_like(x)
        shape = (batch,) + (1,) * (x.dim() - 1)
        scores = model(x + sigma.view(shape) * z, sigma)
        loss = 0.5 * (sigma.view(shape) * scores + z).pow(2).flatten(1).sum(1).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        counter[0] += 1
        r = min(rate, (1 + counter[0]) / (10 + counter[0]))
        with torch.no_grad():
            torch._foreach_mul_(average, r)
            torch._foreach_add_(average, params, alpha=1 - r)
        return batch

    return step


def start_state(spec, shape, grid):
    if spec.get("start") == "prior":
        return torch.randn(shape) * grid[0]
    return torch.rand(shape) * (spec["high"] - spec["low"]) + spec["low"]


def sampling(spec, model):
    """A whole sampling run on `chains` chains over the sampling grid score4j used (its σ values, ending with 0 when
    the run denoises), written as a PyTorch user writes these samplers; counts one score evaluation per chain and
    network call."""
    grid = spec["grid"]
    chains = spec["chains"]
    shape = (chains, spec["dimension"]) if spec["model"] == "mlp" else (chains, *spec["shape"])
    calls = [0]

    def score(x, sigma):
        calls[0] += 1
        return model(x, torch.full((chains,), sigma))

    def annealed_langevin():
        """NCSN Alg. 1 on the grid's positive levels, then the Tweedie step when the grid ends at 0."""
        eps, per_level = spec["step_size"], spec["steps_per_level"]
        levels = [sigma for sigma in grid if sigma > 0]
        x = start_state(spec, shape, grid)
        for sigma in levels:
            alpha = eps * sigma ** 2 / levels[-1] ** 2
            for _ in range(per_level):
                x.add_(score(x, sigma), alpha=alpha / 2).add_(torch.randn_like(x), alpha=math.sqrt(alpha))
        if grid[-1] == 0:
            x.add_(score(x, levels[-1]), alpha=levels[-1] ** 2)
        return x

    def edm():
        """Karras et al. 2022, Algorithm 2 (k-diffusion's sample_heun) with the denoiser D(x, σ) = x + σ²·s(x, σ)."""
        steps = len(grid) - 1
        x = start_state(spec, shape, grid)
        for i in range(steps):
            t, t_next = grid[i], grid[i + 1]
            gamma = min(spec["s_churn"] / steps, math.sqrt(2) - 1) if spec["s_tmin"] <= t <= spec["s_tmax"] else 0.0
            t_hat = t * (1 + gamma)
            if gamma > 0:
                x = x + torch.randn_like(x) * spec["s_noise"] * math.sqrt(t_hat ** 2 - t ** 2)
            denoised = x + t_hat ** 2 * score(x, t_hat)
            d = (x - denoised) / t_hat
            x_next = x + (t_next - t_hat) * d
            if t_next > 0:
                denoised_next = x_next + t_next ** 2 * score(x_next, t_next)
                d_next = (x_next - denoised_next) / t_next
                x_next = x + (t_next - t_hat) * (d + d_next) / 2
            x = x_next
        return x

    def probability_flow():
        """dx/dσ = −σ·s(x, σ) by Euler or Heun steps between consecutive grid values (no correction on a step to 0)."""
        heun = spec["solver"] == "heun"
        x = start_state(spec, shape, grid)
        for sigma, sigma_next in zip(grid, grid[1:]):
            slope = sigma * score(x, sigma)
            euler = x + (sigma - sigma_next) * slope
            if heun and sigma_next > 0:
                x = x + (sigma - sigma_next) / 2 * (slope + sigma_next * score(euler, sigma_next))
            else:
                x = euler
        return x

    sampler = {"annealed-langevin": annealed_langevin, "edm": edm, "probability-flow": probability_flow}[spec["sampler"]]

    @torch.no_grad()
    def run():
        calls[0] = 0
        sampler()
        if calls[0] != spec["evaluations"]:
            raise SystemExit(f"{spec['sampler']} made {calls[0]} evaluations per chain, score4j's {spec['evaluations']}")
        return chains * calls[0]

    return run


def matmul_peak():
    n = 1024
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        torch.mm(a, b)
    best = float("inf")
    for _ in range(10):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * n ** 3 / best


THREADING_PREFIXES = ("OPENBLAS_", "GOTO", "OMP_", "GOMP_", "KMP_", "MKL_", "DNNL_", "ONEDNN_", "ATEN_", "TORCH_")


def system():
    """What this side runs on: the BLAS shared library this process loaded (Debian's torch uses whichever libblas.so.3
    the system selects), the kernels OpenBLAS chose at run time, PyTorch's CPU capability, the variables in force."""
    info = {"python": sys.version.split()[0], "blas_library": "unknown", "openblas_core": "?", "openblas_config": "?"}
    try:
        with open("/proc/self/maps") as maps:
            names = sorted({line.split()[-1] for line in maps if "blas" in line and "/" in line})
        if names:
            info["blas_library"] = ", ".join(names)
            for name in names:
                try:
                    library = ctypes.CDLL(name)
                    core, config = library.openblas_get_corename, library.openblas_get_config
                except (OSError, AttributeError):
                    continue
                core.restype = config.restype = ctypes.c_char_p
                info["openblas_core"], info["openblas_config"] = core().decode(), config().decode().strip()
                break
    except OSError:
        pass
    capability = [line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines()
                  if "CPU capability usage" in line]
    info["cpu_capability"] = "CPU capability " + (capability[0] if capability else "?")
    info["env"] = {k: v for k, v in sorted(os.environ.items()) if k.startswith(THREADING_PREFIXES)}
    return info


# The score4j side's warm-up rule (WarmUp.java): at least `times` runs and `seconds`, then blocks of at least
# BLOCK_SECONDS until a block's rate is no more than RISE above the block before, MAX_SECONDS in all; with
# seconds = 0 (--warmup 0, a quick check) a single run.
BLOCK_SECONDS, RISE, MAX_SECONDS = 1.0, 0.02, 30.0


def warm_up(step, times, seconds):
    started, runs = time.perf_counter(), 0
    if seconds <= 0:
        step()
        return 1, time.perf_counter() - started
    while runs < times or time.perf_counter() - started < seconds:
        step()
        runs += 1

    def block():
        nonlocal runs
        begun, n = time.perf_counter(), 0
        while True:
            step()
            n += 1
            elapsed = time.perf_counter() - begun
            if elapsed >= BLOCK_SECONDS:
                runs += n
                return n / elapsed

    previous = block()
    while time.perf_counter() - started < MAX_SECONDS:
        rate = block()
        if not rate > previous * (1 + RISE):
            break
        previous = rate
    return runs, time.perf_counter() - started


def main():
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(spec["seed"])
    model = Mlp(spec) if spec["model"] == "mlp" else Unet(spec)
    step = training(spec, model) if spec["task"] == "train" else sampling(spec, model)
    baseline = rss_kib("VmRSS")
    warmed, warm_seconds = warm_up(step, spec["warmup"], spec.get("warmup_seconds", 0))
    rates = []
    for _ in range(spec["repeats"]):
        started, items = time.perf_counter(), 0
        for _ in range(spec["steps"]):
            items += step()
        rates.append(items / (time.perf_counter() - started))
    print(json.dumps({
        "rates": rates,
        "warmup_runs": warmed,
        "warmup_seconds_taken": warm_seconds,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "baseline_rss_kib": baseline,
        "matmul_flops": matmul_peak(),
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "system": system(),
    }))


if __name__ == "__main__":
    main()
