"""Texts of capture: concerns, good practices, the problem map and search."""

ID = {
    "cmd.concern": "Catat keresahan / lihat peta masalah",
    "cmd.practice": "Catat praktik baik / lihat daftarnya",
    "cmd.save": "Simpan pesan yang dibalas",
    "cmd.search": "Cari keresahan dan praktik baik",
    # acknowledgements and hints
    "capture.saved.concern": "✍ Keresahan tercatat.",
    "capture.saved.practice": "👏 Praktik baik tercatat.",
    "capture.empty.concern": (
        "Bapak/Ibu, tuliskan juga keresahannya ya, misalnya:\n"
        "<code>#keresahan siswa sulit fokus setelah istirahat</code>"
    ),
    "capture.empty.practice": (
        "Bapak/Ibu, tuliskan juga praktik baiknya ya, misalnya:\n"
        "<code>#praktikbaik membaca 15 menit sebelum pelajaran #literasi</code>"
    ),
    "capture.cancelled": "Baik, tidak jadi.",
    "capture.follow_up_only": "Maaf, ini hanya untuk penulisnya atau fasilitator (admin grup).",
    # who wrote it
    "capture.author.anonymous": "Tanpa nama",
    "capture.author.channel": "Kanal",
    "capture.author.group_admin": "Admin grup",
    "capture.author.unknown": "Tidak diketahui",
    "capture.author.gone": "Anggota",
    # words
    "capture.kind.concern": "keresahan",
    "capture.kind.practice": "praktik baik",
    "capture.label.concern": "Keresahan No. {id}",
    "capture.label.practice": "Praktik baik No. {id}",
    "capture.status.new": "baru",
    "capture.status.discussed": "dibahas",
    "capture.status.resolved": "selesai",
    "capture.file.photo": "🖼 Foto terlampir",
    "capture.file.document": "📎 Berkas terlampir",
    "capture.file.video": "🎬 Video terlampir",
    "capture.file.audio": "🎵 Audio terlampir",
    "capture.file.voice": "🎙 Pesan suara terlampir",
    "capture.file.caption": "<b>{label}</b>\n{text}",
    "capture.file.gone": "Maaf, berkas itu sudah tidak bisa saya kirim ulang.",
    # the problem map
    "capture.list.title": "🗺 <b>Peta masalah — {title}</b>\nHalaman {page}/{pages}",
    "capture.list.resolved_title": (
        "✅ <b>Keresahan yang selesai — {title}</b>\nHalaman {page}/{pages}"
    ),
    "capture.list.concern": "{number}. {status} {text}\n    🙋 {votes} · {author} · {date}",
    "capture.list.empty": (
        "Belum ada keresahan yang terbuka. Bapak/Ibu bisa berbagi dengan menulis "
        "<code>#keresahan</code> diikuti isinya."
    ),
    "capture.list.resolved_empty": "Belum ada keresahan yang selesai.",
    # good practices
    "capture.practices.title": "🌱 <b>Praktik baik — {title}</b>\nHalaman {page}/{pages}",
    "capture.practices.title_tag": (
        "🌱 <b>Praktik baik #{tag} — {title}</b>\nHalaman {page}/{pages}"
    ),
    "capture.practices.item": "{number}. {file}{text}\n    {author} · {date}{tags}",
    "capture.practices.empty": (
        "Belum ada praktik baik yang tercatat. Bagikan dengan menulis "
        "<code>#praktikbaik</code> diikuti ceritanya."
    ),
    "capture.practices.empty_tag": "Belum ada praktik baik dengan tagar #{tag}.",
    # detail
    "capture.detail.head": "{icon} <b>{label}</b>",
    "capture.detail.status": "Status: {icon} {status} · 🙋 {votes}",
    "capture.detail.by": "👤 {author} · {date}",
    "capture.detail.note": "📝 <b>Rencana solusi</b>",
    "capture.detail.practices": "🔗 <b>Praktik baik terkait</b>",
    "capture.detail.concerns": "🔗 <b>Menjawab keresahan</b>",
    "capture.detail.link": "• {label}: {text}",
    "capture.note.hint": (
        "✍ Penulis atau fasilitator: tekan 📝 Rencana, atau balas pesan ini, untuk menulis "
        "rencana solusi Keresahan No. {id}."
    ),
    "capture.note.ask": "tulis rencana solusi untuk {label}.",
    "capture.button.plan": "📝 Rencana",
    "capture.button.write_concern": "✍ Tulis keresahan",
    "capture.note.saved": "📝 Rencana solusi {label} tersimpan.",
    "capture.note.empty": "Tuliskan rencana solusinya sebagai teks ya, Bapak/Ibu.",
    "capture.post.anonymous": "💭 <b>{label}</b> (tanpa nama)",
    "capture.post.named": "💭 <b>{label}</b> dari {author}",
    "capture.hidden": "🙈 {label} disembunyikan dari daftar dan pencarian.",
    "capture.hide.done": "Disembunyikan.",
    "capture.hide.undone": "Ditampilkan lagi.",
    "capture.status.changed": "Status kini: {status}.",
    "capture.vote.added": "🙋 Tercatat: Bapak/Ibu juga merasakannya ({votes} orang).",
    "capture.vote.removed": "Suara Bapak/Ibu dibatalkan ({votes} orang).",
    # linking practices
    "capture.link.title": "🔗 <b>Praktik baik untuk {label}</b>\nHalaman {page}/{pages}",
    "capture.link.item": "{number}. {mark} {text}",
    "capture.link.none": "Belum ada praktik baik yang bisa dikaitkan dengan {label}.",
    "capture.link.linked": "Dikaitkan.",
    "capture.link.unlinked": "Kaitan dilepas.",
    # /simpan
    "capture.save.ask": "Simpan pesan ini sebagai apa?",
    "capture.save.how": (
        "Balas (reply) pesan yang ingin disimpan, lalu tulis /simpan. "
        "Saya akan bertanya: keresahan atau praktik baik?"
    ),
    "capture.save.not_kopi": "Pesan dari saya tidak perlu disimpan, Bapak/Ibu.",
    "capture.save.not_yours": "Tombol ini untuk yang meminta penyimpanan atau fasilitator.",
    "capture.save.gone": "Maaf, pesan aslinya sudah tidak ada.",
    "capture.save.empty": "Pesan itu tidak berisi teks atau berkas untuk disimpan.",
    "capture.save.before": "Pesan itu sudah tersimpan sebelumnya.",
    # private concern
    "capture.private.ask": "silakan tulis keresahan Bapak/Ibu.",
    "capture.private.placeholder": "Keresahan saya…",
    "capture.private.which": "Keresahan ini untuk komunitas mana?",
    "capture.private.how": (
        "Kirim ke <b>{title}</b> dengan nama Bapak/Ibu, atau tanpa nama?\n"
        "<i>Tanpa nama: tidak ada yang bisa mengetahui penulisnya, termasuk fasilitator.</i>"
    ),
    "capture.private.sent_anonymous": (
        "✅ Terkirim ke {title} tanpa nama. Terima kasih sudah berbagi."
    ),
    "capture.private.sent_named": "✅ Terkirim ke {title}. Terima kasih sudah berbagi.",
    "capture.private.sent_before": "Keresahan ini sudah terkirim.",
    "capture.private.gone": "Maaf, pesan keresahannya tidak ditemukan. Silakan kirim ulang.",
    # search
    "capture.search.ask": "apa yang ingin dicari? Tulis kata kuncinya.",
    "capture.search.placeholder": "literasi, numerasi…",
    "capture.search.title": "🔎 <b>Hasil pencarian “{words}”</b>: {count}",
    "capture.search.item": "{number}. {icon} {text}\n    <i>{what}</i>",
    "capture.search.none": "Tidak ada keresahan atau praktik baik yang cocok dengan “{words}”.",
    "capture.search.nothing_to_find": (
        "Tuliskan kata yang dicari ya, Bapak/Ibu, misalnya <code>/cari literasi</code>."
    ),
    # buttons
    "capture.button.vote": "🙋 Saya juga ({votes})",
    "capture.button.vote_n": "🙋 {number}",
    "capture.button.detail": "🔎 Detail",
    "capture.button.detail_n": "🔎 {number}",
    "capture.button.previous": "◀️ Sebelumnya",
    "capture.button.next": "Berikutnya ▶️",
    "capture.button.show_resolved": "✅ Yang sudah selesai",
    "capture.button.show_open": "🗺 Peta masalah",
    "capture.button.map": "🗺 Peta masalah",
    "capture.button.practices": "🌱 Praktik baik",
    "capture.button.back": "↩️ Kembali",
    "capture.button.status_b": "🆕 Buka lagi",
    "capture.button.status_d": "💬 Dibahas",
    "capture.button.status_s": "✅ Selesai",
    "capture.button.link": "🔗 Praktik baik",
    "capture.button.link_n": "➕ {number}",
    "capture.button.unlink_n": "✅ {number}",
    "capture.button.done": "✔️ Selesai memilih",
    "capture.button.hide": "🙈 Sembunyikan",
    "capture.button.unhide": "↩️ Tampilkan lagi",
    "capture.button.file": "📎 Kirim berkasnya",
    "capture.button.as_concern": "💭 Keresahan",
    "capture.button.as_practice": "🌱 Praktik baik",
    "capture.button.cancel": "✖️ Batal",
    "capture.button.anonymous": "🙈 Tanpa nama",
    "capture.button.named": "👤 Dengan nama",
}

EN = {
    "cmd.concern": "Note a concern / see the problem map",
    "cmd.practice": "Note a good practice / see the list",
    "cmd.save": "Save the message you reply to",
    "cmd.search": "Search concerns and good practices",
    # acknowledgements and hints
    "capture.saved.concern": "✍ Concern noted.",
    "capture.saved.practice": "👏 Good practice noted.",
    "capture.empty.concern": (
        "Please write the concern itself too, for example:\n"
        "<code>#keresahan students lose focus after the break</code>"
    ),
    "capture.empty.practice": (
        "Please write the good practice itself too, for example:\n"
        "<code>#praktikbaik 15 minutes of reading before class #literasi</code>"
    ),
    "capture.cancelled": "All right, never mind.",
    "capture.follow_up_only": "Sorry, this is for its author or a facilitator (group admin) only.",
    # who wrote it
    "capture.author.anonymous": "Anonymous",
    "capture.author.channel": "Channel",
    "capture.author.group_admin": "Group admin",
    "capture.author.unknown": "Unknown",
    "capture.author.gone": "A member",
    # words
    "capture.kind.concern": "concern",
    "capture.kind.practice": "good practice",
    "capture.label.concern": "Concern No. {id}",
    "capture.label.practice": "Good practice No. {id}",
    "capture.status.new": "new",
    "capture.status.discussed": "being discussed",
    "capture.status.resolved": "resolved",
    "capture.file.photo": "🖼 Photo attached",
    "capture.file.document": "📎 File attached",
    "capture.file.video": "🎬 Video attached",
    "capture.file.audio": "🎵 Audio attached",
    "capture.file.voice": "🎙 Voice message attached",
    "capture.file.caption": "<b>{label}</b>\n{text}",
    "capture.file.gone": "Sorry, I can no longer send that file again.",
    # the problem map
    "capture.list.title": "🗺 <b>Problem map — {title}</b>\nPage {page}/{pages}",
    "capture.list.resolved_title": "✅ <b>Resolved concerns — {title}</b>\nPage {page}/{pages}",
    "capture.list.concern": "{number}. {status} {text}\n    🙋 {votes} · {author} · {date}",
    "capture.list.empty": (
        "No open concerns yet. Share one by writing <code>#keresahan</code> followed by what "
        "worries you."
    ),
    "capture.list.resolved_empty": "No resolved concerns yet.",
    # good practices
    "capture.practices.title": "🌱 <b>Good practices — {title}</b>\nPage {page}/{pages}",
    "capture.practices.title_tag": "🌱 <b>Good practices #{tag} — {title}</b>\nPage {page}/{pages}",
    "capture.practices.item": "{number}. {file}{text}\n    {author} · {date}{tags}",
    "capture.practices.empty": (
        "No good practices noted yet. Share one by writing <code>#praktikbaik</code> followed "
        "by the story."
    ),
    "capture.practices.empty_tag": "No good practices tagged #{tag} yet.",
    # detail
    "capture.detail.head": "{icon} <b>{label}</b>",
    "capture.detail.status": "Status: {icon} {status} · 🙋 {votes}",
    "capture.detail.by": "👤 {author} · {date}",
    "capture.detail.note": "📝 <b>Solution plan</b>",
    "capture.detail.practices": "🔗 <b>Related good practices</b>",
    "capture.detail.concerns": "🔗 <b>Addresses the concerns</b>",
    "capture.detail.link": "• {label}: {text}",
    "capture.note.hint": (
        "✍ Author or facilitator: press 📝 Plan, or reply to this message, to write the "
        "solution plan of Concern No. {id}."
    ),
    "capture.note.ask": "write the solution plan for {label}.",
    "capture.button.plan": "📝 Plan",
    "capture.button.write_concern": "✍ Write a concern",
    "capture.note.saved": "📝 Solution plan of {label} saved.",
    "capture.note.empty": "Please write the solution plan as text.",
    "capture.post.anonymous": "💭 <b>{label}</b> (anonymous)",
    "capture.post.named": "💭 <b>{label}</b> from {author}",
    "capture.hidden": "🙈 {label} is hidden from the lists and search.",
    "capture.hide.done": "Hidden.",
    "capture.hide.undone": "Shown again.",
    "capture.status.changed": "Status is now: {status}.",
    "capture.vote.added": "🙋 Noted: you feel this too ({votes} people).",
    "capture.vote.removed": "Your vote is withdrawn ({votes} people).",
    # linking practices
    "capture.link.title": "🔗 <b>Good practices for {label}</b>\nPage {page}/{pages}",
    "capture.link.item": "{number}. {mark} {text}",
    "capture.link.none": "There are no good practices yet to link to {label}.",
    "capture.link.linked": "Linked.",
    "capture.link.unlinked": "Unlinked.",
    # /simpan
    "capture.save.ask": "Save this message as what?",
    "capture.save.how": (
        "Reply to the message you want to save and write /simpan. "
        "I'll ask: a concern or a good practice?"
    ),
    "capture.save.not_kopi": "My own messages need no saving.",
    "capture.save.not_yours": "This button is for whoever asked to save, or a facilitator.",
    "capture.save.gone": "Sorry, the original message is gone.",
    "capture.save.empty": "That message has no text or file to save.",
    "capture.save.before": "That message was saved before.",
    # private concern
    "capture.private.ask": "please write your concern.",
    "capture.private.placeholder": "My concern…",
    "capture.private.which": "Which community is this concern for?",
    "capture.private.how": (
        "Send it to <b>{title}</b> with your name, or anonymously?\n"
        "<i>Anonymous: nobody can find out who wrote it, facilitators included.</i>"
    ),
    "capture.private.sent_anonymous": "✅ Sent to {title} anonymously. Thank you for sharing.",
    "capture.private.sent_named": "✅ Sent to {title}. Thank you for sharing.",
    "capture.private.sent_before": "This concern has been sent already.",
    "capture.private.gone": "Sorry, I can't find the concern's message. Please send it again.",
    # search
    "capture.search.ask": "what are you looking for? Write the words.",
    "capture.search.placeholder": "literacy, numeracy…",
    "capture.search.title": "🔎 <b>Search results for “{words}”</b>: {count}",
    "capture.search.item": "{number}. {icon} {text}\n    <i>{what}</i>",
    "capture.search.none": "No concern or good practice matches “{words}”.",
    "capture.search.nothing_to_find": (
        "Please write what to look for, for example <code>/cari literasi</code>."
    ),
    # buttons
    "capture.button.vote": "🙋 Me too ({votes})",
    "capture.button.vote_n": "🙋 {number}",
    "capture.button.detail": "🔎 Details",
    "capture.button.detail_n": "🔎 {number}",
    "capture.button.previous": "◀️ Previous",
    "capture.button.next": "Next ▶️",
    "capture.button.show_resolved": "✅ Resolved ones",
    "capture.button.show_open": "🗺 Problem map",
    "capture.button.map": "🗺 Problem map",
    "capture.button.practices": "🌱 Good practices",
    "capture.button.back": "↩️ Back",
    "capture.button.status_b": "🆕 Reopen",
    "capture.button.status_d": "💬 Discussing",
    "capture.button.status_s": "✅ Resolved",
    "capture.button.link": "🔗 Good practices",
    "capture.button.link_n": "➕ {number}",
    "capture.button.unlink_n": "✅ {number}",
    "capture.button.done": "✔️ Done",
    "capture.button.hide": "🙈 Hide",
    "capture.button.unhide": "↩️ Show again",
    "capture.button.file": "📎 Send the file",
    "capture.button.as_concern": "💭 Concern",
    "capture.button.as_practice": "🌱 Good practice",
    "capture.button.cancel": "✖️ Cancel",
    "capture.button.anonymous": "🙈 Anonymously",
    "capture.button.named": "👤 With my name",
}
