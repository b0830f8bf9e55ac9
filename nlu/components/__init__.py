"""Custom Rasa 3.6 components for Vietnamese (imported by the NLU server only)."""
