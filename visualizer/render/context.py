"""GL context factory: headless EGL by default, a window's context later
through the same call. The caller owns the context and releases it."""

from __future__ import annotations

import moderngl

from visualizer.errors import RenderError
from visualizer.render.driver_cache import disable_if_unusable

REQUIRED_GL = 330


def create_headless_context() -> moderngl.Context:
    """A standalone OpenGL 3.3+ core context through EGL (no display needed)."""
    disable_if_unusable()  # Mesa's shader cache on a full disk kills the process (SIGBUS)
    try:
        return moderngl.create_standalone_context(backend="egl", require=REQUIRED_GL)
    except Exception as exc:  # glcontext raises plain Exceptions
        raise RenderError(
            f"cannot create a headless OpenGL {REQUIRED_GL // 100}.{REQUIRED_GL % 100 // 10} context"
            f" through EGL ({exc}); install Mesa's EGL (scripts/setup.sh does) or a GPU driver"
        ) from exc


def create_window_context() -> moderngl.Context:
    """The context of the current glfw window (made current by the caller)."""
    disable_if_unusable()
    try:
        return moderngl.create_context(require=REQUIRED_GL)
    except Exception as exc:
        raise RenderError(f"cannot use the window's OpenGL context ({exc})") from exc


def bind_default_framebuffer(ctx: moderngl.Context) -> None:
    """Bind framebuffer 0, so releasing the bound one leaves no dangling binding."""
    ctx.detect_framebuffer(0).use()
