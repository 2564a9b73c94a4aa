"""The Ray executor (`--executor ray [--ray-address ADDR]`): each admitted sample runs as a Ray task on a node
of the cluster, in a sandbox on that node (harness/run/ray_worker.py), one CPU of the node's each, so a node runs
as many at once as it has CPUs and `--concurrency` bounds the cluster.

The coordinator alone owns the run directory, its lock, the budget, resume and the report. A worker never
holds a key: its agent calls the model through the coordinator's metering proxy (harness/agents/proxy.py) with a key
of its sample's own, so every call is metered into the one call ledger as it is answered, and replicas keep
the sample on one; a judge's calls likewise, each judge with a key of its own (its ledger lines name the judge, not
the rubric check: the check's votes are in the record). An external agent (--agent) runs on the worker as it runs
locally, its own metering proxy in front of the coordinator's: its installation must be at the same path there. The record and the transcript come back with the task's result. A worker that dies
mid-sample makes that sample an infra error (re-run on resume, never doubled); the coordinator dying is a
kill -9 like any other. Without --ray-address a local Ray instance starts and stops with the run.
"""

from __future__ import annotations

import platform
from typing import Any

import ray

from harness.agents.proxy import Meter, MeteringProxy
from providers.base import SpecError
from results.records import ErrorClass, SampleRecord, now_iso
from results.store import sample_id

from .ray_worker import run_job


class RayExecutor:
    name = "ray"

    def __init__(self, address: str | None = None):
        self.address = address
        self.proxy: MeteringProxy | None = None
        self.connected = False  # this run called ray.init (and so shuts it down: a local instance stops)
        self.nodes: list[str] = []

    def unsuitable(self, plan: Any) -> str:
        not_http = [m.info.spec for m in plan.models if not (m.over_http or m.self_contained)]
        not_http += [f"judge {j.info.spec}" for j in plan.judges if not j.over_http]
        if not_http:
            return (f"--executor ray: {', '.join(not_http)} cannot be called over HTTP, which a worker's calls need "
                    "(through the coordinator's proxy)")
        return ""

    async def start(self, plan: Any, store: Any, session_id: str) -> None:
        if why := self.unsuitable(plan):
            raise SpecError(why)
        if not ray.is_initialized():
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False, configure_logging=False)
            self.connected = True
        self.nodes = sorted(n["NodeManagerAddress"] + ("" if n["Alive"] else " (dead)") for n in ray.nodes())
        self.proxy = MeteringProxy(host=ray.util.get_node_ip_address())
        await self.proxy.start()

    async def run_sample(self, model, task, epoch, plan, ctx, slot):
        from .sample import ledger

        store = ctx.store
        sid = sample_id(model.info.spec, task.id, epoch)
        # A model the worker reaches through the coordinator's proxy, metered here; the oracle and null are made there.
        key = None if model.self_contained else self.proxy.open(Meter(sid, model, on_call=ledger(store, sid, ctx)))
        # Each judge too, with a key of its own: its calls are metered here as they are answered, under its name.
        judges = [(j.info, j.profile, self.proxy.open(Meter(sid, j, on_call=ledger(store, sid, ctx, judge=j.info.spec))))
                  for j in plan.judges]
        job = {"info": model.info, "profile": None if key is None else model.profile, "proxy": f"{self.proxy.url}/v1",
               "key": key, "judges": judges, "panel": plan.panel, "agent": plan.agent if plan.agent.external else None,
               "suite": plan.suite, "task": task, "epoch": epoch, "sampling": plan.sampling,
               "max_turns": plan.max_turns, "sandbox": plan.sandbox, "images": plan.images, "hidden": ctx.hidden,
               "session_id": ctx.session_id, "substitutions": dict(plan.substitutions)}
        started = now_iso()
        try:
            out = await _remote.remote(job)
        except ray.exceptions.RayError as exc:  # the worker died, or its node: the server's trouble, not the model's
            rec = _infra(model, task, epoch, sid, started, f"the Ray worker running it died: {type(exc).__name__}")
            rec.transcript = store.write_transcript(model.info.spec, task.id, epoch, {"sample_id": sid,
                                                                                     "error": rec.error_detail})
            return rec
        finally:
            for k in [key, *(j[2] for j in judges)]:
                if k is not None:
                    self.proxy.close(k)
        rec = SampleRecord.model_validate_json(out["record"])
        rec.replica = model.replica_of(sid)  # the coordinator's balancer kept it there
        rec.transcript = store.write_transcript(model.info.spec, task.id, epoch, out["transcript"])
        slot.give_back(rec.usd)
        return rec

    async def close(self) -> None:
        if self.proxy is not None:
            await self.proxy.stop()
        if self.connected:
            ray.shutdown()

    def describe(self) -> dict[str, Any]:
        return {"name": "ray", "address": self.address or "local (started with the run)", "nodes": self.nodes,
                "coordinator": platform.node()}


# One CPU of the node per sample; never retried by Ray: a sample whose worker died is an infra record, and the
# coordinator's resume decides what runs again.
_remote = ray.remote(num_cpus=1, max_retries=0)(run_job)


def _infra(model: Any, task: Any, epoch: int, sid: str, started: str, detail: str) -> SampleRecord:
    return SampleRecord(sample_id=sid, task_id=task.id, suite=task.suite, task_version=task.digest, model=model.info.spec,
                        epoch=epoch, protocol=model.info.protocol, price=model.info.price, started_at=started,
                        error=ErrorClass.infra, error_detail=detail, executor="ray")
