"""Per-frame parameter state: the modulation and trigger engine that turns
features and a preset's specs into uniform values. What control events change."""
