"""Control input (keyboard now; MIDI and OSC later) as typed events on a queue,
applied between frames to the parameter state and the beat clock.

`events` (what can be asked), `bus` (the thread-safe queue), `keys` (key
names to events; the window host translates its key codes), `apply` (events
applied through public methods: the live rhythm's tap, `ParamState`)."""
