//! What a guest reads, in their language: the invitation mail and the RSVP page.

/// The words of one language. The order of `LANGUAGES` in `language.rs`.
pub struct Words {
    pub lang: &'static str,
    /// The page's `lang` attribute.
    pub html_lang: &'static str,
    pub language_name: &'static str,
    pub subject: &'static str,
    /// {guest} {event} {date} {venue} {link} {code} {office}
    pub body: &'static str,
    pub rsvp_title: &'static str,
    pub question: &'static str,
    pub accept: &'static str,
    pub decline: &'static str,
    pub party_size: &'static str,
    pub party_hint: &'static str,
    pub dietary: &'static str,
    pub arrival: &'static str,
    pub save: &'static str,
    pub thanks_yes: &'static str,
    pub thanks_no: &'static str,
    pub closed: &'static str,
    pub unknown: &'static str,
    pub date: &'static str,
    pub venue: &'static str,
    pub code: &'static str,
    pub too_many: &'static str,
}

pub static WORDS: &[Words] = &[
    Words {
        lang: "zh-Hans",
        html_lang: "zh-CN",
        language_name: "简体中文",
        subject: "邀请函：{event}",
        body: "尊敬的{guest}：\n\n诚挚邀请您出席{event}。\n\n日期：{date}\n地点：{venue}\n\n请点击以下链接回复是否出席（报名截止前可以修改）：\n{link}\n\n入场时请出示邀请函上的二维码，或报签到码 {code}。\n\n{office}\n",
        rsvp_title: "出席回复",
        question: "您能出席吗？",
        accept: "出席",
        decline: "不能出席",
        party_size: "出席人数（含本人）",
        party_hint: "最多 {n} 人",
        dietary: "饮食要求",
        arrival: "抵达日期",
        save: "提交回复",
        thanks_yes: "谢谢！我们期待与您见面。",
        thanks_no: "谢谢告知，期待下次相见。",
        closed: "报名已截止，回复不能再修改。",
        unknown: "找不到这份邀请。请检查链接是否完整，或联系邀请您的工作人员。",
        date: "日期",
        venue: "地点",
        code: "签到码",
        too_many: "出席人数超过了邀请允许的人数。",
    },
    Words {
        lang: "zh-Hant",
        html_lang: "zh-Hant",
        language_name: "繁體中文",
        subject: "邀請函：{event}",
        body: "尊敬的{guest}：\n\n誠摯邀請您出席{event}。\n\n日期：{date}\n地點：{venue}\n\n請點擊以下連結回覆是否出席（報名截止前可以修改）：\n{link}\n\n入場時請出示邀請函上的二維碼，或報簽到碼 {code}。\n\n{office}\n",
        rsvp_title: "出席回覆",
        question: "您能出席嗎？",
        accept: "出席",
        decline: "不能出席",
        party_size: "出席人數（含本人）",
        party_hint: "最多 {n} 人",
        dietary: "飲食要求",
        arrival: "抵達日期",
        save: "提交回覆",
        thanks_yes: "謝謝！我們期待與您見面。",
        thanks_no: "謝謝告知，期待下次相見。",
        closed: "報名已截止，回覆不能再修改。",
        unknown: "找不到這份邀請。請檢查連結是否完整，或聯絡邀請您的工作人員。",
        date: "日期",
        venue: "地點",
        code: "簽到碼",
        too_many: "出席人數超過了邀請允許的人數。",
    },
    Words {
        lang: "en",
        html_lang: "en",
        language_name: "English",
        subject: "Invitation: {event}",
        body: "Dear {guest},\n\nYou are warmly invited to {event}.\n\nDate: {date}\nVenue: {venue}\n\nPlease let us know whether you can come (you can change your answer until registration closes):\n{link}\n\nAt the door, show the QR code on your invitation or give the check-in code {code}.\n\n{office}\n",
        rsvp_title: "Your answer",
        question: "Will you come?",
        accept: "Yes, I will come",
        decline: "No, I cannot come",
        party_size: "Number in your party (you included)",
        party_hint: "at most {n}",
        dietary: "Dietary needs",
        arrival: "Arrival date",
        save: "Send my answer",
        thanks_yes: "Thank you! We look forward to seeing you.",
        thanks_no: "Thank you for letting us know.",
        closed: "Registration has closed; the answer can no longer be changed.",
        unknown: "We cannot find this invitation. Please check that the link is complete, or contact the person who invited you.",
        date: "Date",
        venue: "Venue",
        code: "Check-in code",
        too_many: "The party is larger than the invitation allows.",
    },
    Words {
        lang: "es",
        html_lang: "es",
        language_name: "Español",
        subject: "Invitación: {event}",
        body: "Estimado/a {guest}:\n\nTenemos el gusto de invitarle a {event}.\n\nFecha: {date}\nLugar: {venue}\n\nLe rogamos confirme su asistencia (puede cambiar su respuesta hasta el cierre de la inscripción):\n{link}\n\nEn la entrada, muestre el código QR de su invitación o indique el código {code}.\n\n{office}\n",
        rsvp_title: "Su respuesta",
        question: "¿Podrá asistir?",
        accept: "Sí, asistiré",
        decline: "No podré asistir",
        party_size: "Número de personas (usted incluido/a)",
        party_hint: "como máximo {n}",
        dietary: "Necesidades alimentarias",
        arrival: "Fecha de llegada",
        save: "Enviar respuesta",
        thanks_yes: "¡Gracias! Esperamos verle pronto.",
        thanks_no: "Gracias por avisarnos.",
        closed: "La inscripción está cerrada; la respuesta ya no puede cambiarse.",
        unknown: "No encontramos esta invitación. Compruebe que el enlace esté completo o contacte a quien le invitó.",
        date: "Fecha",
        venue: "Lugar",
        code: "Código de registro",
        too_many: "El grupo es mayor de lo que permite la invitación.",
    },
    Words {
        lang: "pt",
        html_lang: "pt",
        language_name: "Português",
        subject: "Convite: {event}",
        body: "Prezado(a) {guest},\n\nTemos o prazer de convidá-lo(a) para {event}.\n\nData: {date}\nLocal: {venue}\n\nPor favor, confirme a sua presença (pode alterar a resposta até ao encerramento das inscrições):\n{link}\n\nNa entrada, mostre o código QR do convite ou indique o código {code}.\n\n{office}\n",
        rsvp_title: "A sua resposta",
        question: "Poderá comparecer?",
        accept: "Sim, irei",
        decline: "Não poderei ir",
        party_size: "Número de pessoas (incluindo você)",
        party_hint: "no máximo {n}",
        dietary: "Restrições alimentares",
        arrival: "Data de chegada",
        save: "Enviar resposta",
        thanks_yes: "Obrigado! Esperamos vê-lo(a) em breve.",
        thanks_no: "Obrigado por nos avisar.",
        closed: "As inscrições estão encerradas; a resposta já não pode ser alterada.",
        unknown: "Não encontramos este convite. Verifique se o link está completo ou contacte quem o convidou.",
        date: "Data",
        venue: "Local",
        code: "Código de entrada",
        too_many: "O grupo é maior do que o convite permite.",
    },
];

/// The words of a language; Simplified Chinese when the language is not one we write.
pub fn words(lang: &str) -> &'static Words {
    WORDS.iter().find(|w| w.lang == lang).unwrap_or(&WORDS[0])
}

/// What fills an invitation.
pub struct Letter<'a> {
    pub guest: &'a str,
    pub event: &'a str,
    pub date: &'a str,
    pub venue: &'a str,
    pub link: &'a str,
    pub code: &'a str,
    pub office: &'a str,
}

impl Letter<'_> {
    fn fill(&self, text: &str) -> String {
        text.replace("{guest}", self.guest)
            .replace("{event}", self.event)
            .replace("{date}", self.date)
            .replace("{venue}", self.venue)
            .replace("{link}", self.link)
            .replace("{code}", self.code)
            .replace("{office}", self.office)
    }

    pub fn subject(&self, lang: &str) -> String {
        self.fill(words(lang).subject)
    }

    /// The letter's text; the venue line is left out when there is no venue yet.
    pub fn body(&self, lang: &str) -> String {
        let template = words(lang).body;
        if self.venue.is_empty() {
            let kept: Vec<&str> = template.split('\n').filter(|line| !line.contains("{venue}")).collect();
            self.fill(&kept.join("\n"))
        } else {
            self.fill(template)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::language::LANGUAGES;

    #[test]
    fn every_invitation_language_has_its_words() {
        for lang in LANGUAGES {
            assert_eq!(words(lang).lang, *lang);
        }
    }

    #[test]
    fn a_letter_carries_the_link_and_code() {
        let letter = Letter {
            guest: "黃志明",
            event: "新春海外侨胞茶话会",
            date: "2027-02-01",
            venue: "江门",
            link: "https://example.org/rsvp/abc",
            code: "ABC123",
            office: "Office",
        };
        let body = letter.body("zh-Hant");
        assert!(body.starts_with("尊敬的黃志明") && body.contains("https://example.org/rsvp/abc") && body.contains("ABC123"));
        assert!(!body.contains('{'), "a placeholder was left: {body}");
        assert_eq!(letter.subject("es"), "Invitación: 新春海外侨胞茶话会");
        let no_venue = Letter { venue: "", ..letter };
        assert!(!no_venue.body("en").contains("Venue"));
    }
}
