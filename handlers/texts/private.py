"""Texts of the private-chat fallback: what kopi can do with a message nobody else took."""

from __future__ import annotations

ID: dict[str, str] = {
    "private.offer": "Terima kasih, Bapak/Ibu. Mau kopi simpan sebagai apa?",
    "private.button.concern": "✍ Keresahan",
    "private.button.practice": "👏 Praktik baik",
    "private.button.reflect": "📝 Refleksi",
    "private.unknown_command": "Maaf, kopi belum mengenal perintah itu.",
    "private.other": "Maaf, kopi belum bisa memakai pesan seperti ini. Silakan kirim teks, foto, "
    "atau pesan suara.",
    "private.which": "Untuk komunitas yang mana, Bapak/Ibu?",
    "private.for_community": "Untuk <b>{title}</b>:",
    "private.no_community": (
        "Bapak/Ibu belum tergabung di komunitas yang ada saya di dalamnya. Tambahkan saya ke grup "
        "komunitas, lalu tulis sesuatu di sana."
    ),
    "private.practice_saved": "👏 Praktik baik tersimpan untuk <b>{title}</b>. Terima kasih!",
    "private.saved_before": "Pesan ini sudah tersimpan sebelumnya.",
}

EN: dict[str, str] = {
    "private.offer": "Thank you. What shall kopi save this as?",
    "private.button.concern": "✍ Concern",
    "private.button.practice": "👏 Good practice",
    "private.button.reflect": "📝 Reflection",
    "private.unknown_command": "Sorry, kopi does not know that command yet.",
    "private.other": "Sorry, kopi cannot use a message like this yet. Please send text, a photo "
    "or a voice note.",
    "private.which": "For which community?",
    "private.for_community": "For <b>{title}</b>:",
    "private.no_community": (
        "You are not in a community I am part of yet. Add me to your community's group, then "
        "write something there."
    ),
    "private.practice_saved": "👏 Good practice saved for <b>{title}</b>. Thank you!",
    "private.saved_before": "This message was saved before.",
}
