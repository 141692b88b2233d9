"""Texts of the community's agreements: norms, aims and programme, projects."""

ID = {
    # ------------------------------------------------------------------ asking for a text
    "agree.ask": "{who}, {question}\n<i>Balas pesan ini, atau ketik <b>batal</b>.</i>",
    "agree.you": "Bapak/Ibu",
    "agree.cancelled": "Baik, dibatalkan. Tidak ada yang berubah.",
    "agree.text_only": "Mohon balas dengan tulisan, ya.",
    "agree.already": (
        "ℹ️ Pesan ini sudah tersimpan sebelumnya, jadi tidak ada yang ditambahkan lagi."
    ),
    "agree.too_long": (
        "Maaf, tulisannya {length} karakter, sedangkan batasnya {limit}. "
        "Mohon dipersingkat lalu kirim lagi sebagai balasan pesan ini."
    ),
    "agree.names_more": "{names} dan {more} lainnya",
    "agree.in_group": (
        "Ini dilakukan di grup komunitas, agar semua anggota melihatnya. Di sini Anda bisa "
        "membaca, menyetujui, dan bergabung."
    ),
    "agree.button.previous": "⬅️ Sebelumnya",
    "agree.button.next": "Berikutnya ➡️",
    "agree.button.back": "⬅️ Kembali",
    # ------------------------------------------------------------------ norms
    "norm.cmd": "Norma kesepakatan komunitas",
    "norm.someone": "fasilitator",
    "norm.version_suffix": " · versi {version}",
    "norm.agreed.none": "Belum ada yang menyatakan setuju.",
    "norm.agreed.some": "✅ {count} setuju: {names}",
    "norm.list.title": "📜 <b>Norma komunitas</b> ({count})",
    "norm.list.item": "<b>{number}.</b> {text}\n{agreed}",
    "norm.list.empty": (
        "📜 Belum ada norma. Fasilitator dapat mengusulkan norma dengan tombol di bawah "
        "atau dengan <code>/norma tambah teks norma</code>."
    ),
    "norm.list.page": "Halaman {page} dari {pages}",
    "norm.list.retired": "🗄 {count} norma sudah dicabut.",
    "norm.button.agree_n": "✅ Setuju {number}",
    "norm.button.open_n": "🔎 Norma {number}",
    "norm.button.new": "➕ Usulkan norma",
    "norm.button.retired": "🗄 Norma yang dicabut",
    "norm.button.agree": "✅ Setuju",
    "norm.button.details": "🔎 Rincian",
    "norm.button.withdraw": "↩️ Tarik persetujuan",
    "norm.button.edit": "✏️ Ubah",
    "norm.button.retire": "🗄 Cabut",
    "norm.button.retire_yes": "🗄 Ya, cabut",
    "norm.button.everyone": "👥 Semua yang setuju",
    "norm.button.all": "📜 Semua norma",
    "norm.card": "{headline}\n\n{text}\n\n{agreed}",
    "norm.card.title": "📜 <b>Norma {number}</b>{version}",
    "norm.card.new": (
        "📜 <b>Usulan norma {number}</b> dari {name}. Bapak/Ibu setuju? Tekan ✅ Setuju."
    ),
    "norm.card.revised": (
        "✏️ <b>Norma {number} diperbarui</b> (versi {version}) oleh {name}. Karena kata-katanya "
        "berubah, persetujuan dimulai lagi. Bapak/Ibu setuju? Tekan ✅ Setuju."
    ),
    "norm.detail": "📜 <b>Norma {number}</b>{version}\n\n{text}\n\n{state}\n\n{agreed}{history}",
    "norm.detail.proposed": "<i>Diusulkan oleh {name}, {date}.</i>",
    "norm.detail.revised": "<i>Versi ini ditulis oleh {name}, {date}.</i>",
    "norm.detail.retired": "🗄 <i>Dicabut oleh {name}, {date}. Norma ini tidak berlaku lagi.</i>",
    "norm.detail.agreed": "✅ <b>Setuju ({count})</b>\n{lines}",
    "norm.detail.agreed_line": "• {name} — {date}",
    "norm.detail.agreed_more": "… dan {count} lainnya",
    "norm.detail.history": "<b>Versi sebelumnya</b>\n{lines}",
    "norm.detail.history_line": "v{version} ({date}): <i>{text}</i> — {count} setuju",
    "norm.detail.history_more": "… dan {count} versi lain",
    "norm.retired.title": "🗄 <b>Norma yang sudah dicabut</b> ({count})\n\n{lines}",
    "norm.retired.line": "<b>{number}.</b> {text} — dicabut {date}",
    "norm.everyone": "✅ <b>Yang menyetujui norma {number}</b> ({count})\n{lines}",
    "norm.ask.new": "silakan tulis norma yang Bapak/Ibu usulkan.",
    "norm.ask.edit": (
        "silakan tulis kata-kata baru untuk norma {number}.\nSekarang: <i>{text}</i>"
    ),
    "norm.usage": (
        "Perintah norma:\n/norma — daftar norma\n/norma tambah <i>teks</i> — usulkan norma "
        "(fasilitator)\n/norma <i>nomor</i> — rincian satu norma"
    ),
    "norm.not_found": "Norma nomor {number} tidak ada. Lihat daftarnya dengan /norma.",
    "norm.thanks": "Terima kasih! Persetujuan Bapak/Ibu untuk norma {number} tercatat.",
    "norm.agreed_before": "Bapak/Ibu sudah menyetujui norma {number} pada {date}.",
    "norm.changed": (
        "Norma {number} sudah diubah sejak pesan ini dikirim. Silakan baca kata-kata barunya "
        "dulu, lalu tekan ✅ Setuju lagi."
    ),
    "norm.withdrawn": "Persetujuan Bapak/Ibu untuk norma {number} sudah ditarik.",
    "norm.not_agreed": "Bapak/Ibu belum menyetujui versi norma {number} ini.",
    "norm.retired_already": "Norma ini sudah dicabut.",
    "norm.retire.confirm": (
        "🗄 Cabut norma {number}?\n\n<i>{text}</i>\n\nNorma ini tidak berlaku lagi, tetapi "
        "riwayat dan persetujuannya tetap tersimpan."
    ),
    "norm.retired": "Norma {number} dicabut.",
    "norm.gone": "Norma itu sudah dicabut, jadi tidak diubah.",
    "norm.unchanged": "Kata-katanya sama dengan sebelumnya; norma tidak diubah.",
    # ------------------------------------------------------------------ aims and programme
    "aims.cmd": "Tujuan dan program komunitas",
    "aims.view": "🎯 <b>Tujuan {title}</b>\n{aims}\n\n🗓 <b>Program</b>\n{programme}",
    "aims.part": "{text}\n<i>({name}, {date})</i>",
    "aims.none": "<i>Belum ditulis.</i>",
    "aims.empty_hint": "Fasilitator dapat menuliskannya dengan tombol di bawah.",
    "aims.button.aims": "✏️ Ubah tujuan",
    "aims.button.programme": "✏️ Ubah program",
    "aims.ask.aims": "silakan tulis tujuan komunitas ini.",
    "aims.ask.programme": (
        "silakan tulis program komunitas ini (misalnya kegiatan per bulan atau per semester)."
    ),
    "aims.saved.aims": "✅ Tujuan komunitas disimpan.",
    "aims.saved.programme": "✅ Program komunitas disimpan.",
    "aims.usage": (
        "Perintah tujuan:\n/tujuan — lihat tujuan dan program\n/tujuan atur <i>teks</i> — "
        "tulis tujuan (fasilitator)\n/tujuan program <i>teks</i> — tulis program (fasilitator)"
    ),
    "aims.private.none": (
        "Bapak/Ibu belum tergabung di komunitas yang memakai kopi. Tujuan komunitas tampil di "
        "sini setelah Bapak/Ibu menyapa di grupnya."
    ),
    "aims.private.block": "🎯 <b>{title}</b>\n{aims}\n\n🗓 <b>Program</b>\n{programme}",
    "aims.start": "🎯 <b>Tujuan komunitas Bapak/Ibu</b>\n{lines}",
    "aims.start.line": "• <b>{title}</b>: {aims}",
    "aims.start.more": "… dan {count} komunitas lain (lihat /tujuan)",
    # ------------------------------------------------------------------ projects
    "proj.cmd": "Proyek komunitas untuk siswa dan sekolah",
    "proj.status.planned": "📝 Direncanakan",
    "proj.status.running": "🚀 Berjalan",
    "proj.status.paused": "⏸ Ditunda",
    "proj.status.done": "✅ Selesai",
    "proj.list.title": "🧩 <b>Proyek komunitas</b> ({count})",
    "proj.list.item": "<b>{number}. {title}</b> — {status} · 👥 {people}",
    "proj.list.empty": (
        "🧩 Belum ada proyek. Mulai proyek untuk siswa atau sekolah dengan tombol di bawah "
        "atau dengan <code>/proyek baru judul</code>."
    ),
    "proj.detail": (
        "🧩 <b>Proyek {number}: {title}</b>\n"
        "🎯 {aim}\n"
        "📌 Status: {status}\n"
        "👥 Terlibat ({count}): {people}\n\n"
        "{updates}\n\n"
        "<i>Dimulai oleh {name}, {date}.</i>"
    ),
    "proj.detail.updates": "🗒 <b>Kabar terbaru</b>\n{lines}",
    "proj.detail.no_updates": "🗒 Belum ada kabar.",
    "proj.update.text": "• {date} — {name}: {text}",
    "proj.update.status": "• {date} — {name}: status menjadi {status}",
    "proj.update.both": "• {date} — {name}: status menjadi {status}. {text}",
    "proj.history": "🗒 <b>Semua kabar proyek {title}</b>\n{lines}",
    "proj.button.new": "➕ Proyek baru",
    "proj.button.join": "🙋 Ikut terlibat",
    "proj.button.leave": "🚪 Keluar",
    "proj.button.update": "📝 Tambah kabar",
    "proj.button.status": "🔄 Ubah status",
    "proj.button.history": "🗒 Semua kabar ({count})",
    "proj.button.all": "🧩 Semua proyek",
    "proj.ask.title": "apa judul proyeknya?",
    "proj.ask.aim": (
        "apa tujuan proyek <b>{title}</b>? Misalnya: siapa yang dibantu dan apa yang ingin dicapai."
    ),
    "proj.ask.update": "apa kabar terbaru proyek <b>{title}</b>?",
    "proj.created": "✅ Proyek <b>{title}</b> dimulai. Ajak rekan dengan tombol 🙋 Ikut terlibat.",
    "proj.update.saved": "📝 Kabar baru proyek <b>{title}</b> dari {name}.",
    "proj.joined": "Terima kasih! Bapak/Ibu kini terlibat di proyek ini.",
    "proj.joined_before": "Bapak/Ibu sudah terlibat di proyek ini.",
    "proj.left": "Bapak/Ibu tidak lagi tercatat terlibat di proyek ini.",
    "proj.not_involved": "Bapak/Ibu memang belum tercatat terlibat di proyek ini.",
    "proj.involved_only": (
        "Maaf, kabar dan status proyek diubah oleh yang terlibat atau fasilitator. "
        "Tekan 🙋 Ikut terlibat dulu, ya."
    ),
    "proj.status.choose": "🔄 Status proyek <b>{title}</b> sekarang {status}. Pilih status baru:",
    "proj.status.set": "Status proyek: {status}",
    "proj.usage": (
        "Perintah proyek:\n/proyek — daftar proyek\n/proyek baru <i>judul</i> — mulai proyek\n"
        "/proyek <i>nomor</i> — rincian satu proyek"
    ),
    "proj.not_found": "Proyek nomor {number} tidak ada. Lihat daftarnya dengan /proyek.",
}

EN = {
    # ------------------------------------------------------------------ asking for a text
    "agree.ask": "{who}, {question}\n<i>Reply to this message, or type <b>cancel</b>.</i>",
    "agree.you": "Dear colleague",
    "agree.cancelled": "All right, cancelled. Nothing has changed.",
    "agree.text_only": "Please reply with text.",
    "agree.already": "ℹ️ This message was saved before, so nothing was added again.",
    "agree.too_long": (
        "Sorry, that is {length} characters and the limit is {limit}. "
        "Please shorten it and send it again as a reply to this message."
    ),
    "agree.names_more": "{names} and {more} others",
    "agree.in_group": (
        "This is done in the community's group, so that every member sees it. Here you can "
        "read, agree and join."
    ),
    "agree.button.previous": "⬅️ Previous",
    "agree.button.next": "Next ➡️",
    "agree.button.back": "⬅️ Back",
    # ------------------------------------------------------------------ norms
    "norm.cmd": "The community's agreed norms",
    "norm.someone": "a facilitator",
    "norm.version_suffix": " · version {version}",
    "norm.agreed.none": "Nobody has agreed yet.",
    "norm.agreed.some": "✅ {count} agreed: {names}",
    "norm.list.title": "📜 <b>Community norms</b> ({count})",
    "norm.list.item": "<b>{number}.</b> {text}\n{agreed}",
    "norm.list.empty": (
        "📜 No norms yet. A facilitator can propose one with the button below "
        "or with <code>/norms add text of the norm</code>."
    ),
    "norm.list.page": "Page {page} of {pages}",
    "norm.list.retired": "🗄 {count} norms have been retired.",
    "norm.button.agree_n": "✅ Agree {number}",
    "norm.button.open_n": "🔎 Norm {number}",
    "norm.button.new": "➕ Propose a norm",
    "norm.button.retired": "🗄 Retired norms",
    "norm.button.agree": "✅ Agree",
    "norm.button.details": "🔎 Details",
    "norm.button.withdraw": "↩️ Withdraw agreement",
    "norm.button.edit": "✏️ Revise",
    "norm.button.retire": "🗄 Retire",
    "norm.button.retire_yes": "🗄 Yes, retire",
    "norm.button.everyone": "👥 Everyone who agreed",
    "norm.button.all": "📜 All norms",
    "norm.card": "{headline}\n\n{text}\n\n{agreed}",
    "norm.card.title": "📜 <b>Norm {number}</b>{version}",
    "norm.card.new": ("📜 <b>Norm {number} proposed</b> by {name}. Do you agree? Tap ✅ Agree."),
    "norm.card.revised": (
        "✏️ <b>Norm {number} revised</b> (version {version}) by {name}. Since the words have "
        "changed, agreement starts again. Do you agree? Tap ✅ Agree."
    ),
    "norm.detail": "📜 <b>Norm {number}</b>{version}\n\n{text}\n\n{state}\n\n{agreed}{history}",
    "norm.detail.proposed": "<i>Proposed by {name}, {date}.</i>",
    "norm.detail.revised": "<i>This version was written by {name}, {date}.</i>",
    "norm.detail.retired": "🗄 <i>Retired by {name}, {date}. This norm no longer applies.</i>",
    "norm.detail.agreed": "✅ <b>Agreed ({count})</b>\n{lines}",
    "norm.detail.agreed_line": "• {name} — {date}",
    "norm.detail.agreed_more": "… and {count} others",
    "norm.detail.history": "<b>Earlier versions</b>\n{lines}",
    "norm.detail.history_line": "v{version} ({date}): <i>{text}</i> — {count} agreed",
    "norm.detail.history_more": "… and {count} more versions",
    "norm.retired.title": "🗄 <b>Retired norms</b> ({count})\n\n{lines}",
    "norm.retired.line": "<b>{number}.</b> {text} — retired {date}",
    "norm.everyone": "✅ <b>Everyone who agreed to norm {number}</b> ({count})\n{lines}",
    "norm.ask.new": "please write the norm you propose.",
    "norm.ask.edit": "please write the new words for norm {number}.\nNow: <i>{text}</i>",
    "norm.usage": (
        "Norm commands:\n/norms — list of norms\n/norms add <i>text</i> — propose a norm "
        "(facilitators)\n/norms <i>number</i> — one norm in full"
    ),
    "norm.not_found": "There is no norm number {number}. See the list with /norms.",
    "norm.thanks": "Thank you! Your agreement to norm {number} is recorded.",
    "norm.agreed_before": "You already agreed to norm {number} on {date}.",
    "norm.changed": (
        "Norm {number} has changed since this message was sent. Please read the new words "
        "first, then tap ✅ Agree again."
    ),
    "norm.withdrawn": "Your agreement to norm {number} has been withdrawn.",
    "norm.not_agreed": "You have not agreed to this version of norm {number}.",
    "norm.retired_already": "This norm has been retired.",
    "norm.retire.confirm": (
        "🗄 Retire norm {number}?\n\n<i>{text}</i>\n\nIt will no longer apply, but its "
        "history and agreements are kept."
    ),
    "norm.retired": "Norm {number} retired.",
    "norm.gone": "That norm has been retired, so it was not changed.",
    "norm.unchanged": "The words are the same as before; the norm was not changed.",
    # ------------------------------------------------------------------ aims and programme
    "aims.cmd": "The community's aims and programme",
    "aims.view": "🎯 <b>Aims of {title}</b>\n{aims}\n\n🗓 <b>Programme</b>\n{programme}",
    "aims.part": "{text}\n<i>({name}, {date})</i>",
    "aims.none": "<i>Not written yet.</i>",
    "aims.empty_hint": "A facilitator can write them with the buttons below.",
    "aims.button.aims": "✏️ Change aims",
    "aims.button.programme": "✏️ Change programme",
    "aims.ask.aims": "please write the aims of this community.",
    "aims.ask.programme": (
        "please write this community's programme (for example the activities per month or "
        "per semester)."
    ),
    "aims.saved.aims": "✅ The community's aims are saved.",
    "aims.saved.programme": "✅ The community's programme is saved.",
    "aims.usage": (
        "Aims commands:\n/aims — see the aims and programme\n/aims set <i>text</i> — "
        "write the aims (facilitators)\n/aims programme <i>text</i> — write the programme "
        "(facilitators)"
    ),
    "aims.private.none": (
        "You are not in a community that uses kopi yet. A community's aims appear here once "
        "you have said hello in its group."
    ),
    "aims.private.block": "🎯 <b>{title}</b>\n{aims}\n\n🗓 <b>Programme</b>\n{programme}",
    "aims.start": "🎯 <b>Your communities' aims</b>\n{lines}",
    "aims.start.line": "• <b>{title}</b>: {aims}",
    "aims.start.more": "… and {count} more communities (see /aims)",
    # ------------------------------------------------------------------ projects
    "proj.cmd": "Community projects for pupils and the school",
    "proj.status.planned": "📝 Planned",
    "proj.status.running": "🚀 Running",
    "proj.status.paused": "⏸ On hold",
    "proj.status.done": "✅ Done",
    "proj.list.title": "🧩 <b>Community projects</b> ({count})",
    "proj.list.item": "<b>{number}. {title}</b> — {status} · 👥 {people}",
    "proj.list.empty": (
        "🧩 No projects yet. Start a project for pupils or the school with the button below "
        "or with <code>/projects new title</code>."
    ),
    "proj.detail": (
        "🧩 <b>Project {number}: {title}</b>\n"
        "🎯 {aim}\n"
        "📌 Status: {status}\n"
        "👥 Involved ({count}): {people}\n\n"
        "{updates}\n\n"
        "<i>Started by {name}, {date}.</i>"
    ),
    "proj.detail.updates": "🗒 <b>Latest news</b>\n{lines}",
    "proj.detail.no_updates": "🗒 No news yet.",
    "proj.update.text": "• {date} — {name}: {text}",
    "proj.update.status": "• {date} — {name}: status changed to {status}",
    "proj.update.both": "• {date} — {name}: status changed to {status}. {text}",
    "proj.history": "🗒 <b>All news of the project {title}</b>\n{lines}",
    "proj.button.new": "➕ New project",
    "proj.button.join": "🙋 Join",
    "proj.button.leave": "🚪 Leave",
    "proj.button.update": "📝 Add news",
    "proj.button.status": "🔄 Change status",
    "proj.button.history": "🗒 All news ({count})",
    "proj.button.all": "🧩 All projects",
    "proj.ask.title": "what is the project's title?",
    "proj.ask.aim": (
        "what is the aim of the project <b>{title}</b>? For example: who it helps and what it "
        "should achieve."
    ),
    "proj.ask.update": "what is the latest news of the project <b>{title}</b>?",
    "proj.created": "✅ The project <b>{title}</b> has started. Invite colleagues with 🙋 Join.",
    "proj.update.saved": "📝 News of the project <b>{title}</b> from {name}.",
    "proj.joined": "Thank you! You are now involved in this project.",
    "proj.joined_before": "You are already involved in this project.",
    "proj.left": "You are no longer listed as involved in this project.",
    "proj.not_involved": "You were not listed as involved in this project.",
    "proj.involved_only": (
        "Sorry, a project's news and status are changed by the people involved or a "
        "facilitator. Tap 🙋 Join first."
    ),
    "proj.status.choose": ("🔄 The project <b>{title}</b> is now {status}. Choose the new status:"),
    "proj.status.set": "Project status: {status}",
    "proj.usage": (
        "Project commands:\n/projects — list of projects\n/projects new <i>title</i> — start a "
        "project\n/projects <i>number</i> — one project in full"
    ),
    "proj.not_found": "There is no project number {number}. See the list with /projects.",
}
