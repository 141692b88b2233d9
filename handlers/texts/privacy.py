"""Texts of /privasi: what kopi keeps and who sees it."""

ID = {
    "privacy.cmd": "Data apa yang disimpan kopi",
    "privacy.text": (
        "🔒 <b>Privasi di kopi</b>\n\n"
        "<b>Yang saya simpan</b>\n"
        "• Nama, username, dan bahasa Bapak/Ibu dari Telegram, serta komunitas yang "
        "Bapak/Ibu ikuti.\n"
        "• Yang Bapak/Ibu catat untuk komunitas: keresahan, praktik baik, refleksi, jawaban "
        "kehadiran, notulen, persetujuan norma, dan proyek.\n"
        "• Obrolan biasa di grup tidak saya simpan.\n\n"
        "<b>Siapa yang melihat</b>\n"
        "• Catatan dari grup (keresahan, praktik baik, norma, proyek, notulen) terlihat oleh "
        "anggota komunitas itu.\n"
        "• Refleksi bersifat pribadi: hanya Bapak/Ibu yang bisa membacanya, kecuali Bapak/Ibu "
        "memilih membagikannya.\n"
        "• Yang dibagikan secara anonim tampil tanpa nama. Keresahan anonim disimpan tanpa "
        "penulis sama sekali; refleksi anonim menyimpan penulisnya hanya agar Bapak/Ibu sendiri "
        "bisa mengubah atau menghapusnya.\n"
        "• Fasilitator hanya melihat angka (misalnya jumlah refleksi), tidak pernah isi "
        "refleksi pribadi. Laporan komunitas tidak memuat refleksi pribadi.\n\n"
        "<b>Hak Bapak/Ibu</b> (UU Pelindungan Data Pribadi)\n"
        "• /datasaya — melihat semua data Bapak/Ibu yang saya simpan.\n"
        "• /hapusdata — menghapus data pribadi Bapak/Ibu.\n"
        "Keduanya di chat pribadi dengan saya."
    ),
}

EN = {
    "privacy.cmd": "What data kopi keeps",
    "privacy.text": (
        "🔒 <b>Privacy in kopi</b>\n\n"
        "<b>What I keep</b>\n"
        "• Your name, username and language from Telegram, and the communities you belong "
        "to.\n"
        "• What you record for a community: concerns, good practices, reflections, attendance "
        "replies, minutes, agreements to norms, and projects.\n"
        "• Ordinary chat in the group is not kept.\n\n"
        "<b>Who sees it</b>\n"
        "• Records from the group (concerns, good practices, norms, projects, minutes) are "
        "visible to the members of that community.\n"
        "• Reflections are private: only you can read them, unless you choose to share them.\n"
        "• What is shared anonymously is shown without a name. An anonymous concern is kept "
        "with no author at all; an anonymous reflection keeps its author only so that you "
        "yourself can edit or delete it.\n"
        "• Facilitators only see numbers (such as how many reflections), never the content of "
        "private reflections. Community reports do not contain private reflections.\n\n"
        "<b>Your rights</b> (Indonesia's Personal Data Protection Law)\n"
        "• /datasaya — see all the data I keep about you.\n"
        "• /hapusdata — delete your personal data.\n"
        "Both in a private chat with me."
    ),
}
