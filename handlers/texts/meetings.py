"""Texts of routine meetings: schedule, reminders and RSVP, holidays, minutes, digest."""

ID = {
    "meet.cmd.schedule": "Jadwal pertemuan rutin",
    "meet.cmd.set": "Atur jadwal pertemuan rutin",
    "meet.cmd.reminders": "Atur waktu pengingat",
    "meet.cmd.cancel": "Liburkan pertemuan berikutnya",
    "meet.cmd.move": "Pindahkan satu pertemuan",
    "meet.cmd.minutes": "Simpan notulen pertemuan terakhir",
    "meet.cmd.digest": "Ringkasan mingguan: nyala/mati",
    "meet.day.0": "Senin",
    "meet.day.1": "Selasa",
    "meet.day.2": "Rabu",
    "meet.day.3": "Kamis",
    "meet.day.4": "Jumat",
    "meet.day.5": "Sabtu",
    "meet.day.6": "Minggu",
    "meet.dow.0": "Sen",
    "meet.dow.1": "Sel",
    "meet.dow.2": "Rab",
    "meet.dow.3": "Kam",
    "meet.dow.4": "Jum",
    "meet.dow.5": "Sab",
    "meet.dow.6": "Min",
    "meet.unit.day": "{n} hari",
    "meet.unit.days": "{n} hari",
    "meet.unit.hour": "{n} jam",
    "meet.unit.hours": "{n} jam",
    "meet.unit.minute": "{n} menit",
    "meet.unit.minutes": "{n} menit",
    "meet.rule.weekly": "setiap {day} pukul {time} {zone}",
    "meet.rule.biweekly": "dua minggu sekali, {day} pukul {time} {zone}",
    "meet.reminder.eve": "malam sebelumnya pukul 19.00",
    "meet.reminder.before": "{span} sebelumnya",
    "meet.reminder.none": "tanpa pengingat",
    "meet.place": "📍 {place}",
    "meet.line": "• {when}",
    "meet.line.holiday": "• <s>{when}</s> — libur nasional ({holiday})",
    "meet.line.cancelled": "• <s>{when}</s> — diliburkan",
    "meet.line.moved": "• {when} (dipindah)",
    "meet.none_upcoming": "belum ada",
    "meet.no_schedule": (
        "Belum ada jadwal pertemuan rutin. Fasilitator dapat mengaturnya dengan /aturjadwal."
    ),
    "meet.no_schedule.admin": "Belum ada jadwal pertemuan rutin. Yuk, atur dulu:",
    "meet.summary": (
        "📅 <b>Pertemuan rutin</b>: {rule}\n"
        "{place}"
        "⏰ Pengingat: {reminders}\n"
        "🎌 Hari libur nasional: {holidays}\n"
        "📊 Ringkasan mingguan: {digest}\n\n"
        "<b>Pertemuan berikutnya</b>\n{meetings}"
    ),
    "meet.holidays.skipped": "diliburkan",
    "meet.holidays.kept": "tetap bertemu",
    "meet.digest.on": "nyala",
    "meet.digest.off": "mati",
    "meet.private.heading": "🏫 <b>{title}</b>\n",
    "meet.private.admin_hint": (
        "Jadwal diubah di grup, agar semua anggota melihatnya: /aturjadwal, /pengingat, "
        "/liburkan, /pindahkan, atau tombol di bawah /jadwal di grup."
    ),
    "meet.button.set": "⚙️ Atur jadwal",
    "meet.button.change": "⚙️ Ubah jadwal",
    "meet.button.reminders": "⏰ Pengingat",
    "meet.button.cancel": "🚫 Liburkan berikutnya",
    "meet.button.move": "📅 Pindahkan",
    "meet.button.holidays_keep": "🎌 Tetap bertemu saat libur",
    "meet.button.holidays_skip": "🎌 Liburkan saat hari libur",
    "meet.button.digest_off": "📊 Matikan ringkasan",
    "meet.button.digest_on": "📊 Nyalakan ringkasan",
    "meet.button.weekly": "Setiap minggu",
    "meet.button.biweekly": "Dua minggu sekali",
    "meet.button.save": "💾 Simpan",
    "meet.button.confirm": "✅ Ya, ubah",
    "meet.button.not_now": "✖️ Tidak jadi",
    "meet.button.undo": "↩️ Urungkan",
    "meet.button.same_time": "Jam yang sama ({time})",
    "meet.button.attendance": "✏️ Koreksi kehadiran",
    "meet.button.reflections": "📊 Jumlah refleksi",
    "meet.button.keep": "✅ Tetap bertemu",
    "meet.button.reflect": "📝 Tulis refleksi",
    "meet.wizard.day": "📅 Pertemuan rutin diadakan hari apa?",
    "meet.wizard.time": (
        "📅 {day}. Pukul berapa?\n"
        "<i>Jam lain? Ketik misalnya</i> <code>/aturjadwal {day} jam 3 sore</code>"
    ),
    "meet.wizard.zone": "📅 {day} pukul {time}. Zona waktunya?",
    "meet.wizard.interval": "📅 {day} pukul {time} {zone}. Seberapa sering?",
    "meet.error.schedule_line": (
        "Maaf, saya belum menangkap harinya. Contoh: "
        "<code>/aturjadwal Kamis jam 3 sore</code> atau <code>/aturjadwal Kamis 14.00 WITA</code> "
        "(bisa ditambah <i>dua minggu sekali</i> dan tempatnya). Atau pilih harinya di sini:"
    ),
    "meet.error.reminders": (
        "Maaf, saya belum menangkap waktunya. Tulis dalam menit sebelum pertemuan, misalnya "
        "<code>/pengingat 1440 60</code> (sehari dan satu jam sebelumnya), "
        "<code>/pengingat malam 30</code>, atau <code>/pengingat off</code>. Paling banyak 4."
    ),
    "meet.error.date": (
        "Maaf, tanggalnya belum saya pahami. Contoh: <code>/liburkan 3/12</code>, "
        "<code>/liburkan Kamis depan</code> atau <code>/liburkan besok</code>."
    ),
    "meet.error.no_meeting": "Tidak ada pertemuan yang bisa diubah pada waktu itu.",
    "meet.error.move": (
        "Maaf, waktunya belum saya pahami. Contoh: <code>/pindahkan Jumat jam 3 sore</code>, "
        "<code>/pindahkan besok 15.30</code> atau <code>/pindahkan 4 Desember 13.30</code>."
    ),
    "meet.error.past": "Waktu itu sudah lewat. Silakan pilih waktu yang akan datang.",
    "meet.saved": "✅ Jadwal pertemuan rutin: {rule}.\n⏰ Pengingat: {reminders}.",
    "meet.next.saved": "Berikutnya:\n{line}",
    "meet.ask.time": (
        "🕒 {who}, pertemuan {day} pukul berapa: {options}? Pilih di bawah, atau tulis jamnya "
        "(misalnya <i>jam 7 malam</i>)."
    ),
    "meet.ask.time.any": (
        "🕒 {who}, pertemuan {day} pukul berapa? Pilih di bawah, atau tulis jamnya "
        "(misalnya <i>jam 3 sore</i>)."
    ),
    "meet.ask.time.again": "Maaf, jamnya belum saya tangkap.",
    "meet.or": "{first} atau {last}",
    "meet.confirm": (
        "📅 {who}, ubah jadwal pertemuan rutin?\nSekarang: {old}\nMenjadi: <b>{new}</b>"
        "{place}{kept}"
    ),
    "meet.confirm.place": "\n📍 {old} → <b>{new}</b>",
    "meet.confirm.no_place": "belum ada",
    "meet.confirm.not_yours": "Pertanyaan ini untuk fasilitator yang mengubah jadwal.",
    "meet.kept.before": "\nTetap seperti sebelumnya: {items}.",
    "meet.kept.interval.1": "setiap minggu",
    "meet.kept.interval.2": "dua minggu sekali",
    "meet.kept.zone": "zona {zone}",
    "meet.kept.place": "tempat {place}",
    "meet.kept.reminders": "pengingat {reminders}",
    "meet.not_changed": "Baik, jadwal tidak diubah: {rule}.",
    "meet.chosen": "📅 {rule}",
    "meet.cancel.which": "🚫 Pertemuan tanggal berapa yang diliburkan?",
    "meet.move.which_day": "📅 Pertemuan {when} dipindah ke tanggal berapa?",
    "meet.move.time.hint": (
        "\n<i>Jam lain? Ketik misalnya</i> <code>/pindahkan {source} ke {target} jam 3 sore</code>"
    ),
    "meet.next": "Pertemuan berikutnya: {when}.",
    "meet.place.ask": (
        "di mana pertemuannya? Tuliskan tempat atau tautannya "
        "(misalnya Ruang Guru, atau tautan Zoom/Meet)."
    ),
    "meet.place.saved": "📍 Tempat pertemuan: {place}",
    "meet.reminders.pick": (
        "⏰ Pengingat sekarang: {current}.\nPilih pengingat yang diinginkan, lalu tekan Simpan."
    ),
    "meet.reminders.saved": "⏰ Baik, pengingat: {reminders}.",
    "meet.cancelled": "🚫 Pertemuan {when} diliburkan.",
    "meet.restored": "↩️ Baik, pertemuan {when} tetap diadakan.",
    "meet.kept": "✅ Baik, pertemuan {when} tetap diadakan meski hari libur.",
    "meet.move.which": "📅 Pertemuan mana yang dipindah?",
    "meet.move.day": "📅 Pertemuan {when} dipindah ke hari apa?",
    "meet.move.time": "📅 Pertemuan {when} dipindah ke {day}, pukul berapa?",
    "meet.moved": "📅 Pertemuan {before} <b>dipindah</b> ke {after}.",
    "meet.holiday": (
        "🎌 {date} adalah hari libur nasional ({holiday}). Pertemuan rutin diliburkan. "
        "Selamat beristirahat, Bapak/Ibu!"
    ),
    "meet.reminder": (
        "⏰ <b>Pengingat pertemuan rutin {title}</b>\n{when} ({left} lagi){place}\n\n{agenda}"
    ),
    "meet.agenda.title": "📝 <b>Usulan agenda</b> (keresahan dengan dukungan terbanyak):",
    "meet.agenda.item": "{n}. {text}",
    "meet.agenda.empty": (
        "📝 Belum ada keresahan terbuka. Bagikan dengan #keresahan agar bisa dibahas."
    ),
    "meet.tally": "✅ Hadir: {yes} · 🙏 Izin: {excused} · 🤔 Belum pasti: {maybe}",
    "meet.tally.names": "Hadir: {names}",
    "meet.rsvp.yes": "✅ Hadir",
    "meet.rsvp.excused": "🙏 Izin",
    "meet.rsvp.maybe": "🤔 Belum pasti",
    "meet.rsvp.recorded": "Tercatat: {answer}. Terima kasih!",
    "meet.rsvp.yours": "Jawaban Bapak/Ibu: {answer}. Bisa diubah kapan saja.",
    "meet.rsvp.cancelled": "Pertemuan ini diliburkan.",
    "meet.rsvp.over": "Pertemuan ini sudah selesai.",
    "meet.nudge": (
        "Halo, {name}! Pertemuan rutin <b>{title}</b>: {when}.{place}\n\n"
        "Apakah Bapak/Ibu bisa hadir?"
    ),
    "meet.invite": (
        "Terima kasih sudah hadir di pertemuan <b>{title}</b> ({date}), {name}! "
        "Yuk luangkan lima menit untuk refleksi: Fakta, Perasaan, Temuan, Masa depan."
    ),
    "meet.invite.group": (
        "🙏 Terima kasih atas pertemuan <b>{title}</b> hari ini! Bapak/Ibu yang hadir, yuk tulis "
        "refleksi singkat lewat tombol di bawah (terbuka di chat pribadi dengan saya)."
    ),
    "meet.minutes.no_meeting": "Belum ada pertemuan yang sudah berlangsung.",
    "meet.minutes.saved": (
        "📝 Notulen pertemuan {date} tersimpan. Terima kasih!\nHadir ({count}): {names}"
    ),
    "meet.minutes.show": (
        "📝 <b>Notulen pertemuan {date}</b>\n{minutes}\n\n"
        "Hadir ({count}): {names}\n\n"
        "✍️ Siapa pun bisa menambah notulen: tulis /notulen diikuti isinya."
    ),
    "meet.minutes.ask": "apa yang ingin ditambahkan ke notulen pertemuan {date}?",
    "meet.minutes.already": (
        "ℹ️ Pesan ini sudah tercatat di notulen sebelumnya, jadi tidak ditambahkan lagi."
    ),
    "meet.minutes.empty": "<i>Belum ada notulen.</i>",
    "meet.attendance.edit": (
        "✏️ Kehadiran pertemuan {date} ({count} hadir). Tekan nama untuk mengoreksi."
    ),
    # reflections: shown only to the facilitator who asks (a pop-up), never posted in the group.
    "meet.reflections.count": (
        "📊 Pertemuan {date}: {count} refleksi ditulis tentang pertemuan ini ({attended} hadir). "
        "Isinya hanya dibaca penulisnya, kecuali yang mereka bagikan."
    ),
    "meet.digest": (
        "📊 <b>Ringkasan mingguan {title}</b> ({start} – {end})\n"
        "• Keresahan baru: {concerns}\n"
        "• Praktik baik baru: {practices}\n"
        "• Refleksi yang dibagikan: {reflections}\n"
        "• Kehadiran: {attendance}"
    ),
    "meet.digest.meeting": "{date}, {count} orang",
    "meet.digest.no_meeting": "tidak ada pertemuan pekan ini",
    "meet.digest.state": "📊 Ringkasan mingguan (setiap Jumat pukul 16.00): {state}.",
    "meet.digest.turned_on": "📊 Ringkasan mingguan dinyalakan: setiap Jumat pukul 16.00.",
    "meet.digest.turned_off": "📊 Ringkasan mingguan dimatikan.",
    "meet.holidays.turned_skip": (
        "🎌 Baik, pertemuan yang jatuh pada hari libur nasional diliburkan."
    ),
    "meet.holidays.turned_keep": "🎌 Baik, pertemuan tetap diadakan pada hari libur nasional.",
}

EN = {
    "meet.cmd.schedule": "Routine meeting schedule",
    "meet.cmd.set": "Set the routine meeting",
    "meet.cmd.reminders": "Set reminder times",
    "meet.cmd.cancel": "Cancel the next meeting",
    "meet.cmd.move": "Move one meeting",
    "meet.cmd.minutes": "Save the minutes of the latest meeting",
    "meet.cmd.digest": "Weekly digest: on/off",
    "meet.day.0": "Monday",
    "meet.day.1": "Tuesday",
    "meet.day.2": "Wednesday",
    "meet.day.3": "Thursday",
    "meet.day.4": "Friday",
    "meet.day.5": "Saturday",
    "meet.day.6": "Sunday",
    "meet.dow.0": "Mon",
    "meet.dow.1": "Tue",
    "meet.dow.2": "Wed",
    "meet.dow.3": "Thu",
    "meet.dow.4": "Fri",
    "meet.dow.5": "Sat",
    "meet.dow.6": "Sun",
    "meet.unit.day": "{n} day",
    "meet.unit.days": "{n} days",
    "meet.unit.hour": "{n} hour",
    "meet.unit.hours": "{n} hours",
    "meet.unit.minute": "{n} minute",
    "meet.unit.minutes": "{n} minutes",
    "meet.rule.weekly": "every {day} at {time} {zone}",
    "meet.rule.biweekly": "every two weeks, {day} at {time} {zone}",
    "meet.reminder.eve": "the evening before at 19:00",
    "meet.reminder.before": "{span} before",
    "meet.reminder.none": "no reminders",
    "meet.place": "📍 {place}",
    "meet.line": "• {when}",
    "meet.line.holiday": "• <s>{when}</s> — national holiday ({holiday})",
    "meet.line.cancelled": "• <s>{when}</s> — cancelled",
    "meet.line.moved": "• {when} (moved)",
    "meet.none_upcoming": "none yet",
    "meet.no_schedule": (
        "There is no routine meeting yet. A facilitator can set one with /aturjadwal."
    ),
    "meet.no_schedule.admin": "There is no routine meeting yet. Let's set one first:",
    "meet.summary": (
        "📅 <b>Routine meeting</b>: {rule}\n"
        "{place}"
        "⏰ Reminders: {reminders}\n"
        "🎌 National holidays: {holidays}\n"
        "📊 Weekly digest: {digest}\n\n"
        "<b>Next meetings</b>\n{meetings}"
    ),
    "meet.holidays.skipped": "no meeting",
    "meet.holidays.kept": "meet anyway",
    "meet.digest.on": "on",
    "meet.digest.off": "off",
    "meet.private.heading": "🏫 <b>{title}</b>\n",
    "meet.private.admin_hint": (
        "The schedule is changed in the group, so that every member sees it: /aturjadwal, "
        "/pengingat, /liburkan, /pindahkan, or the buttons under /jadwal in the group."
    ),
    "meet.button.set": "⚙️ Set the schedule",
    "meet.button.change": "⚙️ Change the schedule",
    "meet.button.reminders": "⏰ Reminders",
    "meet.button.cancel": "🚫 Cancel the next one",
    "meet.button.move": "📅 Move",
    "meet.button.holidays_keep": "🎌 Meet on holidays",
    "meet.button.holidays_skip": "🎌 Skip holidays",
    "meet.button.digest_off": "📊 Turn the digest off",
    "meet.button.digest_on": "📊 Turn the digest on",
    "meet.button.weekly": "Every week",
    "meet.button.biweekly": "Every two weeks",
    "meet.button.save": "💾 Save",
    "meet.button.confirm": "✅ Yes, change it",
    "meet.button.not_now": "✖️ No, keep it",
    "meet.button.undo": "↩️ Undo",
    "meet.button.same_time": "Same time ({time})",
    "meet.button.attendance": "✏️ Correct attendance",
    "meet.button.reflections": "📊 Reflection count",
    "meet.button.keep": "✅ Meet anyway",
    "meet.button.reflect": "📝 Write a reflection",
    "meet.wizard.day": "📅 On which day is the routine meeting?",
    "meet.wizard.time": (
        "📅 {day}. At what time?\n"
        "<i>Another time? Type for example</i> <code>/aturjadwal {day} 3pm</code>"
    ),
    "meet.wizard.zone": "📅 {day} at {time}. Which time zone?",
    "meet.wizard.interval": "📅 {day} at {time} {zone}. How often?",
    "meet.error.schedule_line": (
        "Sorry, I didn't catch the day. For example: <code>/aturjadwal Thursday 3pm</code> or "
        "<code>/aturjadwal Thursday 14:00 WITA</code> (you may add <i>biweekly</i> and the "
        "place). Or choose the day here:"
    ),
    "meet.error.reminders": (
        "Sorry, I didn't catch the times. Write minutes before the meeting, for example "
        "<code>/pengingat 1440 60</code> (a day and an hour before), "
        "<code>/pengingat eve 30</code>, or <code>/pengingat off</code>. Four at most."
    ),
    "meet.error.date": (
        "Sorry, I didn't understand the date. For example: <code>/liburkan 3/12</code>, "
        "<code>/liburkan next Thursday</code> or <code>/liburkan tomorrow</code>."
    ),
    "meet.error.no_meeting": "There is no meeting that can be changed at that time.",
    "meet.error.move": (
        "Sorry, I didn't understand the time. For example: <code>/pindahkan Friday 3pm</code>, "
        "<code>/pindahkan tomorrow 15:30</code> or <code>/pindahkan 4 December 13:30</code>."
    ),
    "meet.error.past": "That time has passed. Please choose a time to come.",
    "meet.saved": "✅ Routine meeting: {rule}.\n⏰ Reminders: {reminders}.",
    "meet.next.saved": "Next:\n{line}",
    "meet.ask.time": (
        "🕒 {who}, at what time is the meeting on {day}: {options}? Choose below, or type the "
        "time (for example <i>7pm</i>)."
    ),
    "meet.ask.time.any": (
        "🕒 {who}, at what time is the meeting on {day}? Choose below, or type the time "
        "(for example <i>3pm</i>)."
    ),
    "meet.ask.time.again": "Sorry, I didn't catch the time.",
    "meet.or": "{first} or {last}",
    "meet.confirm": (
        "📅 {who}, change the routine meeting?\nNow: {old}\nNew: <b>{new}</b>{place}{kept}"
    ),
    "meet.confirm.place": "\n📍 {old} → <b>{new}</b>",
    "meet.confirm.no_place": "none yet",
    "meet.confirm.not_yours": "This question is for the facilitator who is changing the schedule.",
    "meet.kept.before": "\nKept as before: {items}.",
    "meet.kept.interval.1": "every week",
    "meet.kept.interval.2": "every two weeks",
    "meet.kept.zone": "time zone {zone}",
    "meet.kept.place": "place {place}",
    "meet.kept.reminders": "reminders {reminders}",
    "meet.not_changed": "All right, the schedule stays: {rule}.",
    "meet.chosen": "📅 {rule}",
    "meet.cancel.which": "🚫 Which meeting should be cancelled?",
    "meet.move.which_day": "📅 The meeting on {when} moves to which date?",
    "meet.move.time.hint": (
        "\n<i>Another time? Type for example</i> <code>/pindahkan {source} to {target} 3pm</code>"
    ),
    "meet.next": "Next meeting: {when}.",
    "meet.place.ask": (
        "where do you meet? Write the place or a link "
        "(for example Teachers' Room, or a Zoom/Meet link)."
    ),
    "meet.place.saved": "📍 Meeting place: {place}",
    "meet.reminders.pick": (
        "⏰ Reminders now: {current}.\nChoose the reminders you want, then press Save."
    ),
    "meet.reminders.saved": "⏰ All right, reminders: {reminders}.",
    "meet.cancelled": "🚫 The meeting on {when} is cancelled.",
    "meet.restored": "↩️ All right, the meeting on {when} takes place after all.",
    "meet.kept": "✅ All right, the meeting on {when} takes place despite the holiday.",
    "meet.move.which": "📅 Which meeting should move?",
    "meet.move.day": "📅 To which day should the meeting on {when} move?",
    "meet.move.time": "📅 The meeting on {when} moves to {day}. At what time?",
    "meet.moved": "📅 The meeting on {before} <b>has moved</b> to {after}.",
    "meet.holiday": (
        "🎌 {date} is a national holiday ({holiday}). There is no routine meeting. "
        "Enjoy the rest, everyone!"
    ),
    "meet.reminder": (
        "⏰ <b>Reminder: {title}'s routine meeting</b>\n{when} (in {left}){place}\n\n{agenda}"
    ),
    "meet.agenda.title": "📝 <b>Proposed agenda</b> (the concerns with the most support):",
    "meet.agenda.item": "{n}. {text}",
    "meet.agenda.empty": (
        "📝 No open concerns yet. Share one with #keresahan so it can be discussed."
    ),
    "meet.tally": "✅ Attending: {yes} · 🙏 Excused: {excused} · 🤔 Not sure: {maybe}",
    "meet.tally.names": "Attending: {names}",
    "meet.rsvp.yes": "✅ Attending",
    "meet.rsvp.excused": "🙏 Excused",
    "meet.rsvp.maybe": "🤔 Not sure",
    "meet.rsvp.recorded": "Noted: {answer}. Thank you!",
    "meet.rsvp.yours": "Your answer: {answer}. You can change it any time.",
    "meet.rsvp.cancelled": "This meeting is cancelled.",
    "meet.rsvp.over": "This meeting is over.",
    "meet.nudge": (
        "Hello, {name}! <b>{title}</b>'s routine meeting: {when}.{place}\n\n"
        "Will you be able to attend?"
    ),
    "meet.invite": (
        "Thank you for attending <b>{title}</b>'s meeting ({date}), {name}! "
        "Take five minutes to reflect: Facts, Feelings, Findings, Future."
    ),
    "meet.invite.group": (
        "🙏 Thank you for today's <b>{title}</b> meeting! If you attended, write a short "
        "reflection with the button below (it opens in a private chat with me)."
    ),
    "meet.minutes.no_meeting": "No meeting has taken place yet.",
    "meet.minutes.saved": (
        "📝 Minutes of the meeting on {date} saved. Thank you!\nAttended ({count}): {names}"
    ),
    "meet.minutes.show": (
        "📝 <b>Minutes of the meeting on {date}</b>\n{minutes}\n\n"
        "Attended ({count}): {names}\n\n"
        "✍️ Anyone can add to the minutes: write /notulen followed by them."
    ),
    "meet.minutes.ask": "what would you like to add to the minutes of the meeting on {date}?",
    "meet.minutes.already": (
        "ℹ️ This message is already in the minutes, so it was not added again."
    ),
    "meet.minutes.empty": "<i>No minutes yet.</i>",
    "meet.attendance.edit": (
        "✏️ Attendance of the meeting on {date} ({count} attended). Press a name to correct it."
    ),
    # reflections: shown only to the facilitator who asks (a pop-up), never posted in the group.
    "meet.reflections.count": (
        "📊 Meeting on {date}: {count} reflection(s) written about it ({attended} attended). "
        "Only their authors read them, unless they chose to share."
    ),
    "meet.digest": (
        "📊 <b>{title}'s weekly digest</b> ({start} – {end})\n"
        "• New concerns: {concerns}\n"
        "• New good practices: {practices}\n"
        "• Reflections shared: {reflections}\n"
        "• Attendance: {attendance}"
    ),
    "meet.digest.meeting": "{date}, {count} people",
    "meet.digest.no_meeting": "no meeting this week",
    "meet.digest.state": "📊 Weekly digest (every Friday at 16:00): {state}.",
    "meet.digest.turned_on": "📊 The weekly digest is on: every Friday at 16:00.",
    "meet.digest.turned_off": "📊 The weekly digest is off.",
    "meet.holidays.turned_skip": "🎌 All right, meetings on national holidays are skipped.",
    "meet.holidays.turned_keep": "🎌 All right, meetings take place on national holidays too.",
}
