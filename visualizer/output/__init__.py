"""Where frames go: the offline export (readback, ffmpeg encoder, atomic files),
stills and plots, and the window host of the live app."""
