"""The live show: a window rendering a preset to audio as it happens."""
