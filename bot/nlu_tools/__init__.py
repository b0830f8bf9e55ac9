"""Tools around the Rasa NLU server: train, serve, evaluate. Rasa is only ever a subprocess."""
