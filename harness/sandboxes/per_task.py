"""Which sandbox each task of a run gets, and the images of those that bring their own.

The default follows the task's own need: a task whose environment only a real image gives (a Dockerfile
that RUNs anything or copies outside its working directory, a docker_image) runs in the container
sandbox; every other task in bubblewrap (or unisolated where that is missing), Dockerfiles of WORKDIR and
COPY lines emulated there. `--sandbox container` asks for containers for all (every task must then bring
an image); `--sandbox bwrap` refuses a task that needs one, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from tasks import Task

from . import backend_class, engines
from .images import BASE_IMAGE, Image, ImageError, stack_layer, task_image


class BackendError(ValueError):
    """A task cannot run under the sandbox asked for, or its image cannot be had: a set-up error."""


def prepare_images(tasks: list[Task], forced: str | None, subs: dict[str, str],
                   note: Callable[[str], None] = lambda _: None,
                   problems: dict[str, str] | None = None) -> dict[str, Image]:
    """task id -> its image, for every task that runs in a container; built (or found cached) now.
    A task that cannot have its sandbox stops the run (BackendError), or, given `problems`, is left out
    with its reason there, by task id (`tasks check` goes on with the others)."""
    images: dict[str, Image] = {}
    for task in tasks:
        try:
            if task.host_env is not None and task.host_env.home is None:  # SWE-bench on the host: its own Python
                from tasks.swebench_env import EnvError, build

                try:
                    build(task.host_env, note)
                except EnvError as exc:
                    raise BackendError(f"task {task.id}: {exc}") from None
            image = _image_for(task, forced, subs, note)
        except BackendError as exc:
            if problems is None:
                raise
            problems[task.id] = str(exc)
            continue
        if image is not None:
            images[task.id] = image
    return images


def _image_for(task: Task, forced: str | None, subs: dict[str, str], note: Callable[[str], None]) -> Image | None:
    env = task.environment
    if env is None:
        if forced is not None and backend_class(forced).runs_images:
            raise BackendError(f"task {task.id} brings no container image: --sandbox container runs Harbor, "
                               "SWE-bench and document tasks; leave --sandbox unset to run each task where it needs")
        return None
    if not (forced is not None and backend_class(forced).runs_images or forced is None and env.needs_build):
        if env.needs_build:
            raise BackendError(f"task {task.id} needs {env.needs_build}: run it in the container sandbox "
                               "(leave --sandbox unset, or --sandbox container)")
        return None  # WORKDIR and COPY only: the local sandbox stands in for the image
    if not engines.available():
        eng = engines.engine()
        raise BackendError(f"task {task.id} needs its container image ({env.needs_build or 'asked for'}): "
                           f"install {eng.name} ({eng.install}), or choose another with --container-engine")
    note(f"image of {task.id}: looking in the cache (a build can take minutes)")
    try:
        if env.stack and env.dockerfile is None and env.image is None:  # pertask's own image of the task's stack
            image = task_image(task.id, task.digest, None, None, BASE_IMAGE, subs, stack_layer(env.stack))
        else:
            image = task_image(task.id, task.digest, env.context, env.dockerfile, env.image, subs, env.finish)
    except ImageError as exc:
        raise BackendError(str(exc)) from None
    if image.built:
        note(f"image of {task.id}: built {image.name}")
    return image
