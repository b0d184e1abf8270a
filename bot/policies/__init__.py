"""Dialogue policies of our own (Rasa graph components that choose the next action)."""
