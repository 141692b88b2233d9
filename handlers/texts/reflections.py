"""Texts of reflections: the guided 4F questions, sharing, the teacher's own list."""

ID = {
    "reflect.cmd.write": "Tulis refleksi (4F)",
    "reflect.cmd.mine": "Refleksi saya",
    "reflect.button.write": "✍️ Tulis refleksi",
    "reflect.button.mine": "📚 Refleksi saya",
    "reflect.group.invite": (
        "✍️ Refleksi ditulis di chat pribadi, langkah demi langkah: <b>Fakta, Perasaan, Temuan, "
        "Masa depan</b>. Tekan tombol di bawah; Bapak/Ibu sendiri yang memutuskan apakah refleksi "
        "itu dibagikan ke grup."
    ),
    "reflect.group.mine": "Daftar refleksi Bapak/Ibu ada di chat pribadi dengan saya.",
    "reflect.no_community": (
        "Refleksi ditulis untuk sebuah komunitas, dan saya belum melihat Bapak/Ibu di grup "
        "komunitas mana pun. Tulis /refleksi di grup komunitas Bapak/Ibu, atau tambahkan saya ke "
        "grup itu."
    ),
    "reflect.choose_community": "Refleksi ini untuk komunitas yang mana?",
    "reflect.meeting.question": (
        "🗓 <b>Refleksi ini tentang pertemuan yang mana?</b> — {community}\n"
        "Pilih dengan tombol di bawah. Kalau Bapak/Ibu langsung menulis jawaban, refleksi ini "
        "saya catat {current}."
    ),
    "reflect.meeting.latest": "{date} (terbaru)",
    "reflect.meeting.none": "Bukan tentang pertemuan",
    "reflect.meeting.current": "tentang pertemuan <b>{date}</b>",
    "reflect.meeting.current_none": "<b>bukan tentang pertemuan</b>",
    "reflect.meeting.gone": "Maaf, pertemuan itu tidak saya temukan di komunitas ini.",
    "reflect.in_meeting": "{community} · pertemuan {date}",
    "reflect.about": "🗓 Tentang pertemuan {date}",
    "reflect.step.meeting": "pilihan pertemuan",
    "reflect.link_unknown": "Maaf, tautan refleksi itu tidak saya kenali.",
    "reflect.link_gone": "Maaf, komunitas itu tidak saya temukan lagi.",
    "reflect.link_not_member": (
        "Maaf, refleksi untuk <b>{community}</b> hanya untuk anggota grupnya. Jika Bapak/Ibu "
        "anggota, tulis satu pesan di grup itu dulu, lalu coba lagi."
    ),
    "reflect.draft_exists": (
        "Bapak/Ibu masih punya draf refleksi untuk <b>{community}</b> (langkah {step}). "
        "Lanjutkan draf itu, atau mulai yang baru? Draf lama tetap tersimpan."
    ),
    "reflect.button.resume": "▶️ Lanjutkan draf",
    "reflect.button.new": "✍️ Mulai refleksi baru",
    "reflect.part.facts": "Fakta",
    "reflect.part.feelings": "Perasaan",
    "reflect.part.findings": "Temuan",
    "reflect.part.future": "Masa depan",
    "reflect.part.body": "Isi refleksi",
    "reflect.q.facts": (
        "Apa yang terjadi? Ceritakan apa adanya: kegiatan apa, siapa saja yang terlibat, dan apa "
        "yang Bapak/Ibu lakukan."
    ),
    "reflect.q.feelings": "Apa yang Bapak/Ibu rasakan saat itu, dan mengapa?",
    "reflect.q.findings": "Apa yang Bapak/Ibu pelajari? Apa yang sudah berhasil, apa yang belum?",
    "reflect.q.future": (
        "Apa yang akan Bapak/Ibu lakukan selanjutnya, di kelas atau bersama komunitas?"
    ),
    "reflect.question": "<b>{number}/4 · {label}</b> — {community}\n{question}",
    "reflect.step.choose": "pilihan berbagi",
    "reflect.hint": "<i>Balas dengan teks atau pesan suara.</i>",
    "reflect.current": "Jawaban saat ini: <i>{answer}</i>\nKirim pesan baru untuk menggantinya.",
    "reflect.voice_count": "🎤 {count} pesan suara",
    "reflect.button.back": "◀️ Kembali",
    "reflect.button.skip": "⏭ Lewati",
    "reflect.button.keep": "✅ Biarkan",
    "reflect.button.stop": "⏸ Berhenti dulu",
    "reflect.summary.title": "📝 <b>Ringkasan refleksi</b> — {community}",
    "reflect.summary.choose": "Bagaimana refleksi ini disimpan?",
    "reflect.summary.empty": (
        "Refleksi ini masih kosong. Kembali untuk menulis jawaban, atau hapus drafnya."
    ),
    "reflect.button.private": "🔒 Simpan pribadi (hanya saya)",
    "reflect.button.named": "👥 Bagikan ke grup dengan nama saya",
    "reflect.button.anonymous": "🙈 Bagikan ke grup tanpa nama",
    "reflect.saved.private": (
        "🔒 Refleksi tersimpan dan hanya Bapak/Ibu yang bisa membacanya. Terima kasih sudah "
        "berefleksi! Buka kembali kapan saja dengan /refleksisaya."
    ),
    "reflect.saved.named": (
        "👥 Refleksi tersimpan dan sudah dibagikan ke grup <b>{community}</b> dengan nama "
        "Bapak/Ibu. Terima kasih sudah berbagi!"
    ),
    "reflect.saved.anonymous": (
        "🙈 Refleksi tersimpan dan sudah dibagikan ke grup <b>{community}</b> tanpa nama. "
        "Anggota lain tidak akan tahu siapa penulisnya. Terima kasih sudah berbagi!"
    ),
    "reflect.saved.post_failed": (
        "Refleksi tersimpan, tetapi saya tidak bisa mengirimnya ke grup <b>{community}</b> "
        "(mungkin saya sudah tidak ada di grup itu). Refleksi tetap ada di /refleksisaya."
    ),
    "reflect.stopped": (
        "⏸ Draf tersimpan. Lanjutkan kapan saja dengan /refleksi atau tombol di bawah."
    ),
    "reflect.button.delete_draft": "🗑 Hapus draf",
    "reflect.idle": (
        "Sudah 30 menit tidak ada jawaban, jadi draf refleksi Bapak/Ibu untuk "
        "<b>{community}</b> saya simpan (langkah {step}). Lanjutkan kapan saja: tekan tombol di "
        "bawah atau ketik /refleksi."
    ),
    "reflect.held": (
        "Bapak/Ibu punya draf refleksi yang tertunda untuk <b>{community}</b>. Simpan pesan tadi "
        "sebagai jawaban <b>{label}</b>?"
    ),
    "reflect.held_edit": "Simpan pesan tadi sebagai <b>{label}</b> yang baru untuk refleksi itu?",
    "reflect.button.held_yes": "✅ Ya, simpan",
    "reflect.button.held_no": "✖️ Bukan",
    "reflect.held_no": (
        "Baik, pesan tadi tidak saya masukkan ke refleksi. Draf tetap tersimpan; lanjutkan kapan "
        "saja dengan /refleksi."
    ),
    "reflect.choose_hint": (
        "Refleksi ini sudah siap. Pilih cara menyimpannya dengan tombol di bawah, atau kembali "
        "untuk mengubah jawaban."
    ),
    "reflect.unsupported": (
        "Maaf, untuk refleksi saya hanya bisa menyimpan teks dan pesan suara. Silakan tuliskan "
        "atau rekam jawabannya."
    ),
    "reflect.not_found": "Refleksi itu tidak ditemukan (mungkin sudah dihapus).",
    "reflect.post.named": "📝 <b>Refleksi {name}</b>",
    "reflect.post.anonymous": "📝 <b>Refleksi seorang anggota</b> (anonim)",
    "reflect.post.voice": "🎤 {label}",
    "reflect.mine.title": "📚 <b>Refleksi saya</b> — halaman {page}/{pages}",
    "reflect.mine.empty": (
        "Belum ada refleksi. Mulai dengan /refleksi; hanya Bapak/Ibu yang bisa membacanya, "
        "kecuali Bapak/Ibu memilih untuk membagikannya."
    ),
    "reflect.mine.item": "{number}. {date} · {community} · {status}\n<i>{preview}</i>",
    "reflect.status.private": "🔒 pribadi",
    "reflect.status.named": "👥 dibagikan",
    "reflect.status.anonymous": "🙈 dibagikan tanpa nama",
    "reflect.status.draft": "✏️ draf, langkah {step}",
    "reflect.preview.empty": "(kosong)",
    "reflect.view.title": "📝 <b>Refleksi</b> — {community}\n{date} · {status}",
    "reflect.button.edit": "✏️ Ubah",
    "reflect.button.share": "🔁 Atur berbagi",
    "reflect.button.delete": "🗑 Hapus",
    "reflect.button.play": "🎤 Putar pesan suara",
    "reflect.button.list": "📚 Daftar refleksi",
    "reflect.button.older": "Berikutnya ▶️",
    "reflect.button.newer": "◀️ Sebelumnya",
    "reflect.edit.choose": "Bagian mana yang ingin diubah?",
    "reflect.edit.prompt": "Kirim teks atau pesan suara baru untuk <b>{label}</b>.",
    "reflect.edit.saved": "✅ {label} sudah diperbarui.",
    "reflect.edit.cancelled": "Baik, tidak ada yang diubah.",
    "reflect.button.cancel": "✖️ Batal",
    "reflect.button.view": "📄 Lihat refleksi",
    "reflect.share.choose": "Refleksi ini sekarang: {status}. Ubah menjadi:",
    "reflect.share.private": "🔒 Refleksi ini kini pribadi; kirimannya di grup sudah saya hapus.",
    "reflect.share.private_left": (
        "🔒 Refleksi ini kini pribadi. Kiriman lamanya di grup tidak bisa saya hapus (Telegram "
        "hanya mengizinkan dalam 48 jam); mohon minta fasilitator menghapusnya."
    ),
    "reflect.share.unchanged": "Refleksi ini memang sudah {status}.",
    "reflect.delete.confirm": "Hapus refleksi ini? Tindakan ini tidak bisa dibatalkan.",
    "reflect.delete.confirm_draft": "Hapus draf ini? Jawaban yang sudah ditulis akan hilang.",
    "reflect.button.confirm_delete": "🗑 Ya, hapus",
    "reflect.button.no": "↩️ Tidak",
    "reflect.deleted": "Refleksi sudah dihapus.",
}

EN = {
    "reflect.cmd.write": "Write a reflection (4F)",
    "reflect.cmd.mine": "My reflections",
    "reflect.button.write": "✍️ Write a reflection",
    "reflect.button.mine": "📚 My reflections",
    "reflect.group.invite": (
        "✍️ Reflections are written in private chat, step by step: <b>Facts, Feelings, "
        "Findings, Future</b>. Tap the button below; you alone decide whether your reflection is "
        "shared with the group."
    ),
    "reflect.group.mine": "Your reflections are listed in your private chat with me.",
    "reflect.no_community": (
        "A reflection is written for a community, and I haven't seen you in any community group "
        "yet. Write /refleksi in your community's group, or add me to that group."
    ),
    "reflect.choose_community": "Which community is this reflection for?",
    "reflect.meeting.question": (
        "🗓 <b>Which meeting is this reflection about?</b> — {community}\n"
        "Choose with the buttons below. If you simply start writing your answer, I'll note this "
        "reflection {current}."
    ),
    "reflect.meeting.latest": "{date} (latest)",
    "reflect.meeting.none": "Not about a meeting",
    "reflect.meeting.current": "as about the meeting of <b>{date}</b>",
    "reflect.meeting.current_none": "as <b>not about a meeting</b>",
    "reflect.meeting.gone": "Sorry, I can't find that meeting in this community.",
    "reflect.in_meeting": "{community} · meeting of {date}",
    "reflect.about": "🗓 About the meeting of {date}",
    "reflect.step.meeting": "choosing the meeting",
    "reflect.link_unknown": "Sorry, I don't recognise that reflection link.",
    "reflect.link_gone": "Sorry, I can no longer find that community.",
    "reflect.link_not_member": (
        "Sorry, reflections for <b>{community}</b> are for the members of its group. If you are "
        "a member, write one message in that group first, then try again."
    ),
    "reflect.draft_exists": (
        "You still have a draft reflection for <b>{community}</b> (step {step}). Continue that "
        "draft, or start a new one? The old draft stays saved."
    ),
    "reflect.button.resume": "▶️ Continue the draft",
    "reflect.button.new": "✍️ Start a new reflection",
    "reflect.part.facts": "Facts",
    "reflect.part.feelings": "Feelings",
    "reflect.part.findings": "Findings",
    "reflect.part.future": "Future",
    "reflect.part.body": "Reflection",
    "reflect.q.facts": (
        "What happened? Tell it as it was: what activity, who was involved, and what you did."
    ),
    "reflect.q.feelings": "How did you feel at the time, and why?",
    "reflect.q.findings": "What did you learn? What worked, and what didn't yet?",
    "reflect.q.future": "What will you do next, in your class or with the community?",
    "reflect.question": "<b>{number}/4 · {label}</b> — {community}\n{question}",
    "reflect.step.choose": "sharing choice",
    "reflect.hint": "<i>Reply with text or a voice message.</i>",
    "reflect.current": "Current answer: <i>{answer}</i>\nSend a new message to replace it.",
    "reflect.voice_count": "🎤 {count} voice message(s)",
    "reflect.button.back": "◀️ Back",
    "reflect.button.skip": "⏭ Skip",
    "reflect.button.keep": "✅ Keep it",
    "reflect.button.stop": "⏸ Pause",
    "reflect.summary.title": "📝 <b>Your reflection</b> — {community}",
    "reflect.summary.choose": "How should this reflection be kept?",
    "reflect.summary.empty": (
        "This reflection is still empty. Go back to write, or delete the draft."
    ),
    "reflect.button.private": "🔒 Keep it private (only me)",
    "reflect.button.named": "👥 Share with the group, with my name",
    "reflect.button.anonymous": "🙈 Share with the group, without my name",
    "reflect.saved.private": (
        "🔒 Your reflection is saved, and only you can read it. Thank you for reflecting! Open "
        "it again any time with /refleksisaya."
    ),
    "reflect.saved.named": (
        "👥 Your reflection is saved and shared with <b>{community}</b> under your name. Thank "
        "you for sharing!"
    ),
    "reflect.saved.anonymous": (
        "🙈 Your reflection is saved and shared with <b>{community}</b> without your name. The "
        "other members won't know who wrote it. Thank you for sharing!"
    ),
    "reflect.saved.post_failed": (
        "Your reflection is saved, but I couldn't post it to <b>{community}</b> (perhaps I'm no "
        "longer in that group). It is still in /refleksisaya."
    ),
    "reflect.stopped": "⏸ Draft saved. Continue any time with /refleksi or the button below.",
    "reflect.button.delete_draft": "🗑 Delete the draft",
    "reflect.idle": (
        "No answer for 30 minutes, so I've kept your draft reflection for <b>{community}</b> "
        "(step {step}). Continue any time: tap the button below or type /refleksi."
    ),
    "reflect.held": (
        "You have an unfinished reflection for <b>{community}</b>. Keep that message as your "
        "answer to <b>{label}</b>?"
    ),
    "reflect.held_edit": "Keep that message as the new <b>{label}</b> of that reflection?",
    "reflect.button.held_yes": "✅ Yes, keep it",
    "reflect.button.held_no": "✖️ No",
    "reflect.held_no": (
        "All right, I haven't put that message into your reflection. The draft stays saved; "
        "continue any time with /refleksi."
    ),
    "reflect.choose_hint": (
        "This reflection is ready. Choose how to keep it with the buttons below, or go back to "
        "change an answer."
    ),
    "reflect.unsupported": (
        "Sorry, for reflections I can only keep text and voice messages. Please write or record "
        "your answer."
    ),
    "reflect.not_found": "That reflection wasn't found (perhaps it was deleted).",
    "reflect.post.named": "📝 <b>{name}'s reflection</b>",
    "reflect.post.anonymous": "📝 <b>A member's reflection</b> (anonymous)",
    "reflect.post.voice": "🎤 {label}",
    "reflect.mine.title": "📚 <b>My reflections</b> — page {page}/{pages}",
    "reflect.mine.empty": (
        "No reflections yet. Start with /refleksi; only you can read them, unless you choose to "
        "share them."
    ),
    "reflect.mine.item": "{number}. {date} · {community} · {status}\n<i>{preview}</i>",
    "reflect.status.private": "🔒 private",
    "reflect.status.named": "👥 shared",
    "reflect.status.anonymous": "🙈 shared without name",
    "reflect.status.draft": "✏️ draft, step {step}",
    "reflect.preview.empty": "(empty)",
    "reflect.view.title": "📝 <b>Reflection</b> — {community}\n{date} · {status}",
    "reflect.button.edit": "✏️ Edit",
    "reflect.button.share": "🔁 Sharing",
    "reflect.button.delete": "🗑 Delete",
    "reflect.button.play": "🎤 Play voice messages",
    "reflect.button.list": "📚 List of reflections",
    "reflect.button.older": "Next ▶️",
    "reflect.button.newer": "◀️ Previous",
    "reflect.edit.choose": "Which part would you like to change?",
    "reflect.edit.prompt": "Send the new text or voice message for <b>{label}</b>.",
    "reflect.edit.saved": "✅ {label} is updated.",
    "reflect.edit.cancelled": "All right, nothing was changed.",
    "reflect.button.cancel": "✖️ Cancel",
    "reflect.button.view": "📄 View the reflection",
    "reflect.share.choose": "This reflection is now: {status}. Change it to:",
    "reflect.share.private": (
        "🔒 This reflection is now private; I've deleted its post in the group."
    ),
    "reflect.share.private_left": (
        "🔒 This reflection is now private. I couldn't delete its old post in the group (Telegram "
        "only allows it within 48 hours); please ask a facilitator to delete it."
    ),
    "reflect.share.unchanged": "This reflection is already {status}.",
    "reflect.delete.confirm": "Delete this reflection? This can't be undone.",
    "reflect.delete.confirm_draft": "Delete this draft? The answers written so far will be lost.",
    "reflect.button.confirm_delete": "🗑 Yes, delete",
    "reflect.button.no": "↩️ No",
    "reflect.deleted": "The reflection is deleted.",
}
