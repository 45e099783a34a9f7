"""One process or many: the process group, the device, and the DDP / FSDP wrapping.

Under ``torchrun`` the environment names the rank (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``); the
backend is nccl on GPUs and gloo on CPUs. Without it the same code runs as one process with no
process group at all, so ``python -m training.pretrain`` needs nothing distributed.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch.distributed.fsdp import FSDPModule, fully_shard
from torch.nn.parallel import DistributedDataParallel


@dataclass(frozen=True)
class Dist:
    rank: int
    world_size: int
    local_rank: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1


def setup(device_choice: str) -> Dist:
    """Join the process group when launched by torchrun; pick the device."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = device_choice == "cuda" or (device_choice == "auto" and torch.cuda.is_available())
    if use_cuda and not torch.cuda.is_available():
        raise ValueError("--device: cuda was asked for, but torch sees no GPU")
    if use_cuda:
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    if world_size > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if use_cuda else "gloo",
                                device_id=device if use_cuda else None)
    return Dist(rank=rank, world_size=world_size, local_rank=local_rank, device=device)


def teardown(d: Dist) -> None:
    if d.enabled and dist.is_initialized():
        dist.destroy_process_group()


def barrier(d: Dist) -> None:
    if d.enabled:
        dist.barrier()


def all_reduce_sum(d: Dist, values: torch.Tensor) -> torch.Tensor:
    """Sum of ``values`` (a float64 tensor of counts/sums) over the ranks; one collective."""
    if d.enabled:
        values = values.to(d.device)
        dist.all_reduce(values, op=dist.ReduceOp.SUM)
    return values.cpu()


def broadcast_object(d: Dist, obj):
    """Rank 0's ``obj`` on every rank (small JSON-like values only)."""
    if not d.enabled:
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def _blocks(model: torch.nn.Module) -> list[torch.nn.Module]:
    """The repeated transformer blocks: the elements of every ``ModuleList`` (GPT-2 ``h``, Llama ``layers``,
    BERT ``layer``)."""
    return [block for m in model.modules() if isinstance(m, torch.nn.ModuleList) for block in m]


def wrap(model: torch.nn.Module, d: Dist, parallelism: str) -> torch.nn.Module:
    """DDP (replicas, gradients all-reduced) or FSDP2 ``fully_shard`` per block and at the root."""
    if not d.enabled:
        return model
    if parallelism == "fsdp":
        for block in _blocks(model):
            fully_shard(block)
        fully_shard(model)
        return model
    return DistributedDataParallel(model, device_ids=[d.local_rank] if d.device.type == "cuda" else None)


@contextlib.contextmanager
def gradient_sync(model: torch.nn.Module, sync: bool):
    """Skip the gradient all-reduce on all micro-steps of an accumulation but the last."""
    if isinstance(model, DistributedDataParallel) and not sync:
        with model.no_sync():
            yield
    elif isinstance(model, FSDPModule):
        model.set_requires_gradient_sync(sync)
        yield
    else:
        yield


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    """The transformers model inside DDP / torch.compile (FSDP2 modifies the model in place)."""
    model = getattr(model, "_orig_mod", model)
    return model.module if isinstance(model, DistributedDataParallel) else model
