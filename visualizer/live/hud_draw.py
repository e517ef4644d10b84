"""Drawing the HUD with ImGui, inside the host's ImGui frame: one panel in the
top-right corner and its sections, all sized in `em` (the font size, which
follows the window's height). Values go through `hud_style`'s guards first."""

from __future__ import annotations

from imgui_bundle import imgui

from visualizer.live.hud import HudModel
from visualizer.live.hud_frames import FrameTimes
from visualizer.live.hud_style import (AMBER, BACKDROP_ALPHA, BAND_COLOURS, BUILD_COLOUR, CYAN, DIM, DROP_COLOUR,
                                       FAINT, GREEN, MARGIN_EM, MAX_BARS, MAX_BEATS, PANEL_EM, PINK, RED, WHITE,
                                       font_px, line, number, rgba, small_px, switched_on, unit, whole)

FLAGS = (imgui.WindowFlags_.no_decoration | imgui.WindowFlags_.no_inputs | imgui.WindowFlags_.no_saved_settings
         | imgui.WindowFlags_.no_focus_on_appearing | imgui.WindowFlags_.no_nav
         | imgui.WindowFlags_.always_auto_resize)


def draw_hud(model: HudModel, frames: FrameTimes, size: tuple[int, int]) -> None:
    """The HUD window in the top-right corner of a `size` (width, height) screen."""
    width, height = size
    em = font_px(height)
    imgui.push_font(None, em)
    imgui.push_style_var(imgui.StyleVar_.window_padding, imgui.ImVec2(0.6 * em, 0.5 * em))
    imgui.push_style_var(imgui.StyleVar_.item_spacing, imgui.ImVec2(0.4 * em, 0.3 * em))
    imgui.push_style_var(imgui.StyleVar_.window_rounding, 0.35 * em)
    imgui.push_style_var(imgui.StyleVar_.window_border_size, 1.0)
    try:
        margin = MARGIN_EM * em
        imgui.set_next_window_pos(imgui.ImVec2(width - margin, margin), imgui.Cond_.always, imgui.ImVec2(1, 0))
        imgui.set_next_window_size(imgui.ImVec2(min(PANEL_EM * em, width - 2 * margin), 0), imgui.Cond_.always)
        imgui.push_style_color(imgui.Col_.window_bg, rgba(0.02, 0.02, 0.03, BACKDROP_ALPHA))
        imgui.push_style_color(imgui.Col_.border, rgba(1, 1, 1, 0.14))
        imgui.begin("##hud", None, FLAGS)
        imgui.pop_style_color(2)
        try:
            title(model, em)
            beat_row(model, em)
            meters(model, em)
            frame_graph(model, frames, em)
            status_lines(model, em)
            messages(model)
        finally:
            imgui.end()
    finally:
        imgui.pop_style_var(4)
        imgui.pop_font()


def text(colour: int, words: str, size: float = 0.0) -> None:
    """One line of `words` in `colour`, at font `size` px (0: the current one)."""
    if size:
        imgui.push_font(None, size)
    imgui.push_style_color(imgui.Col_.text, colour)
    imgui.text_unformatted(words)
    imgui.pop_style_color()
    if size:
        imgui.pop_font()


def title(model: HudModel, em: float) -> None:
    """The preset (large), the show's states beside it, the transition running, the next preset."""
    states = [(name, colour) for name, colour, on in (("BLACKOUT", RED, model.blackout), ("FREEZE", CYAN, model.frozen),
                                                      ("LOCK", AMBER, model.locked)) if switched_on(on)]
    size, big = small_px(em), 1.35 * em
    room = imgui.get_content_region_avail().x - sum(text_width(name, size, em) + 0.9 * em for name, _ in states)
    text(WHITE, fit(line(model.preset, 80) or "-", room, big, em), big)
    badges(states, size, em)
    if model.transition:
        text(PINK, "~ " + line(model.transition, 40))
    text(DIM, "next  " + (line(model.next_preset, 40) or "-"))


def badges(states: list[tuple[str, int]], size: float, em: float) -> None:
    """Each (name, colour) framed, at font `size`, right-aligned on the line just drawn."""
    draw, font = imgui.get_window_draw_list(), imgui.get_font()
    low, high = imgui.get_item_rect_min(), imgui.get_item_rect_max()
    right = low.x + imgui.get_content_region_avail().x
    for name, colour in states:
        left = right - text_width(name, size, em)
        draw.add_rect(imgui.ImVec2(left - 0.3 * em, high.y - 1.1 * size), imgui.ImVec2(right + 0.3 * em, high.y),
                      colour, 0.2 * em, max(1.0, 0.08 * em))
        draw.add_text(font, size, imgui.ImVec2(left, high.y - size), colour, name)
        right = left - 0.9 * em


def fit(words: str, room: float, size: float, em: float) -> str:
    """`words` cut (with "...") to fit `room` pixels at font `size` (the font is monospaced)."""
    width = text_width(words, size, em)
    if width <= room:
        return words
    keep = max(int(len(words) * room / width) - 3, 1)
    return words[:keep] + "..."


def text_width(words: str, size: float, em: float) -> float:
    """The width in pixels of `words` at font `size` px, while the current font is `em` px."""
    return imgui.calc_text_size(words).x * size / em


def beat_row(model: HudModel, em: float) -> None:
    """A light flashing with `beat_pulse`, the BPM, one dot per beat of the bar (the
    current one lit, the downbeat red), then the bar and section numbers."""
    draw, font = imgui.get_window_draw_list(), imgui.get_font()
    origin, row = imgui.get_cursor_screen_pos(), 1.6 * em
    x, middle = origin.x, origin.y + row / 2
    pulse = unit(model.beat_pulse)
    radius = 0.62 * em
    glow, centre = (pulse if pulse is not None else 0.0), imgui.ImVec2(x + radius, middle)
    if glow > 0.05:  # a halo around the white-hot core while the beat rings
        draw.add_circle_filled(centre, radius * (1.0 + 0.3 * glow), rgba(1, 0.85, 0.4, 0.85 * glow))
    draw.add_circle_filled(centre, radius * 0.85, rgba(0.18 + 0.82 * glow, 0.18 + 0.82 * glow, 0.22 + 0.78 * glow))
    if pulse is None:
        draw.add_text(font, em, imgui.ImVec2(x + radius - 0.25 * em, middle - 0.5 * em), RED, "?")
    x += 2 * radius + 0.45 * em
    bpm = number(model.bpm, 1, 1000)
    big = 1.35 * em
    draw.add_text(font, big, imgui.ImVec2(x, middle - 0.55 * big), WHITE, bpm)
    x += text_width(bpm, big, em) + 0.25 * em
    draw.add_text(font, small_px(em), imgui.ImVec2(x, middle - 0.1 * em), DIM, "BPM")
    x += 2.1 * em
    beat_dots(draw, model, x, middle, em)
    small, right = small_px(em), origin.x + imgui.get_content_region_avail().x
    for words, y in ((f"bar {_count(model.bar)}", middle - small), (f"sec {_count(model.section)}", middle)):
        draw.add_text(font, small, imgui.ImVec2(right - text_width(words, small, em), y), DIM, words)
    imgui.dummy(imgui.ImVec2(imgui.get_content_region_avail().x, row))


def _count(value: object) -> str:
    shown = whole(value)
    return "?" if shown is None else str(shown)


def beat_dots(draw: imgui.ImDrawList, model: HudModel, x: float, middle: float, em: float) -> None:
    """`beats_per_bar` dots from `x` (at most MAX_BEATS, "?" if it is not a count)."""
    beats, current = whole(model.beats_per_bar, MAX_BEATS), whole(model.beat_in_bar)
    if beats is None or beats < 1:
        draw.add_text(imgui.get_font(), em, imgui.ImVec2(x, middle - 0.5 * em), RED, "?")
        return
    step = min(em, 4.0 * em / beats)
    radius = 0.36 * step
    for beat in range(beats):
        centre = imgui.ImVec2(x + step * beat + radius, middle)
        if beat == current:
            draw.add_circle_filled(centre, radius * 1.15, RED if beat == 0 else WHITE)
        else:
            draw.add_circle(centre, radius, DIM, 0, max(1.0, 0.08 * em))


def meters(model: HudModel, em: float) -> None:
    """Vertical bars 0..1: the bands, then build and drop, each with its name below."""
    bands = model.bands if isinstance(model.bands, (tuple, list)) else ()
    names = model.band_names if isinstance(model.band_names, (tuple, list)) else ()
    bars = [(line(names[i], 5) if i < len(names) else str(i), bands[i], BAND_COLOURS[i % len(BAND_COLOURS)])
            for i in range(min(len(bands), MAX_BARS))]
    bars += [("build", model.build, BUILD_COLOUR), ("drop", model.drop, DROP_COLOUR)]
    draw, font = imgui.get_window_draw_list(), imgui.get_font()
    origin, width = imgui.get_cursor_screen_pos(), imgui.get_content_region_avail().x
    gap, label, height = 0.35 * em, small_px(em), 2.2 * em
    bar_width = (width - gap * (len(bars) - 1)) / len(bars)
    for index, (name, value, colour) in enumerate(bars):
        left, level = origin.x + index * (bar_width + gap), unit(value)
        top, bottom = origin.y, origin.y + height
        draw.add_rect_filled(imgui.ImVec2(left, top), imgui.ImVec2(left + bar_width, bottom), FAINT, 0.15 * em)
        if level is None:
            draw.add_text(font, em, imgui.ImVec2(left + bar_width / 2 - 0.25 * em, bottom - 1.2 * em), RED, "?")
        elif level > 0:
            draw.add_rect_filled(imgui.ImVec2(left, bottom - level * height), imgui.ImVec2(left + bar_width, bottom),
                                 colour, 0.15 * em)
        tag_width = text_width(name, label, em)
        draw.add_text(font, label, imgui.ImVec2(left + (bar_width - tag_width) / 2, bottom + 0.1 * em), DIM, name)
    imgui.dummy(imgui.ImVec2(width, height + label + 0.15 * em))


def frame_graph(model: HudModel, frames: FrameTimes, em: float) -> None:
    """Frames per second (green at the target, amber below 90%, red below 70%), the
    median and p99 frame times, and the recent frame times with a line at the target."""
    fps, target = unit_free(model.fps), unit_free(model.target_fps)
    target = target if target and target > 0 else 60.0
    colour = DIM if fps is None else GREEN if fps >= 0.9 * target else AMBER if fps >= 0.7 * target else RED
    text(colour, f"{number(fps, 0) if fps is not None else '?'} fps", 1.2 * em)
    imgui.same_line()
    imgui.set_cursor_pos_y(imgui.get_cursor_pos_y() + 0.25 * em)
    text(DIM, f"{frames.median:.1f} ms  p99 {frames.p99:.1f}" if len(frames) else "- ms")
    values, offset = frames.plot_view()
    target_ms, width, height = 1000.0 / target, imgui.get_content_region_avail().x, 2.4 * em
    imgui.push_style_color(imgui.Col_.plot_lines, GREEN)
    imgui.push_style_color(imgui.Col_.frame_bg, rgba(1, 1, 1, 0.07))
    imgui.plot_lines("##frame_ms", values, offset, None, 0.0, 2.0 * target_ms, imgui.ImVec2(width, height))
    imgui.pop_style_color(2)
    low, high = imgui.get_item_rect_min(), imgui.get_item_rect_max()
    y = (low.y + high.y) / 2  # the target is half the graph's scale
    imgui.get_window_draw_list().add_line(imgui.ImVec2(low.x, y), imgui.ImVec2(high.x, y), rgba(1, 0.8, 0.3, 0.7),
                                          max(1.0, 0.07 * em))


def unit_free(value: object) -> float | None:
    """`value` as a finite float within 0..1e6, or None."""
    shown = number(value, 3)
    return None if shown == "?" else max(float(shown), 0.0)


def status_lines(model: HudModel, em: float) -> None:
    """Audio, MIDI and OSC: a light (lit on activity, a ring when off) and the status text."""
    lines = (("audio", model.audio, None, GREEN), ("MIDI", model.midi, switched_on(model.midi_active), GREEN),
             ("OSC", model.osc, switched_on(model.osc_active), CYAN))
    for name, status, lit, colour in lines:
        draw = imgui.get_window_draw_list()
        origin, radius = imgui.get_cursor_screen_pos(), 0.3 * em
        centre = imgui.ImVec2(origin.x + radius, origin.y + imgui.get_text_line_height() / 2)
        if lit is True:
            draw.add_circle_filled(centre, radius, colour)
        elif lit is None:  # no activity to show: a neutral dot
            draw.add_circle_filled(centre, radius * 0.8, DIM)
        else:  # a lamp that is off
            draw.add_circle(centre, radius, DIM, 0, max(1.0, 0.08 * em))
        imgui.dummy(imgui.ImVec2(2 * radius, imgui.get_text_line_height()))
        imgui.same_line()
        text(DIM, name)
        imgui.same_line(4.8 * em)
        text(WHITE, line(status, 40) or "-")


def messages(model: HudModel) -> None:
    """The show's message (amber) and the last error (red), wrapped."""
    imgui.push_text_wrap_pos(0.0)
    for words, colour in ((model.message, AMBER), (model.error, RED)):
        shown = line(words, 120)
        if shown:
            imgui.push_style_color(imgui.Col_.text, colour)
            imgui.text_wrapped(shown)
            imgui.pop_style_color()
    imgui.pop_text_wrap_pos()
