"""The run command: prepares the environment and supervises every process of the bot."""
