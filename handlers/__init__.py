"""Telegram-facing code: one module per feature, each exposing build_handlers()."""
