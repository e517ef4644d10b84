"""Audio in: decoding files (and, later, live input). Pure numpy; no GL."""
