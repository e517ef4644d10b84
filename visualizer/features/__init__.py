"""Audio features, pure numpy: spectrum, levels and bands per video frame.

Never imports GL."""
