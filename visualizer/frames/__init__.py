"""The one frame loop: clocks, and the step that turns (clock, features,
parameter state) into a drawn frame, for the Python API, the export and the window."""
