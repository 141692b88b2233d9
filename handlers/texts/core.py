"""Texts of the foundation: welcome, help, language, groups, errors."""

ID = {
    "throttle.notice": (
        "Maaf, {name}, perintahnya banyak sekali dalam semenit. Saya jeda sebentar agar grup tetap "
        "lancar; silakan coba lagi dalam satu menit."
    ),
    "start.welcome": (
        "Halo, {name}! Saya <b>kopi</b>, teman komunitas praktisi Bapak/Ibu.\n\n"
        "Di grup, saya mencatat <b>keresahan</b> (#keresahan), <b>praktik baik</b> (#praktikbaik) "
        "dan <b>refleksi</b>, menjaga norma yang disepakati, dan mengingatkan pertemuan rutin. "
        "Semuanya terdokumentasi untuk bahan refleksi bersama.\n\n"
        "Mulai dengan menambahkan saya ke grup komunitas Bapak/Ibu."
    ),
    "start.communities": "Komunitas Bapak/Ibu: {names}",
    "start.unknown_link": "Tautan itu sudah tidak berlaku. Ini menu utama kopi.",
    "button.add_to_group": "➕ Tambahkan ke grup",
    "button.help": "❓ Bantuan",
    "button.language": "🌐 Bahasa",
    "button.open_private": "💬 Buka chat pribadi",
    "help.private": "<b>Perintah kopi di chat pribadi</b>\n{commands}",
    "help.group": "<b>Perintah kopi di grup</b>\n{commands}",
    "help.line": "/{command} — {description}",
    "cmd.start": "Mulai dan menu utama",
    "cmd.help": "Daftar perintah",
    "cmd.language": "Pilih bahasa",
    "language.choose": "Pilih bahasa yang Bapak/Ibu inginkan:",
    "language.choose_group": "Pilih bahasa kopi untuk grup ini:",
    "language.set": "Baik, saya akan berbahasa Indonesia.",
    "language.set_group": "Baik, di grup ini saya akan berbahasa Indonesia.",
    "language.name.id": "🇮🇩 Bahasa Indonesia",
    "language.name.en": "🇬🇧 English",
    "group.greeting": (
        "Halo, Bapak/Ibu {title}! Saya <b>kopi</b>, pencatat komunitas praktisi ini.\n"
        "Tulis #keresahan untuk berbagi kekhawatiran dan #praktikbaik untuk berbagi praktik baik; "
        "saya akan mencatatnya."
    ),
    "group.privacy_hint": (
        "Agar saya bisa membaca tagar di grup, jadikan saya <b>admin</b>, atau matikan "
        "<i>privacy mode</i> di @BotFather lalu tambahkan saya kembali."
    ),
    "group.welcome_back": "Senang kembali, Bapak/Ibu! Catatan komunitas ini masih tersimpan utuh.",
    "group.migrated": "Grup ini kini supergrup; semua catatan komunitas ikut pindah.",
    "error.generic": "Maaf, ada yang tidak beres di pihak saya. Silakan coba lagi sebentar lagi.",
    "error.facilitator_only": "Maaf, fitur ini hanya untuk fasilitator (admin grup).",
    "error.group_only": "Perintah ini dipakai di grup komunitas.",
    "error.private_only": "Perintah ini dipakai di chat pribadi dengan saya.",
    "error.expired_button": "Tombol ini sudah tidak berlaku.",
    "error.question_gone": "Pertanyaan itu sudah tidak berlaku. Silakan mulai lagi, ya.",
    "demo.banner": (
        "kopi demo — chat dengan bot tanpa token. Ketik pesan seperti guru. Perintah demo: "
        ":as NAMA, :group, :private, :admin, :who, :help, :quit; tekan tombol dengan nomornya."
    ),
}

EN = {
    "throttle.notice": (
        "Sorry, {name}, that is a lot of commands in one minute. I am pausing for a moment so the "
        "group keeps flowing; please try again in a minute."
    ),
    "start.welcome": (
        "Hello, {name}! I'm <b>kopi</b>, your community of practice's companion.\n\n"
        "In the group I keep <b>concerns</b> (#keresahan), <b>good practices</b> (#praktikbaik) "
        "and <b>reflections</b>, look after the agreed norms, and remind everyone of the routine "
        "meeting. Everything is documented as material for reflecting together.\n\n"
        "Start by adding me to your community's group."
    ),
    "start.communities": "Your communities: {names}",
    "start.unknown_link": "That link is no longer valid. Here is kopi's main menu.",
    "button.add_to_group": "➕ Add to a group",
    "button.help": "❓ Help",
    "button.language": "🌐 Language",
    "button.open_private": "💬 Open private chat",
    "help.private": "<b>kopi's commands in private chat</b>\n{commands}",
    "help.group": "<b>kopi's commands in the group</b>\n{commands}",
    "help.line": "/{command} — {description}",
    "cmd.start": "Start and main menu",
    "cmd.help": "List of commands",
    "cmd.language": "Choose language",
    "language.choose": "Choose the language you prefer:",
    "language.choose_group": "Choose kopi's language for this group:",
    "language.set": "All right, I'll speak English.",
    "language.set_group": "All right, I'll speak English in this group.",
    "language.name.id": "🇮🇩 Bahasa Indonesia",
    "language.name.en": "🇬🇧 English",
    "group.greeting": (
        "Hello, everyone in {title}! I'm <b>kopi</b>, this community of practice's note-keeper.\n"
        "Write #keresahan to share a concern and #praktikbaik to share a good practice; "
        "I'll keep them."
    ),
    "group.privacy_hint": (
        "So that I can read hashtags in the group, make me an <b>admin</b>, or turn "
        "<i>privacy mode</i> off in @BotFather and add me again."
    ),
    "group.welcome_back": "Glad to be back! This community's records are all still here.",
    "group.migrated": "This group is now a supergroup; all the community's records moved with it.",
    "error.generic": "Sorry, something went wrong on my side. Please try again in a moment.",
    "error.facilitator_only": "Sorry, this is for facilitators (group admins) only.",
    "error.group_only": "This command is used in the community's group.",
    "error.private_only": "This command is used in a private chat with me.",
    "error.expired_button": "This button is no longer valid.",
    "error.question_gone": "That question is no longer valid. Please start again.",
    "demo.banner": (
        "kopi demo — chat with the bot without a token. Type messages as a teacher. Demo "
        "commands: :as NAME, :group, :private, :admin, :who, :help, :quit; press a button by "
        "its number."
    ),
}
