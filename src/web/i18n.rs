//! The web app's words in Simplified Chinese (the default) and English. Page texts live in
//! `words.rs` by key; a test checks that every key a template asks for is there. Messages
//! from record checks arrive in English and are put into Chinese here by their pattern.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::HeaderMap;

use super::words::WORDS;
use crate::error::ErrorPage;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

static TABLE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| WORDS.iter().map(|(k, zh, en)| (*k, (*zh, *en))).collect());

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim() {
            "zh" | "zh-CN" | "zh-cn" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// English when the browser puts English before Chinese; Chinese otherwise.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        for tag in accept.split(',').map(|t| t.trim().to_ascii_lowercase()) {
            if tag.starts_with("zh") {
                return Lang::Zh;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Zh
    }

    /// A page text by key; an unknown key shows as itself, so it is seen and fixed.
    pub fn t<'a>(self, key: &'a str) -> &'a str {
        match TABLE.get(key) {
            Some((zh, en)) => match self {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => key,
        }
    }

    /// A stored code (`student_abroad`, `president` …) in words; an unknown code as stored.
    pub fn label(self, group: &str, value: &str) -> String {
        let key = format!("{group}.{value}");
        match TABLE.get(key.as_str()) {
            Some(_) => self.t(&key).to_string(),
            None => value.to_string(),
        }
    }

    /// An error for the error page.
    pub fn message(self, error: &ErrorPage) -> String {
        if let Some((role, action)) = error.forbidden {
            return match self {
                Lang::Zh => format!("您的角色（{}）无权{}。", self.label("role", role), self.t(action)),
                Lang::En => format!("Your role ({}) may not {action}.", self.label("role", role)),
            };
        }
        match (self, error.code) {
            (Lang::En, _) => error.message.clone(),
            (Lang::Zh, "not_found") => "找不到这条记录：它可能已被删除，或者链接有误。".into(),
            (Lang::Zh, "unavailable") => "数据库暂时繁忙或无法连接，请稍后再试。".into(),
            (Lang::Zh, "search_unavailable") => "搜索暂时不可用；记录已安全保存，搜索恢复后即可查到。".into(),
            (Lang::Zh, "too_large") => format!("上传的文件太大：上限为 {}；请把文件拆成几个较小的文件。", limit_in(&error.message)),
            (Lang::Zh, "timed_out") => format!("请求超过 {} 秒仍未完成，已被中止；请重试，或一次少处理一些。", first_number(&error.message)),
            (Lang::Zh, "internal") => "系统出了点问题，详情已记入服务器日志。".into(),
            (Lang::Zh, "invalid") => error
                .fields
                .iter()
                .map(|f| format!("{}：{}", f.field, self.field_message(&f.message)))
                .collect::<Vec<_>>()
                .join("；"),
            (Lang::Zh, _) => match error.message.as_str() {
                m if m.starts_with("this form is out of date") => "此表单已过期或来自其他网站；请刷新页面后重试。".into(),
                m if m.starts_with("the two records are in different countries") => {
                    "两条记录的居住国家/地区不同；如确是同一个人，请先更正国家/地区再合并。".into()
                }
                m if m.starts_with("a later merge into this record") => "请先撤销之后并入这条记录的合并。".into(),
                m if m.starts_with("this merge has already been undone") => "这次合并已经撤销。".into(),
                m if m.starts_with("this merge can no longer be undone") => {
                    "这次合并已无法撤销：其涉及的活动、社团或联络记录已被删除，或活动已满员。".into()
                }
                m if m.starts_with("a record cannot be merged into itself") => "不能把一条记录并入它自己。".into(),
                m if m.starts_with("the record to keep is not one of the pair") => "要保留的记录不在这一对之中。".into(),
                m if m.starts_with("a guest has withdrawn consent") => "有嘉宾已撤回接收活动邀请的同意，未向其发出邀请。".into(),
                m => m.to_string(),
            },
        }
    }

    /// Where in a file a problem is (`people.csv, line 4`, `contacts.xlsx, sheet people, row 9`).
    pub fn location(self, location: &str) -> String {
        if self == Lang::En {
            return location.to_string();
        }
        location
            .split(", ")
            .map(|part| {
                if let Some(n) = part.strip_prefix("line ").or_else(|| part.strip_prefix("row ")) {
                    format!("第 {n} 行")
                } else if let Some(sheet) = part.strip_prefix("sheet ") {
                    format!("工作表 {sheet}")
                } else {
                    part.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("，")
    }

    /// A message about one field, as the record checks word it, in this language.
    pub fn field_message(self, message: &str) -> String {
        if self == Lang::En {
            return message.to_string();
        }
        let quoted = message.split('"').nth(1).unwrap_or_default();
        let example = message.split("e.g. ").nth(1).map(|e| e.trim_end_matches(')'));
        let eg = |text: &str| match example {
            Some(e) => format!("{text}，例如 {e}"),
            None => text.to_string(),
        };
        let numbers: Vec<&str> = message
            .split(|c: char| !c.is_ascii_digit() && c != '-')
            .filter(|w| !w.is_empty() && *w != "-")
            .collect();
        if message == "at least one name is required" {
            "至少要填写一个名字（中文名、外文名或其他名字）".into()
        } else if message.starts_with("is required") {
            eg("此项必填")
        } else if message.contains("is not a two-letter country code") {
            format!("「{quoted}」不是两个字母的国家代码（ISO 3166-1），例如 US、CA、PE、HK")
        } else if message.contains("is not a date written YYYY-MM-DD") {
            format!("「{quoted}」不是 YYYY-MM-DD 格式的日期，例如 2024-01-18")
        } else if message.contains("is not a date written") {
            format!("「{quoted}」不是 YYYY、YYYY-MM 或 YYYY-MM-DD 格式的日期")
        } else if message.contains("does not look like an e-mail address") {
            format!("「{quoted}」不像电子邮件地址")
        } else if message.starts_with("should be a whole number") {
            eg("应为整数")
        } else if message.contains("is out of range") {
            match numbers.as_slice() {
                [v, min, max, ..] => format!("{v} 超出范围：应在 {min} 到 {max} 之间"),
                _ => "超出范围".into(),
            }
        } else if message.contains("is not one of") {
            format!("「{quoted}」不是可选的值")
        } else if message.contains("is not a language code") {
            format!("「{quoted}」不是语言代码，例如 yue、zh、en、es")
        } else if message.contains("is not a place we know") {
            format!("「{quoted}」不是已知的地名；已按原文保存")
        } else if message.contains("names more than one place") {
            format!("「{quoted}」对应多个地方；已归入包含它们的上级地方")
        } else if message.starts_with("no organization") || message.starts_with("no such person or organization") {
            format!("找不到组织「{quoted}」")
        } else if message.starts_with("no person has") {
            format!("找不到人员「{quoted}」")
        } else if message.contains("is before the start") {
            match numbers.as_slice() {
                [until, since, ..] => format!("结束 {until} 早于开始 {since}"),
                _ => "结束日期早于开始日期".into(),
            }
        } else if message.starts_with("should have at least") {
            format!("至少需要 {} 个字符", numbers.first().unwrap_or(&""))
        } else if message.starts_with("a user with the e-mail") {
            "已有使用这个电子邮件地址的用户".into()
        } else if message.contains("already has this external_id") {
            "已有其他记录使用这个外部编号".into()
        } else if message.contains("\"granted\" or \"withdrawn\"") {
            "请选择同意或撤回".into()
        } else if message.starts_with("name at least one purpose") {
            "至少选择或填写一个用途".into()
        } else if message.starts_with("say how the person gave or withdrew consent") {
            "请说明本人如何表示同意或撤回（同意书、电子邮件、当面……）".into()
        } else if message == "lies in the future" {
            "日期不能晚于今天".into()
        } else if message.starts_with("say why") {
            "请说明原因（收到的请求、日期或编号）".into()
        } else if message.starts_with("should be") {
            "格式不对".into()
        } else {
            message.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key a template asks for (`c.t("…")`) has words in both languages.
    #[test]
    fn every_template_key_has_words() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            // Printed pages (templates/print) carry their words in, and ask for none.
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            for piece in text.split(".t(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                if !TABLE.contains_key(key) {
                    missing.push(format!("{}: {key}", path.file_name().unwrap().to_string_lossy()));
                }
            }
        }
        assert!(missing.is_empty(), "keys without words: {missing:#?}");
    }

    #[test]
    fn no_key_is_listed_twice() {
        assert_eq!(TABLE.len(), WORDS.len());
    }

    #[test]
    fn record_check_messages_read_in_chinese() {
        let zh = Lang::Zh;
        assert_eq!(
            zh.field_message("\"USA\" is not a two-letter country code (ISO 3166-1), e.g. US, CA, PE, HK"),
            "「USA」不是两个字母的国家代码（ISO 3166-1），例如 US、CA、PE、HK"
        );
        assert_eq!(
            zh.field_message("3000 is out of range: it should be between 1850 and 2030"),
            "3000 超出范围：应在 1850 到 2030 之间"
        );
        assert_eq!(
            zh.field_message("is required: the two-letter code of the country of residence, e.g. US"),
            "此项必填，例如 US"
        );
        assert_eq!(Lang::En.field_message("is required"), "is required");
        assert_eq!(zh.field_message("should be \"granted\" or \"withdrawn\""), "请选择同意或撤回");
        assert_eq!(zh.field_message("lies in the future"), "日期不能晚于今天");
    }

    #[test]
    fn file_positions_read_in_chinese() {
        assert_eq!(Lang::Zh.location("people.csv, line 4"), "people.csv，第 4 行");
        assert_eq!(Lang::Zh.location("c.xlsx, sheet people, row 9"), "c.xlsx，工作表 people，第 9 行");
    }

    #[test]
    fn the_browser_language_decides_before_sign_in() {
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,zh;q=0.5".parse().unwrap());
        assert_eq!(Lang::from_headers(&headers), Lang::En);
        headers.insert(axum::http::header::ACCEPT_LANGUAGE, "zh-TW,en;q=0.5".parse().unwrap());
        assert_eq!(Lang::from_headers(&headers), Lang::Zh);
        assert_eq!(Lang::from_headers(&HeaderMap::new()), Lang::Zh);
    }
}

/// The size in "… the limit is 64 KB; …", for the translation that repeats it.
fn limit_in(message: &str) -> &str {
    message
        .split_once("the limit is ")
        .and_then(|(_, rest)| rest.split(';').next())
        .unwrap_or("")
}

/// The first whole number in an English message, for the translation that repeats it.
fn first_number(message: &str) -> String {
    message
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .unwrap_or("")
        .to_string()
}
