"""The live app's window host: a glfw window and its moderngl context, keys
translated to names, layers drawn in order, then the swap.

Layers are composed, not inherited: GL layers (the picture) draw first, in
order, then every visible ImGui layer (editor panel, error overlay) inside one
ImGui frame (`ImGuiHost`, set up once, on first need). The context collects
GL objects Python dropped (`gc_mode="context_gc"`, a `ctx.gc()` each frame) as
a safety net, on the thread that owns the context; every owner still
releases its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

import glfw
import moderngl
import numpy as np

from visualizer.errors import RenderError
from visualizer.output.imgui_host import ImGuiHost
from visualizer.render.context import create_window_context

log = logging.getLogger(__name__)

KEY_NAMES: dict[int, str] = {
    getattr(glfw, attr): attr[4:].lower()
    for attr in dir(glfw) if attr.startswith("KEY_") and attr not in ("KEY_UNKNOWN", "KEY_LAST")
}
"""glfw key code -> name: "a", "7", "escape", "f1", "left", "kp_add", ..."""

MODIFIER_BITS = ((glfw.MOD_CONTROL, "ctrl"), (glfw.MOD_ALT, "alt"), (glfw.MOD_SHIFT, "shift"),
                 (glfw.MOD_SUPER, "super"))

KeyHandler = Callable[[str, frozenset[str], bool], None]
"""Called with (key name, modifier names held, is an auto-repeat)."""


class Layer(Protocol):
    """Drawn with GL onto the screen framebuffer (bound), each frame in order."""

    def draw(self, ctx: moderngl.Context) -> None: ...


class GuiLayer(Protocol):
    """Drawn with ImGui, inside the host's one ImGui frame, while `visible`."""

    @property
    def visible(self) -> bool: ...

    def draw_gui(self, size: tuple[int, int]) -> None: ...


class PictureLayer:
    """The rendered picture: `source()`'s colour texture drawn over the whole screen,
    scaled to it (a window resized or made fullscreen shows all of it at once)."""

    VERTEX = """#version 330
    out vec2 uv;
    void main() {
        vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
        uv = corner;
        gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
    }"""
    FRAGMENT = """#version 330
    uniform sampler2D picture;
    in vec2 uv;
    out vec4 colour;
    void main() { colour = vec4(texture(picture, uv).rgb, 1.0); }"""

    def __init__(self, source: Callable[[], moderngl.Framebuffer]):
        self.source = source
        self._program: moderngl.Program | None = None
        self._vao: moderngl.VertexArray | None = None

    def draw(self, ctx: moderngl.Context) -> None:
        framebuffer = self.source()
        if framebuffer.size == ctx.screen.size == tuple(ctx.screen.viewport[2:]):
            ctx.copy_framebuffer(ctx.screen, framebuffer)
            return
        if self._program is None:
            self._program = ctx.program(vertex_shader=self.VERTEX, fragment_shader=self.FRAGMENT)
            self._vao = ctx.vertex_array(self._program, [])
        ctx.screen.use()
        framebuffer.color_attachments[0].use(0)
        self._vao.render(moderngl.TRIANGLES, vertices=3)

    def release(self) -> None:
        """Release the scaling program; safe to call twice."""
        if self._vao is not None:
            self._vao.release()
            self._program.release()
        self._program = self._vao = None


def collect_dropped(ctx: moderngl.Context) -> int:
    """`ctx.gc()` for a `context_gc` context, minus moderngl issue #695: an object
    released by its owner and then dropped is queued as an `InvalidObject`, which
    `ctx.gc()` fails on. Those are skipped; the rest (objects dropped without a
    `release()`: leaks) are released and counted."""
    leaked = 0
    while ctx.objects:  # releasing one may queue more
        glo = ctx.objects.popleft()
        if not isinstance(glo, moderngl.InvalidObject):
            glo.release()
            leaked += 1
    return leaked


def _glfw_reason() -> str:
    """glfw's last error description, e.g. "X11: The DISPLAY environment variable is missing"."""
    _, description = glfw.get_error()
    return description.decode(errors="replace") if description else "glfw gave no reason"


def open_window(size: tuple[int, int], title: str, monitor: int | None = None):
    """A glfw window with a current OpenGL 3.3 core context (vsync on). glfw's own
    errors go to the "glfw" logger (debug), not to warnings with a source line; the
    reason a window cannot open is part of our one-line RenderError."""
    glfw.ERROR_REPORTING = "log"
    if not glfw.init():
        raise RenderError(f"cannot open a window: no display ({_glfw_reason()}); "
                          "set DISPLAY, or run under Xvfb")
    glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, 3)
    glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, 3)
    glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
    glfw.window_hint(glfw.OPENGL_FORWARD_COMPAT, True)
    try:
        screen = choose_monitor(monitor) if monitor is not None else None
    except RenderError:
        glfw.terminate()
        raise
    if screen is not None:
        mode = glfw.get_video_mode(screen)
        size = (mode.size.width, mode.size.height)
    window = glfw.create_window(size[0], size[1], title, screen, None)
    if not window:
        reason = _glfw_reason()
        glfw.terminate()
        raise RenderError(f"cannot open a window with OpenGL 3.3 ({reason}); check the display and its driver")
    glfw.make_context_current(window)
    glfw.swap_interval(1)
    return window


def choose_monitor(index: int):
    """glfw's monitor number `index` (0 is the primary); a RenderError naming those there are."""
    monitors = glfw.get_monitors() or []
    if not 0 <= index < len(monitors):
        there = f"0 to {len(monitors) - 1}" if monitors else "none"
        raise RenderError(f"--monitor {index}: this display has {len(monitors)} monitor(s) ({there}); "
                          "choose one of them")
    return monitors[index]


class WindowHost:
    """One window of `size` pixels: `layers` and `gui_layers` drawn by
    `present()`; key presses go to `on_key` by name."""

    def __init__(self, size: tuple[int, int], title: str, fullscreen: bool = False, monitor: int | None = None):
        self.monitor = monitor
        if monitor is not None and not fullscreen:  # a wrong --monitor fails at once, not at the first F
            glfw.ERROR_REPORTING = "log"
            if glfw.init():
                try:
                    choose_monitor(monitor)
                except RenderError:
                    glfw.terminate()
                    raise
        self.window = open_window(size, title, (monitor or 0) if fullscreen else None)
        self._windowed = (*glfw.get_window_pos(self.window), *size)
        try:
            self.ctx = create_window_context()
        except RenderError:
            glfw.destroy_window(self.window)
            glfw.terminate()
            raise
        self.ctx.gc_mode = "context_gc"
        self.layers: list[Layer] = []
        self.gui_layers: list[GuiLayer] = []
        self.on_key: KeyHandler | None = None
        self.close_guards: list[Callable[[], bool]] = []
        """Asked when the window's close button is pressed: any False keeps it open (an editor
        with unsaved edits asks first)."""
        self.collected = 0  # GL objects the per-frame ctx.gc() had to free: leaks in an owner
        self._imgui: ImGuiHost | None = None
        glfw.set_key_callback(self.window, self.key_event)
        glfw.set_window_close_callback(self.window, self.close_asked)

    def close_asked(self, window) -> None:
        """glfw's close callback: the close stands unless a guard says no."""
        if not all(guard() for guard in self.close_guards):
            glfw.set_window_should_close(window, False)

    @property
    def size(self) -> tuple[int, int]:
        """The framebuffer's (width, height) in pixels."""
        width, height = glfw.get_framebuffer_size(self.window)
        return int(width), int(height)

    @property
    def imgui(self) -> ImGuiHost:
        """The window's ImGui, set up on first use."""
        if self._imgui is None:
            self._imgui = ImGuiHost(self.window, self.ctx)
            glfw.set_key_callback(self.window, self.key_event)  # ImGui took it: ours passes keys on
        return self._imgui

    @property
    def typing(self) -> bool:
        """True while an ImGui text field has the keyboard."""
        return self._imgui is not None and self._imgui.wants_text_input

    # --- input -----------------------------------------------------------------------------------

    def key_event(self, window, key: int, scancode: int, action: int, mods: int) -> None:
        """glfw's key callback (tests call it to press keys): ImGui first, then
        presses and repeats by name to `on_key`."""
        if self._imgui is not None:
            self._imgui.key_event(window, key, scancode, action, mods)
        if action == glfw.RELEASE or self.on_key is None or key not in KEY_NAMES:
            return
        held = frozenset(name for bit, name in MODIFIER_BITS if mods & bit)
        self.on_key(KEY_NAMES[key], held, action == glfw.REPEAT)

    @property
    def should_close(self) -> bool:
        return bool(glfw.window_should_close(self.window))

    def request_close(self) -> None:
        glfw.set_window_should_close(self.window, True)

    def set_title(self, title: str) -> None:
        glfw.set_window_title(self.window, title)

    @property
    def fullscreen(self) -> bool:
        return bool(glfw.get_window_monitor(self.window))  # a NULL pointer when windowed

    def set_fullscreen(self, on: bool) -> None:
        """Fill the chosen monitor (`monitor`, else the primary) at its mode, or go back to
        the window's last place and size. The context and everything in it stay."""
        if on == self.fullscreen:
            return
        if on:
            try:
                screen = choose_monitor(self.monitor or 0)
            except RenderError as exc:  # no monitor (now): stay in the window
                log.warning("%s; staying in the window", exc)
                return
            self._windowed = (*glfw.get_window_pos(self.window), *glfw.get_window_size(self.window))
            mode = glfw.get_video_mode(screen)
            glfw.set_window_monitor(self.window, screen, 0, 0, mode.size.width, mode.size.height,
                                    mode.refresh_rate)
        else:
            x, y, width, height = self._windowed
            glfw.set_window_monitor(self.window, None, x, y, width, height, 0)

    # --- output ----------------------------------------------------------------------------------

    def compose(self, gui: bool = True) -> None:
        """Draw the layers onto the screen's back buffer (ImGui ones only with `gui`). The
        screen framebuffer keeps its first size in moderngl: its viewport follows the window."""
        self.ctx.screen.viewport = (0, 0, *self.size)
        self.ctx.screen.use()
        for layer in self.layers:
            layer.draw(self.ctx)
        shown = [layer for layer in self.gui_layers if layer.visible] if gui else []
        if shown:
            size = self.size
            self.imgui.frame(lambda: [layer.draw_gui(size) for layer in shown])

    def present(self) -> None:
        """Compose, swap, take input events, collect dropped GL objects."""
        self.compose()
        glfw.swap_buffers(self.window)
        glfw.poll_events()
        collected = collect_dropped(self.ctx)
        if collected:
            self.collected += collected
            log.debug("freed %d GL objects that were dropped without release()", collected)

    def grab(self, gui: bool = True) -> np.ndarray:
        """The window's picture as composed now, (height, width, 3) uint8, top row first."""
        self.compose(gui)
        width, height = self.size
        data = self.ctx.screen.read(viewport=(0, 0, width, height), components=3, alignment=1)
        _ = self.ctx.error  # reading the default framebuffer flags GL_INVALID_OPERATION on Mesa; harmless
        return np.frombuffer(data, np.uint8).reshape(height, width, 3)[::-1].copy()

    def release(self) -> None:
        """Release the layers that own GL objects, shut ImGui down and close the window;
        safe to call twice."""
        if self.window is None:
            return
        try:
            for layer in self.layers:
                release = getattr(layer, "release", None)
                if release is not None:
                    release()
            if self._imgui is not None:
                self._imgui.release()
        finally:
            glfw.destroy_window(self.window)
            glfw.terminate()
            self.window = None
