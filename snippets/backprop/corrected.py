import torch

# float64 for checking: at x = -10 tanh is saturated. This staged expression keeps about 7 digits
# in float32 too; torch.tanh in float32 would return exact zeros here.
w0 = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
w1 = torch.tensor(-1.0, dtype=torch.float64, requires_grad=True)
x0 = torch.tensor(-2.0, dtype=torch.float64, requires_grad=True)
x1 = torch.tensor(4.0, dtype=torch.float64, requires_grad=True)

x = w0 * x0 + w1 * x1  # the weighted sum, x = -10
u = torch.exp(2 * x)  # e^(2x); the +1 and -1 go outside the exponent
F = (u - 1) / (u + 1)  # tanh(x), staged as in the homework's graph
F.backward()  # from the output F, not from an intermediate value

print("F =", F.item())
for name, t in (("w0", w0), ("w1", w1), ("x0", x0), ("x1", x1)):
    print(f"dF/d{name} = {t.grad.item():.10e}")

# Check 1: the student's derivative 4e^(2x)/(e^(2x)+1)^2 times the local gradient of x.
dF_dx = 4 * u / (u + 1) ** 2
for t, local in ((w0, x0), (w1, x1), (x0, w0), (x1, w1)):
    assert torch.allclose(t.grad, dF_dx * local, rtol=1e-12, atol=0)

# Check 2: torch.tanh gives the same gradients; it only keeps about 8 digits here (its backward
# computes 1 - tanh(x)^2 with tanh(x) = -0.999999996), hence the looser tolerance.
v = [t.detach().clone().requires_grad_() for t in (w0, w1, x0, x1)]
torch.tanh(v[0] * v[2] + v[1] * v[3]).backward()
for t, t_ref in zip((w0, w1, x0, x1), v):
    assert torch.allclose(t.grad, t_ref.grad, rtol=1e-6, atol=0)  # silent when they agree: the script stops if not
