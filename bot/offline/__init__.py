"""An offline Telegram Bot API: what the tests and the demo talk to instead of Telegram."""
