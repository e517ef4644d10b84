"""Audio features, pure numpy: spectrum, bands, levels, onsets, beats, the
whole-track pre-pass and the per-frame feature schedule. Never imports GL."""
