"""Channel adapters: how customers' messages reach the rasa server (REST, web widget, WeChat, Telegram)."""
