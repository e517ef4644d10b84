"""GL core: context, shader loading, programs, render targets and the render graph.

Only render/ and export/ import moderngl."""
