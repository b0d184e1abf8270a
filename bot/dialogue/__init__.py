"""Plain dialogue logic shared by the action server: no Rasa, no I/O."""
