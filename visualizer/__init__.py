"""visualizer: a GPU shader music visualizer.

Data flows one way: audio -> features -> uniforms -> render graph -> output.
Nothing starts at import time (no contexts, threads or watchers).
"""

__version__ = "0.1.0"
