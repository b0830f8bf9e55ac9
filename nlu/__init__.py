"""NLU side of Trợ lý An sinh: Rasa training data, pipeline components and pure-Python
Vietnamese text helpers (`nlu.textnorm`) that both the Rasa components and the bot use."""
