"""The demo shop's order system: its own small service, started by the run command when
``ORDER_SYSTEM_URL`` is unset; a shop points ``ORDER_SYSTEM_URL`` at its own system instead."""
