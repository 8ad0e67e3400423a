import torch
w0 = torch.tensor(3.0, requires_grad=True)
w1 = torch.tensor(-1.0, requires_grad=True)
x0 = torch.tensor(-2.0, requires_grad=True)
x1 = torch.tensor(4.0, requires_grad=True)

result = w0*x0
result1 = w1*x1
result2 = result + result1
result4 = torch.exp(2*result2+1)
result5 = torch.exp(2*result2-1)
result6 = result5 / result4
result.backward()

# Print gradients
print("Gradients:")
print("Gradient of result with respect to w0:", w0.grad)
print("Gradient of result with respect to w1:", w1.grad)
print("Gradient of result with respect to x0:", x0.grad)
print("Gradient of result with respect to x1:", x1.grad)
