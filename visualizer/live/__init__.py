"""The live application: a window rendering presets to audio as it happens,
hot reload, the editor panel (later the playlist and transitions)."""
