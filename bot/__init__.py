"""kopi wiring: configuration, the Application, the CLI, the offline Telegram."""
