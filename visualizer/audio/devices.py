"""Audio input devices and capture streams through PortAudio (sounddevice, imported
lazily: importing this module starts nothing).

PortAudio lists devices once per initialisation: `rescan_devices()` makes it
look again (a device plugged in, a sound server restarted). Rescanning closes
every PortAudio stream of this process. What ALSA, JACK and PortAudio print
meanwhile stays off the terminal (`audio.native`).
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from visualizer.audio.native import quiet_native_stderr, silence_alsa_errors
from visualizer.audio.ring import SampleRing
from visualizer.errors import AudioError

RING_SECONDS = 2.0

NO_DEVICES = "no audio input devices found; connect one, or start PulseAudio/PipeWire"


@dataclass(frozen=True)
class InputDevice:
    """One capture device: PortAudio index, name, max input channels, default rate (Hz)."""

    index: int
    name: str
    channels: int
    default_sample_rate: float
    is_default: bool
    hostapi: str = ""

    def label(self) -> str:
        return f"{self.index} {self.name!r}"


def portaudio() -> ModuleType:
    """The sounddevice module; AudioError when the PortAudio library is missing."""
    silence_alsa_errors()
    try:
        with quiet_native_stderr("sounddevice" not in sys.modules):  # the import enumerates devices
            import sounddevice
    except OSError as exc:  # sounddevice raises OSError when libportaudio is absent
        raise AudioError(f"cannot load PortAudio ({exc}); install libportaudio2") from exc
    return sounddevice


def rescan_devices() -> None:
    """Re-initialise PortAudio so that it enumerates devices afresh."""
    sd = portaudio()
    with quiet_native_stderr():  # ALSA, JACK and PortAudio report every device they probe
        try:
            sd._terminate()
        except sd.PortAudioError:
            pass  # already terminated
        try:
            sd._initialize()
        except sd.PortAudioError as exc:
            raise AudioError(f"cannot initialise PortAudio ({exc}); check the audio system") from exc


def list_input_devices(rescan: bool = False) -> list[InputDevice]:
    """Every device with at least one input channel, in PortAudio index order."""
    sd = portaudio()
    if rescan:
        rescan_devices()
    try:
        devices = sd.query_devices()
        hostapis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise AudioError(f"cannot list audio devices ({exc}); check the audio system") from exc
    default = _default_input_index(sd)
    return [
        InputDevice(
            index=index,
            name=str(info["name"]),
            channels=int(info["max_input_channels"]),
            default_sample_rate=float(info["default_samplerate"]),
            is_default=index == default,
            hostapi=str(hostapis[info["hostapi"]]["name"]),
        )
        for index, info in enumerate(devices)
        if info["max_input_channels"] > 0
    ]


def resolve_input_device(spec: str | int | None,
                         devices: list[InputDevice] | None = None) -> InputDevice:
    """The input device for an index, an exact or unique partial name (case-insensitive),
    or None (the system default). AudioError (one line, listing the inputs) otherwise."""
    devices = list_input_devices() if devices is None else devices
    if not devices:
        raise AudioError(NO_DEVICES)
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return next((d for d in devices if d.is_default), devices[0])
    if isinstance(spec, int) or spec.strip().isdigit():
        index = int(spec)
        for device in devices:
            if device.index == index:
                return device
        raise AudioError(f"no input device has index {index}; {_available(devices)}")
    wanted = spec.strip().lower()
    exact = [d for d in devices if d.name.lower() == wanted]
    if exact:
        return exact[0]
    partial = [d for d in devices if wanted in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = ", ".join(d.label() for d in partial)
        raise AudioError(f"input device {spec!r} is ambiguous: it matches {names}; "
                         "use the index or more of the name")
    raise AudioError(f"no input device matches {spec!r}; {_available(devices)}")


def format_device_table(devices: list[InputDevice]) -> str:
    """A text table for `visualizer devices`: index, name, channels, default rate, '*' on
    the default input."""
    if not devices:
        return NO_DEVICES
    width = max(4, *(len(d.name) for d in devices))
    lines = [f"    {'#':>3}  {'name':<{width}}  {'in':>3}  {'rate':>9}  host"]
    for d in devices:
        mark = "*" if d.is_default else " "
        rate = f"{d.default_sample_rate / 1000:g} kHz"
        lines.append(f"  {mark} {d.index:>3}  {d.name:<{width}}  {d.channels:>3}  {rate:>9}  "
                     f"{d.hostapi}")
    return "\n".join(lines)


def _available(devices: list[InputDevice]) -> str:
    return "available inputs: " + ", ".join(d.label() for d in devices)


def _default_input_index(sd: ModuleType) -> int:
    try:
        return int(sd.query_devices(kind="input")["index"])
    except (sd.PortAudioError, KeyError, TypeError, ValueError):
        return -1


class CaptureStream:
    """An open, started InputStream whose callback only copies each block into `ring`
    (with its ADC time), counts, and sets `wake`; `lost` is set by its owner."""

    def __init__(self, device: InputDevice, rate: float, channels: int, blocksize: int,
                 latency: str | float, wake: threading.Event):
        sd = portaudio()
        self.device, self.rate, self.wake = device, rate, wake
        self.ring = SampleRing(int(rate * RING_SECONDS), channels)
        self.callbacks = self.status_flags = self.overflows = self.errors = 0
        self.last_callback = self.opened_at = time.monotonic()
        self.lost = self.closed = False
        self.clock_offset = 0.0  # stream clock - time.monotonic(), s
        self.stream = sd.InputStream(device=device.index, samplerate=rate, channels=channels,
                                     dtype="float32", blocksize=blocksize, latency=latency,
                                     callback=self._callback)
        try:
            self.stream.start()
            self.clock_offset = self.stream.time - time.monotonic()
        except BaseException:
            self.stream.close(ignore_errors=True)
            raise

    def _callback(self, indata: np.ndarray, frames: int, times, status) -> None:
        """PortAudio's audio thread: copy, timestamp, count; never raises."""
        try:
            now = time.monotonic()
            adc = times.inputBufferAdcTime or times.currentTime - frames / self.rate
            self.ring.write(indata, adc)
            self.clock_offset = times.currentTime - now
            self.last_callback = now
            self.callbacks += 1
            if status:
                self.status_flags += 1
                self.overflows += bool(status.input_overflow)
            self.wake.set()
        except Exception:  # noqa: BLE001
            self.errors += 1

    def close(self) -> None:
        """Pa_CloseStream (which aborts first). It unlists the stream before it waits for
        the audio thread, so a driver wedged forever blocks only this call, never a later
        Pa_Terminate: run it where blocking is harmless (see LiveInput's reaper)."""
        self.closed = True
        try:
            self.stream.close(ignore_errors=True)
        except Exception:  # noqa: BLE001 - a vanished device may fail in any way
            pass
