"""Audio in: file decoding, input devices, live input and its ring buffer, the
file playback feed of the live window, the demo track. Pure numpy; no GL."""
