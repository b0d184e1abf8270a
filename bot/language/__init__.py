"""Plain Chinese-language logic: normalisation, numbers, budgets. No Rasa, no I/O."""
