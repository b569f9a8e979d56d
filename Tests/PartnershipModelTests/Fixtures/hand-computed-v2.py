#!/usr/bin/env python3
"""The working of hand-computed-v2.yaml, in exact rational arithmetic (fractions.Fraction).

Written step by step from the model's version 2 rules as docs/MODEL.md states them (SPEC.md's
"Version 2" section), for this one small scenario only and independently of the simulator's
Swift code. Run it with `python3 hand-computed-v2.py`: it prints every expected value, which
HandComputedTests.swift asserts (each exact answer rounded once to a Double).
Notation: partners county (c), district council (dc), voluntary sector (v); indicators JOBS (J),
PARKS (P). Vectors are (J, P).
"""
from fractions import Fraction as F

def show(label, value):
    print(f"{label} = {value} ~ {float(value)!r}")
    return value

T, lag = 2, 1
# Indicators.
y0 = [F(50), F(10)]; target = [F(52), F(12)]; d = [1, 1]; trend = [F(-1, 2), F(-1, 5)]
rho = [F(1, 10), F(1, 20)]; laa = [True, False]
# Partners c, dc, v.
B = [F(400), F(40), F(20)]; delta = [F(1, 10), F(1, 10), F(1, 5)]; named = [1, 1, 0]
lam = [F(4, 5), F(3, 5), F(1, 2)]; tau = [F(1, 2), F(1, 2), F(0)]
w = [[F(1), F(0)], [F(1), F(0)], [F(0), F(1)]]          # interests, already normalised
cap = [[F(1), F(1, 2)], [F(1, 2), F(1)], [F(0), F(2)]]
district = [False, True, True]
# Governance and constants (defaults where the file is silent).
L, s, pi, rho_pm, eta, omega = F(1, 2), F(0), F(1, 10), F(1), F(1, 2), F(1, 2)
aS, aE, aH, kappa, nu, mu = F(3, 10), F(2, 5), F(3, 10), F(3, 10), F(1, 2), F(1, 10)
sigma_syn, kappa_f, phi, phi_f, phi_L, psi = F(1, 2), F(1, 2), F(1, 20), F(3, 20), F(1, 50), F(1)
b_P, beta_P, beta_R, theta = F(1, 10), F(1, 20), F(1, 500), F(3, 5)
beta = F(1, 100) + 3 * F(1, 200) + 1 * F(1, 500)        # beta0 + beta_L |levels| + beta_M (boards - 1)
show("beta", beta)

def normalize(v):
    total = sum(v); return [x / total for x in v] if total != 0 else v[:]
def overlap(a, b): return sum(min(x, y) for x, y in zip(a, b))
def ask(p, i):                                           # q_i(p) = normalize(p * cap_i), or p
    prod = [p[k] * cap[i][k] for k in range(2)]
    return normalize(prod) if sum(prod) > 0 else p[:]

r = L * (aS + aE + aH); show("r", r)
chi = [1 - kappa if district[i] else F(1) for i in range(3)]
n_ = [(1 + nu * named[i]) / (1 + nu) for i in range(3)]
lead_board = [0, 1]                                      # county tier and the district council
north = [1, 2]                                           # district North's board
# p(0): consensus over the lead board, interests masked to LAA (J only): (1, 0).
p = normalize([sum(w[i][k] for i in lead_board) if laa[k] else F(0) for k in range(2)])
pd0 = normalize([sum(w[i][k] for i in north) for k in range(2)])   # (1/2, 1/2), unmasked
pd = pd0[:]
show("p(0)_J", p[0]); show("p_d(0)_J", pd0[0])
# omega_d = 1 (one district); zeta_k = district-tier share of capacity delta_i B_i cap_ik.
cap_all = [sum(delta[i] * B[i] * cap[i][k] for i in range(3)) for k in range(2)]
cap_district = [sum(delta[i] * B[i] * cap[i][k] for i in north) for k in range(2)]
zeta = [cap_district[k] / cap_all[k] for k in range(2)]
show("zeta_J", zeta[0]); show("zeta_P", zeta[1])

x = [row[:] for row in w]
y = y0[:]
Q = {}
pa = None                                                 # performance ask, none before a review
records = []
def plan(k, t): return y0[k] + ((target[k] - y0[k]) * max(0, t - lag)) / max(1, T - lag)   # V2.2

for t in range(1, T + 1):
    review = (t % 1 == 0) and t < T                       # [E] = 1, review_every 1
    p_prev = p[:]                                         # p(t-1), in force during quarter t
    # Step 1. Influence (tau from the end of t-1).
    xn = []
    for i in range(3):
        g = lam[i] * r * tau[i] * n_[i] * chi[i]
        h = lam[i] * r * tau[i] if district[i] else F(0)
        m = lam[i] * mu
        e = rho_pm * lam[i] * tau[i] * chi[i] if pa is not None else F(0)   # V2.5 pull
        tot = g + h + m + e
        if tot > 1: g, h, m, e = g / tot, h / tot, m / tot, e / tot
        home = north if district[i] else lead_board
        others = [j for j in home if j != i]
        wsum = sum(tau[j] for j in others)
        xbar = [sum(tau[j] * x[j][k] for j in others) / wsum for k in range(2)] if others and wsum > F(1, 10**12) else w[i][:]
        qa, qd = ask(p, i), ask(pd, i)
        qp = ask(pa, i) if pa is not None else [F(0), F(0)]
        xn.append([(1 - g - h - m - e) * w[i][k] + g * qa[k] + h * qd[k] + m * xbar[k] + e * qp[k] for k in range(2)])
    x = xn
    # Step 2. Engagement (V2.3: chance psi (1 - tau)(1 - s)(1 - fit); here exactly 0, 0, 1).
    fit = [overlap(w[i], p) for i in range(3)]
    chance = [psi * (1 - tau[i]) * (1 - s) * (1 - fit[i]) for i in range(3)]
    assert chance == [0, 0, 1], chance
    engaged = [c == 0 for c in chance]
    rate = beta + (beta_R if review else 0)               # V2.5 review cost
    D = [delta[i] * B[i] / 4 for i in range(3)]           # volatility 0: exp(0) = 1
    o = [rate * D[i] for i in range(3)]; Dn = [D[i] - o[i] for i in range(3)]
    P_i = [pi * chi[i] * Dn[i] if engaged[i] else F(0) for i in range(3)]   # V2.4 pooling with chi
    S = [[(Dn[i] - P_i[i]) * (x[i][k] if engaged[i] else w[i][k]) for k in range(2)] for i in range(3)]
    P = sum(P_i); P_spent = (1 - beta_P) * P
    overhead = sum(o) + beta_P * P
    # Step 3. Outcomes.
    c = [[cap[i][k] * S[i][k] for k in range(2)] for i in range(3)]
    cbar = [sum(P_i[i] / P * cap[i][k] for i in range(3)) for k in range(2)]
    cmax = [max(cap[i][k] for i in range(3)) for k in range(2)]
    cP = [(1 + b_P) * ((1 - omega) * cbar[k] + omega * cmax[k]) * (P_spent * p[k]) for k in range(2)]
    mean_tau_before = sum(tau) / 3
    frag = 1 * (1 - overlap(pd, p))
    for k in range(2):
        I = sum(c[i][k] for i in range(3)) + cP[k]
        hhi = sum((c[i][k] / I) ** 2 for i in range(3)) + (cP[k] / I) ** 2 if I != 0 else F(1)
        J = 1 + sigma_syn * mean_tau_before * (1 - hhi)
        Fk = 1 - kappa_f * frag * zeta[k]                   # V2.6
        Q[(t, k)] = I * J * Fk
        delivered = Q[(t - lag, k)] if t - lag >= 1 else F(0)
        y[k] = y[k] + trend[k] + d[k] * rho[k] * delivered  # returns 1, no noise
    # Step 4. Performance review (V2.2 plan) and the ask (V2.5).
    if review:
        gap = [min(F(1), max(F(0), d[k] * (plan(k, t) - y[k])) / max(abs(target[k] - y0[k]), F(1, 10**12))) for k in range(2)]
        p = normalize([p[k] * (1 + eta * rho_pm * gap[k]) for k in range(2)])
        prod = [p[k] * gap[k] for k in range(2)]
        pa = normalize(prod) if sum(prod) > 0 else None
    # Step 5. Trust (V2.7): FR_i over the others' delta_j B_j.
    new_tau = []
    for i in range(3):
        success = sum(w[i][k] for k in range(2) if d[k] * (y[k] - plan(k, t)) >= 0)
        den = sum(delta[j] * B[j] for j in range(3) if j != i)
        FR = sum(delta[j] * B[j] for j in range(3) if j != i and not engaged[j]) / den if den else F(0)
        v = tau[i] + phi * (success - F(1, 2)) - phi_f * (1 - s) * FR * tau[i] + phi_L * L * (1 - tau[i])
        new_tau.append(min(F(1), max(F(0), v)))
    tau = new_tau
    # Step 6 (V2.6). Districts move toward p(t).
    a_d = min(F(1), (1 - kappa) * r * (sum(tau[i] for i in north) / 2))
    pd = [(1 - a_d) * pd0[k] + a_d * p[k] for k in range(2)]
    # Record, with money moved (V2.8) and the aligned share on P_spent.
    vec = [sum(S[i][k] for i in range(3)) + P_spent * p_prev[k] for k in range(2)]
    moved = sum((Dn[i] - P_i[i]) * (1 - overlap(x[i], w[i])) for i in range(3) if engaged[i]) + P_spent
    print(f"-- quarter {t}")
    show(f"y_JOBS({t})", y[0]); show(f"y_PARKS({t})", y[1])
    total = sum(vec)
    share = overlap([v / total for v in vec], p_prev) if total != 0 else F(0)
    rec = dict(pooled=P, overhead=overhead, engaged=sum(engaged), moved=moved, trust=sum(tau) / 3, aligned=share)
    records.append(rec)
    for key in ["aligned", "pooled", "overhead", "moved", "trust"]: show(f"{key}({t})", rec[key])
    print(f"engaged({t}) = {rec['engaged']}")

aligned = [rec["aligned"] for rec in records]
print("-- end of run")
progress = (y[0] - y0[0]) / (target[0] - y0[0])
show("mean_progress", progress)
print("targets_met =", int(y[0] >= target[0]))
show("aligned_share_mean", sum(aligned) / T)
show("pooled_total", sum(r_["pooled"] for r_ in records))
show("overhead_total", sum(r_["overhead"] for r_ in records))
show("mean_trust_final", sum(tau) / 3)
show("fragmentation", 1 * (1 - overlap(pd, p)))
show("money_moved_share", sum(r_["moved"] / (sum(B) / 4) for r_ in records) / T)
