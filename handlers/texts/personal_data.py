"""Texts of /datasaya and /hapusdata: a teacher's rights over their personal data."""

ID = {
    "mydata.cmd.export": "Lihat semua data Bapak/Ibu di kopi",
    "mydata.cmd.erase": "Hapus data pribadi Bapak/Ibu",
    # ------------------------------------------------------------------ in a group
    "mydata.group.export": (
        "🔒 Data pribadi hanya saya kirim lewat chat pribadi. Silakan buka chat pribadi "
        "dengan saya lewat tombol di bawah."
    ),
    "mydata.group.erase": (
        "🔒 Penghapusan data pribadi hanya dilakukan di chat pribadi dengan saya; di sini "
        "tidak ada yang dihapus. Silakan lanjutkan lewat tombol di bawah."
    ),
    # ------------------------------------------------------------------ /datasaya
    "mydata.summary": (
        "📦 <b>Data Bapak/Ibu di kopi</b>\n{profile}\n\n{lines}\n\n"
        "Berkas JSON berikut memuat semuanya, baris demi baris. "
        "Untuk menghapus data pribadi Bapak/Ibu: /hapusdata"
    ),
    "mydata.profile": "👤 {name}",
    "mydata.profile.username": "👤 {name} (@{username})",
    "mydata.nothing": "Selain profil, belum ada catatan tentang Bapak/Ibu.",
    "mydata.line": "• {label}: {count}",
    "mydata.line.memberships": "• Komunitas: {count} (fasilitator di {facilitator})",
    "mydata.line.reflections": "• Refleksi: {count} ({private} pribadi atau draf)",
    "mydata.file_caption": "📎 Data Bapak/Ibu di kopi (JSON)",
    "mydata.none": "Saya belum menyimpan data apa pun tentang Bapak/Ibu.",
    # ------------------------------------------------------------------ kinds of rows
    "mydata.kind.people": "Profil",
    "mydata.kind.memberships": "Komunitas",
    "mydata.kind.capture_items": "Keresahan dan praktik baik",
    "mydata.kind.capture_votes": "Dukungan “🙋 saya juga”",
    "mydata.kind.reflections": "Refleksi",
    "mydata.kind.meeting_rsvps": "Jawaban kehadiran",
    "mydata.kind.meeting_deliveries": "Pesan kopi untuk Bapak/Ibu",
    "mydata.kind.norm_agreements": "Persetujuan norma",
    "mydata.kind.norms": "Norma yang Bapak/Ibu usulkan atau cabut",
    "mydata.kind.norm_versions": "Rumusan norma yang Bapak/Ibu tulis",
    "mydata.kind.community_aims": "Tujuan dan program yang Bapak/Ibu tulis",
    "mydata.kind.projects": "Proyek yang Bapak/Ibu mulai",
    "mydata.kind.project_members": "Keikutsertaan proyek",
    "mydata.kind.project_updates": "Kabar proyek",
    "mydata.kind.minutes_entries": "Catatan notulen",
    "mydata.kind.inputs": "Pertanyaan kopi yang menunggu jawaban",
    "mydata.kind.other": "Catatan lain",
    # ------------------------------------------------------------------ /hapusdata
    "mydata.erase.intro": (
        "🗑 <b>Hapus data pribadi</b>\n\n"
        "Saya akan menghapus profil Bapak/Ibu, keanggotaan komunitas, dukungan “saya juga”, "
        "jawaban kehadiran, persetujuan norma, keikutsertaan proyek, refleksi pribadi dan draf, "
        "serta pesan saya untuk Bapak/Ibu.\n\n{shared}"
    ),
    "mydata.erase.shared": (
        "Bapak/Ibu juga punya <b>{count} kiriman bersama</b> (keresahan, praktik baik, refleksi "
        "yang dibagikan, kabar proyek, notulen). Mau dihapus juga, atau tetap untuk komunitas "
        "tanpa nama Bapak/Ibu?"
    ),
    "mydata.erase.no_shared": "Bapak/Ibu tidak punya kiriman bersama di komunitas. Lanjutkan?",
    "mydata.erase.confirm": (
        "⚠️ <b>Langkah terakhir.</b> Penghapusan ini tidak bisa dibatalkan.\n\n{what}\n\n"
        "Norma, tujuan, dan proyek komunitas tetap ada, tanpa nama Bapak/Ibu. Yakin?"
    ),
    "mydata.erase.confirm.delete": (
        "Semua data pribadi Bapak/Ibu akan dihapus, termasuk kiriman bersama. Keresahan yang "
        "pernah Bapak/Ibu kirim secara anonim tidak bisa saya kenali, jadi tetap tersimpan "
        "tanpa nama."
    ),
    "mydata.erase.confirm.keep": (
        "Data pribadi Bapak/Ibu akan dihapus. Kiriman bersama tetap untuk komunitas, tanpa nama "
        "Bapak/Ibu dan tanpa jejak siapa penulisnya."
    ),
    "mydata.erase.cancelled": "Baik, dibatalkan. Tidak ada data yang dihapus.",
    "mydata.erase.already": "Data Bapak/Ibu sudah dihapus sebelumnya.",
    "mydata.done": (
        "✅ <b>Data pribadi Bapak/Ibu sudah dihapus dari kopi.</b>\n\n{details}\n\n{telegram}\n\n"
        "Jika Bapak/Ibu menyapa kopi lagi, Bapak/Ibu akan tercatat sebagai pengguna baru."
    ),
    "mydata.done.deleted": "🗑 <b>Dihapus</b>\n{lines}",
    "mydata.done.kept": "🕶 <b>Tetap untuk komunitas, tanpa nama</b>\n{lines}",
    "mydata.done.unlinked": (
        "📜 Nama Bapak/Ibu dilepas dari {count} catatan komunitas (norma, tujuan, proyek)."
    ),
    "mydata.done.posts": (
        "✏️ Di grup, saya memperbarui {count} pesan saya sendiri (refleksi yang dibagikan, "
        "rekap kehadiran)."
    ),
    "mydata.done.posts_failed": "⚠️ {count} pesan saya di grup tidak bisa diubah lagi.",
    "mydata.done.telegram": (
        "Pesan lain yang sudah terkirim di grup tetap ada di Telegram: pesan yang Bapak/Ibu "
        "tulis sendiri, dan pesan saya yang pernah menyebut nama Bapak/Ibu (misalnya daftar "
        "yang setuju norma, keresahan yang saya teruskan ke grup, rincian proyek, notulen yang "
        "sudah ditampilkan). Riwayat obrolan grup bukan milik kopi, jadi saya tidak bisa "
        "mengubahnya; pesan Bapak/Ibu sendiri dapat Bapak/Ibu hapus di Telegram."
    ),
    "mydata.button.delete_shared": "🗑 Hapus juga kiriman bersama",
    "mydata.button.keep_shared": "🕶 Simpan tanpa nama",
    "mydata.button.continue": "➡️ Lanjutkan",
    "mydata.button.confirm": "⚠️ Ya, hapus permanen",
    "mydata.button.cancel": "✖️ Batal",
    # ------------------------------------------------------------------ in the group's posts
    "mydata.anonymous": "Anggota (anonim)",
    "mydata.post.removed": "🗑 Refleksi ini sudah dihapus oleh penulisnya.",
    "mydata.agenda.removed": "(keresahan ini sudah dihapus oleh penulisnya)",
}

EN = {
    "mydata.cmd.export": "See all the data kopi keeps about you",
    "mydata.cmd.erase": "Delete your personal data",
    # ------------------------------------------------------------------ in a group
    "mydata.group.export": (
        "🔒 I only send personal data in a private chat. Please open a private chat with me "
        "with the button below."
    ),
    "mydata.group.erase": (
        "🔒 Personal data is deleted only in a private chat with me; nothing is deleted here. "
        "Please continue with the button below."
    ),
    # ------------------------------------------------------------------ /datasaya
    "mydata.summary": (
        "📦 <b>Your data in kopi</b>\n{profile}\n\n{lines}\n\n"
        "The JSON file below holds all of it, row by row. "
        "To delete your personal data: /hapusdata"
    ),
    "mydata.profile": "👤 {name}",
    "mydata.profile.username": "👤 {name} (@{username})",
    "mydata.nothing": "Besides your profile, there are no records about you yet.",
    "mydata.line": "• {label}: {count}",
    "mydata.line.memberships": "• Communities: {count} (facilitator in {facilitator})",
    "mydata.line.reflections": "• Reflections: {count} ({private} private or drafts)",
    "mydata.file_caption": "📎 Your data in kopi (JSON)",
    "mydata.none": "I do not keep any data about you yet.",
    # ------------------------------------------------------------------ kinds of rows
    "mydata.kind.people": "Profile",
    "mydata.kind.memberships": "Communities",
    "mydata.kind.capture_items": "Concerns and good practices",
    "mydata.kind.capture_votes": "“🙋 Me too” support",
    "mydata.kind.reflections": "Reflections",
    "mydata.kind.meeting_rsvps": "Attendance replies",
    "mydata.kind.meeting_deliveries": "Messages from kopi to you",
    "mydata.kind.norm_agreements": "Agreements to norms",
    "mydata.kind.norms": "Norms you proposed or retired",
    "mydata.kind.norm_versions": "Norm wordings you wrote",
    "mydata.kind.community_aims": "Aims and programme you wrote",
    "mydata.kind.projects": "Projects you started",
    "mydata.kind.project_members": "Projects you take part in",
    "mydata.kind.project_updates": "Project news",
    "mydata.kind.minutes_entries": "Minutes entries",
    "mydata.kind.inputs": "kopi's questions awaiting your answer",
    "mydata.kind.other": "Other records",
    # ------------------------------------------------------------------ /hapusdata
    "mydata.erase.intro": (
        "🗑 <b>Delete personal data</b>\n\n"
        "I will delete your profile, your community memberships, your “me too” support, "
        "attendance replies, agreements to norms, project memberships, private reflections and "
        "drafts, and my messages to you.\n\n{shared}"
    ),
    "mydata.erase.shared": (
        "You also have <b>{count} shared items</b> (concerns, good practices, shared "
        "reflections, project news, minutes). Delete them too, or keep them for the community "
        "without your name?"
    ),
    "mydata.erase.no_shared": "You have no shared items in any community. Continue?",
    "mydata.erase.confirm": (
        "⚠️ <b>Last step.</b> This deletion cannot be undone.\n\n{what}\n\n"
        "The community's norms, aims and projects stay, without your name. Are you sure?"
    ),
    "mydata.erase.confirm.delete": (
        "All your personal data will be deleted, shared items included. Concerns you once sent "
        "anonymously cannot be recognised as yours, so they stay, without a name."
    ),
    "mydata.erase.confirm.keep": (
        "Your personal data will be deleted. Your shared items stay for the community, without "
        "your name and without any trace of who wrote them."
    ),
    "mydata.erase.cancelled": "All right, cancelled. No data was deleted.",
    "mydata.erase.already": "Your data was already deleted.",
    "mydata.done": (
        "✅ <b>Your personal data has been deleted from kopi.</b>\n\n{details}\n\n{telegram}\n\n"
        "If you talk to kopi again, you will be registered as a new user."
    ),
    "mydata.done.deleted": "🗑 <b>Deleted</b>\n{lines}",
    "mydata.done.kept": "🕶 <b>Kept for the community, without a name</b>\n{lines}",
    "mydata.done.unlinked": (
        "📜 Your name was removed from {count} community records (norms, aims, projects)."
    ),
    "mydata.done.posts": (
        "✏️ In the group, I updated {count} of my own messages (shared reflections, attendance "
        "tallies)."
    ),
    "mydata.done.posts_failed": "⚠️ {count} of my messages in the group could not be changed.",
    "mydata.done.telegram": (
        "Other messages already sent in the group stay in Telegram: messages you wrote "
        "yourself, and my messages that once named you (such as who agreed to a norm, a "
        "concern I passed on to the group, a project's details, minutes that were shown). The "
        "group's chat history does not belong to kopi, so I cannot change it; you can delete "
        "your own messages in Telegram."
    ),
    "mydata.button.delete_shared": "🗑 Delete shared items too",
    "mydata.button.keep_shared": "🕶 Keep without my name",
    "mydata.button.continue": "➡️ Continue",
    "mydata.button.confirm": "⚠️ Yes, delete for good",
    "mydata.button.cancel": "✖️ Cancel",
    # ------------------------------------------------------------------ in the group's posts
    "mydata.anonymous": "A member (anonymous)",
    "mydata.post.removed": "🗑 This reflection was deleted by its author.",
    "mydata.agenda.removed": "(this concern was deleted by its author)",
}
