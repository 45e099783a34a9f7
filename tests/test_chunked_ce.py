"""training/chunked_ce.py: the chunked linear cross-entropy equals the dense one, values and gradients."""
import pytest
import torch
import torch.nn.functional as F

from training.chunked_ce import chunk_rows, linear_cross_entropy_sum


def dense(hidden, weight, labels):
    return F.cross_entropy(hidden.reshape(-1, hidden.size(-1)) @ weight.t(), labels.reshape(-1), reduction="sum",
                           ignore_index=-100)


@pytest.mark.parametrize("rows", [1, 7, 64, 1000])
def test_loss_and_gradients_equal_the_dense_computation(rows):
    g = torch.Generator().manual_seed(0)
    hidden = torch.randn(3, 20, 16, generator=g, dtype=torch.float64)
    weight = torch.randn(50, 16, generator=g, dtype=torch.float64)
    labels = torch.randint(0, 50, (3, 20), generator=g)
    labels[0, :5] = -100
    labels[2, -1] = -100
    h1, w1 = hidden.clone().requires_grad_(), weight.clone().requires_grad_()
    h2, w2 = hidden.clone().requires_grad_(), weight.clone().requires_grad_()
    expected = dense(h1, w1, labels)
    loss, count = linear_cross_entropy_sum(h2, w2, labels, rows=rows)
    assert int(count) == 60 - 6
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss.double(), expected, rtol=1e-6, atol=1e-5)
    (2.5 * expected).backward()
    (2.5 * loss).backward()  # the incoming gradient scales the precomputed one
    torch.testing.assert_close(h2.grad, h1.grad, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(w2.grad, w1.grad, rtol=1e-5, atol=1e-6)
    assert w2.grad.dtype == torch.float64 and h2.grad[0, :5].abs().sum() == 0  # no target, no gradient


def test_exact_value_on_a_hand_computed_case():
    hidden = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    weight = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    # logits [1, 0, 0] with target 0 and [0, 2, 0] with target 2
    expected = (torch.logsumexp(torch.tensor([1.0, 0, 0]), 0) - 1) + torch.logsumexp(torch.tensor([0, 2.0, 0]), 0)
    loss, count = linear_cross_entropy_sum(hidden, weight, torch.tensor([0, 2]), rows=1)
    assert int(count) == 2
    torch.testing.assert_close(loss, expected)


def test_without_gradients_and_with_nothing_labelled():
    weight = torch.randn(9, 4, requires_grad=True)
    hidden = torch.randn(5, 4)
    labels = torch.tensor([1, 2, -100, 3, 8])
    with torch.no_grad():
        loss, count = linear_cross_entropy_sum(hidden, weight, labels, rows=2)
    torch.testing.assert_close(loss, dense(hidden, weight.detach(), labels))
    assert int(count) == 4 and not loss.requires_grad
    loss, count = linear_cross_entropy_sum(hidden, weight, torch.full((5,), -100))
    assert float(loss.detach()) == 0.0 and int(count) == 0
    loss.backward()
    assert weight.grad.abs().sum() == 0


def test_bf16_hidden_states_keep_a_float32_loss_and_weight_gradient():
    g = torch.Generator().manual_seed(1)
    hidden = torch.randn(8, 16, generator=g).bfloat16().requires_grad_()
    weight = torch.randn(32, 16, generator=g, requires_grad=True)
    labels = torch.randint(0, 32, (8,), generator=g)
    loss, _ = linear_cross_entropy_sum(hidden, weight, labels, rows=3)
    loss.backward()
    assert loss.dtype == torch.float32 and weight.grad.dtype == torch.float32 and hidden.grad.dtype == torch.bfloat16
    torch.testing.assert_close(loss, dense(hidden.float(), weight.bfloat16().float(), labels), rtol=2e-2, atol=0.5)


def test_bf16_gradients_stay_accurate_when_the_target_is_almost_certain():
    # softmax - one-hot nearly cancels at the target when p -> 1: it must be formed before the bf16 cast,
    # or the gradient is the rounding error of the product (tens of percent off)
    g = torch.Generator().manual_seed(2)
    weight = torch.randn(64, 16, generator=g, dtype=torch.float64)
    labels = torch.randint(0, 64, (32,), generator=g)
    hidden = 1.5 * weight[labels] + 0.1 * torch.randn(32, 16, generator=g, dtype=torch.float64)
    h16 = hidden.bfloat16().requires_grad_()
    w = weight.float().requires_grad_()
    loss, _ = linear_cross_entropy_sum(h16, w, labels, rows=8)
    loss.backward()
    h_ref = h16.detach().double().requires_grad_()
    w_ref = w.detach().bfloat16().double().requires_grad_()
    dense(h_ref, w_ref, labels).backward()
    p_target = torch.softmax(h_ref.detach() @ w_ref.detach().T, dim=1).gather(1, labels[:, None])
    assert float(p_target.mean()) > 0.95  # the regime this test is about
    for got, ref in ((h16.grad.double(), h_ref.grad), (w.grad.double(), w_ref.grad)):
        assert float((got - ref).norm() / ref.norm()) < 0.03


def test_chunk_rows_keeps_about_four_megabytes_of_logits():
    assert chunk_rows(4096) == 256 and chunk_rows(32000) == 32 and chunk_rows(10**7) == 1


def test_products_run_in_the_autocast_dtype():
    g = torch.Generator().manual_seed(2)
    hidden = torch.randn(12, 16, generator=g, requires_grad=True)
    weight = torch.randn(40, 16, generator=g, requires_grad=True)
    labels = torch.randint(0, 40, (12,), generator=g)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss, _ = linear_cross_entropy_sum(hidden, weight, labels, rows=5)
        expected = F.cross_entropy(F.linear(hidden, weight).float(), labels, reduction="sum")
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss, expected, rtol=1e-3, atol=1e-3)  # the same bf16 logits
    loss.backward()
    assert hidden.grad.dtype == torch.float32 and weight.grad.dtype == torch.float32
    h2, w2 = hidden.detach().clone().requires_grad_(), weight.detach().clone().requires_grad_()
    F.cross_entropy(h2 @ w2.t(), labels, reduction="sum").backward()
    torch.testing.assert_close(weight.grad, w2.grad, rtol=5e-2, atol=5e-2)  # bf16 products
