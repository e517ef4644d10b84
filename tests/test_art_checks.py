"""The art measures (tests/art.py) on pictures and sounds made to pass or fail them."""

from __future__ import annotations

import colorsys

import numpy as np

import art

RATE, FPS = 8000, 30


def grey(level: float, size: tuple[int, int] = (16, 32)) -> np.ndarray:
    return np.full((*size, 3), level, np.float32)


def clicks(seconds: float, at: list[float]) -> np.ndarray:
    """Silence with a 20 ms burst of noise at each time in `at` (seconds)."""
    samples = np.zeros(int(seconds * RATE), np.float32)
    noise = np.random.default_rng(1).standard_normal(int(0.02 * RATE)).astype(np.float32)
    for time in at:
        start = int(time * RATE)
        samples[start:start + len(noise)] = noise[:len(samples) - start]
    return samples


def test_void_share_counts_pure_black_and_white_only():
    image = grey(128)
    assert art.void_share(image) == 0.0
    image[:4] = 255
    image[4:8] = 3
    assert art.void_share(image) == 0.5
    image[:4] = 255 - art.VOID_LEVELS - 1  # just off white
    assert art.void_share(image) == 0.25


def test_flat_frames_are_caught_and_a_picture_is_not():
    assert art.is_flat(grey(0)) and art.is_flat(grey(255)) and art.is_flat(grey(90))
    image = grey(0)
    image[:, :16] = 200
    assert not art.is_flat(image)


def test_frame_changes_are_mean_absolute_levels():
    assert np.allclose(art.frame_changes([grey(10), grey(14), grey(4)]), [4.0, 10.0])


def rainbow_strip(degrees: float) -> np.ndarray:
    """Fully saturated hues spread evenly over the first `degrees` of the circle."""
    hues = np.linspace(0.0, degrees / 360.0, 64, endpoint=False)
    row = np.array([colorsys.hsv_to_rgb(h, 1.0, 1.0) for h in hues], np.float32) * 255
    return np.repeat(row[None], 8, axis=0)


def test_hue_coverage_sees_a_full_rainbow_and_a_half_one():
    assert art.hue_coverage_degrees(rainbow_strip(360)) >= 350
    assert 170 <= art.hue_coverage_degrees(rainbow_strip(180)) <= 190
    assert art.hue_coverage_degrees(grey(128)) == 0.0  # no saturated pixel


def test_hue_coverage_ignores_dull_pixels():
    dull = rainbow_strip(360) * 0.2 + 40  # pastel and dim: below the saturation bar
    assert art.hue_coverage_degrees(dull) == 0.0


def test_the_onset_envelope_peaks_in_the_frame_of_each_click():
    at = [0.5, 1.0, 1.5]
    envelope = art.onset_envelope(clicks(2.0, at), RATE, 0.0, FPS, 60)
    peaks = sorted(np.argsort(envelope)[-3:])
    assert peaks == [int(t * FPS) - 1 for t in at] or peaks == [int(t * FPS) for t in at], peaks


def test_a_picture_that_jumps_with_each_click_correlates_at_lag_zero_and_a_late_one_does_not():
    at = [0.3, 0.7, 1.2, 1.5, 1.9, 2.4, 2.6]
    envelope = art.onset_envelope(clicks(3.0, at), RATE, 0.0, FPS, 90)
    change = np.zeros(89)
    change[np.argsort(envelope)[-len(at):]] = 20.0
    on_time = art.correlation_by_lag(change, envelope, range(-3, 4))
    assert max(on_time, key=on_time.get) == 0 and on_time[0] > 0.8
    late = np.roll(change, 3)  # the picture answers 3 frames (100 ms) after the sound
    lagged = art.correlation_by_lag(late, envelope, range(-3, 4))
    assert max(lagged, key=lagged.get) == 3 and lagged[0] < 0.3


def test_rms_is_the_level_of_the_asked_window():
    samples = np.concatenate([np.full(RATE, 0.5, np.float32), np.zeros(RATE, np.float32)])
    assert np.isclose(art.rms(samples, RATE, 0.0, 1.0), 0.5)
    assert art.rms(samples, RATE, 1.0, 1.0) == 0.0


def test_a_strobe_flickers_and_motion_does_not():
    strobe = [grey(100 + 8 * (k % 2)) for k in range(30)]
    assert art.flicker_levels(strobe) >= 7.5
    ramp = [grey(100 + 3 * k) for k in range(30)]  # brightening fast, but smoothly
    assert art.flicker_levels(ramp) == 0.0
    sweep = []
    for k in range(30):  # a bright bar crossing the frame, a pixel a frame
        image = grey(0)
        image[:, k:k + 4] = 255
        sweep.append(image)
    assert art.flicker_levels(sweep) < 1.0
