"""Offline export: the frame loop, pixel readback and the ffmpeg encoder."""
