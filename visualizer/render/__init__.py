"""GL core: context, shader source, programs, GPU resources, targets, passes and the graph.

Only render/, output/ and live/ import moderngl (tests/test_layout.py holds the rule)."""
