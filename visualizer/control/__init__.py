"""Control input (keyboard; MIDI and OSC later) as typed events on a queue,
applied between frames to the parameter state and the beat clock."""
