"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_CALLS = {
    "reply",
    "send",
    "send_tracked",
    "edit",
    "answer",
    "edit_message_text",
    "send_message",
    "reply_text",
    "edit_message_reply_markup",
    "delete_message",
    "send_document",
    "set_message_reaction",
    "get_chat_member",
    "is_facilitator",
    "refuse_unless_facilitator",
    "answer_callback_query",
    "send_photo",
    "send_voice",
    "copy_message",
    "forward_message",
}


def sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def test_no_telegram_call_inside_a_database_transaction() -> None:
    """On SQLite the one connection would be held through a network round trip, and a send that
    opens its own session (a migrated group, a removed bot) would wait for it forever."""
    found = []
    for path in sources("handlers", "bot", "scheduler"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.AsyncWith):
                continue
            opened = ast.unparse(node.items[0].context_expr)
            if "db" not in opened and "session" not in opened:
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Await) and isinstance(inner.value, ast.Call):
                    func = inner.value.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if name in TELEGRAM_CALLS:
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {name}()")
    assert found == []


def test_models_and_pure_scheduling_import_no_telegram() -> None:
    """models/ and scheduler's time logic must serve a WhatsApp or web front end unchanged."""
    offenders = []
    pure = [ROOT / "scheduler" / "recurrence.py", ROOT / "scheduler" / "planner.py"]
    for path in [*sources("models"), *pure]:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}"
                for n in names
                if n.split(".")[0] in ("telegram", "handlers", "bot")
            ]
    assert offenders == []


def test_handlers_never_import_the_wiring() -> None:
    offenders = []
    for path in sources("handlers", "scheduler", "models"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.split(".")[0] == "bot"
            ):
                offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []


def test_handler_groups_are_chosen_only_in_the_wiring() -> None:
    """bot.app.Group lists every handler group in run order; nothing else passes group=."""
    offenders = []
    for path in sources("handlers", "scheduler", "bot"):
        if path.relative_to(ROOT).as_posix() == "bot/app.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_handler"
                and any(k.arg == "group" for k in node.keywords)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id.endswith("GROUP")
                for target in node.targets
            ):  # a module choosing its own handler group (people.GROUP = -10, ...)
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_features_keep_no_string_keys_in_bot_data() -> None:
    """Shared state is a typed field of Services; bot_data holds only Services itself and the
    scheduler's MeetingJobs (scheduler/ may not import handlers/, where Services lives)."""
    allowed = {
        "handlers/context.py",  # Services itself, under SERVICES_KEY
        "scheduler/jobs.py",
    }
    found = {
        path.relative_to(ROOT).as_posix()
        for path in sources("handlers", "scheduler")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == "bot_data"
    }
    assert found <= allowed, found - allowed


def test_button_data_is_built_and_read_only_by_the_callback_codec() -> None:
    """Every button's data comes from an action (handlers.callbacks) through common.button, and
    every press reaches its action's one handler: no hand-built data, no router of its own."""
    allowed = {"handlers/callbacks.py", "handlers/common.py"}
    offenders = []
    for path in sources("handlers", "scheduler", "bot"):
        name = path.relative_to(ROOT).as_posix()
        if name in allowed or name.startswith("bot/offline/"):  # the fake Telegram reads data
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "callback_data":
                offenders.append(f"{name}:{node.value.lineno} callback_data=")
            if isinstance(node, ast.Name | ast.Attribute) and (
                (node.id if isinstance(node, ast.Name) else node.attr) == "CallbackQueryHandler"
            ):
                offenders.append(f"{name}:{node.lineno} CallbackQueryHandler")
    assert offenders == []
