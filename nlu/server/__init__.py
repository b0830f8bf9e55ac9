"""Settings of the Rasa HTTP server itself (not of the model)."""
