"""Dashboard routes, one module per thing staff do."""
