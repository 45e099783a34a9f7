"""training.gelu: the sigmoid form of the tanh-approximated GELU equals PyTorch's kernel, values and gradients."""
import math

import pytest
import torch
import torch.nn.functional as F
from transformers.activations import FastGELUActivation, NewGELUActivation

from training.gelu import GELUTanh, _SigmoidFormGELUTanh, gelu_tanh


def _reference(x: torch.Tensor) -> torch.Tensor:
    return F.gelu(x, approximate="tanh")


def test_exact_values():
    x = torch.tensor([0.0, 1.0, -1.0, 3.0, -30.0, 30.0, 1e20, -1e20])
    # x/2 · (1 + tanh(√(2/π)(x + 0.044715 x³))), written out for x = 1
    one = 0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * 1.044715))
    expected = torch.tensor([0.0, one, one - 1.0, 2.9963627, -0.0, 30.0, 1e20, -0.0])
    torch.testing.assert_close(gelu_tanh(x), expected, rtol=1e-6, atol=1e-7)


def _value_and_grad(fn, x: torch.Tensor, grad: torch.Tensor, dtype: torch.dtype):
    x = x.to(dtype).clone().requires_grad_()
    y = fn(x)
    y.backward(grad.to(dtype))
    return y.detach().double(), x.grad.double()


def test_as_accurate_as_pytorch_kernel():
    """Against float64, the float32 sigmoid form errs no more than three times PyTorch's own float32 kernel."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(20000, generator=g) * 4
    grad = torch.randn(20000, generator=g)
    y64, g64 = _value_and_grad(_reference, x, grad, torch.float64)
    y_ref, g_ref = _value_and_grad(_reference, x, grad, torch.float32)
    y, g32 = _value_and_grad(gelu_tanh, x, grad, torch.float32)
    assert (y - y64).abs().max() <= 3 * (y_ref - y64).abs().max()
    assert (g32 - g64).abs().max() <= 3 * (g_ref - g64).abs().max()
    torch.testing.assert_close(g32, g_ref, rtol=1e-5, atol=1e-5)


def test_gradcheck_in_float64():
    x = torch.linspace(-6, 6, 49, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(_SigmoidFormGELUTanh.apply, (x,))


def test_non_contiguous_input_and_input_untouched():
    x = torch.randn(32, 16).t()  # a transposed view
    before = x.clone()
    torch.testing.assert_close(gelu_tanh(x), _reference(before), rtol=1e-6, atol=1e-6)
    assert torch.equal(x, before)


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float64])
def test_other_dtypes_use_pytorch_kernel(dtype):
    x = torch.randn(8, 8).to(dtype)
    assert torch.equal(gelu_tanh(x), _reference(x))


def test_module_stands_in_for_transformers_activations():
    x = torch.randn(4, 32)
    for activation in (NewGELUActivation(), FastGELUActivation()):
        torch.testing.assert_close(GELUTanh()(x), activation(x), rtol=1e-5, atol=1e-6)


def test_compiled_graphs_get_pytorch_gelu(monkeypatch):
    """Under torch.compile the activation is left to the compiler (plain F.gelu, which it fuses)."""
    monkeypatch.setattr(torch.compiler, "is_compiling", lambda: True)
    x = torch.randn(8, 8, requires_grad=True)
    assert gelu_tanh(x).grad_fn.name() == "GeluBackward0"
    monkeypatch.undo()
    assert gelu_tanh(x).grad_fn.name() == "_SigmoidFormGELUTanhBackward"
