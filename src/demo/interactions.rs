//! Interactions: the office's visits, calls, letters and events over the last three years,
//! each with people and organizations already written.

use std::io::{self, Write};

use chrono::{Duration, Months, NaiveDate};
use rand::RngExt;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::orgs::Roster;
use super::people::Members;
use super::records::Interaction;
use super::{REFERENCE_DAY, write_line};

/// Kinds with their share, and summaries with and without an organization named.
struct KindOf {
    kind: &'static str,
    share: u32,
    with_org: &'static [&'static str],
    without_org: &'static [&'static str],
}

const KINDS: &[KindOf] = &[
    KindOf {
        kind: "visit",
        share: 15,
        with_org: &[
            "Visited {org}; discussed the next 寻根之旅 itinerary",
            "拜访{org}，赠送侨乡文化书籍",
            "Courtesy visit to {org} with the delegation",
        ],
        without_org: &[
            "Home visit during the 寻根之旅; discussed repairs to the ancestral hall",
            "Condolence visit to the family (慰问)",
            "Visited the family's diaolou with relatives from abroad",
        ],
    },
    KindOf {
        kind: "meeting",
        share: 20,
        with_org: &[
            "Met the board of {org} on the youth exchange programme",
            "座谈会 with {org} on 侨资 investment projects",
            "Met the {org} delegation at the 侨联 office",
        ],
        without_org: &[
            "Meeting on the 侨博会 exhibitor list",
            "Discussed a gift to the 五邑大学 scholarship fund",
            "Talent programme briefing (人才政策宣讲)",
        ],
    },
    KindOf {
        kind: "call",
        share: 12,
        with_org: &[
            "Phone call with {org} about the annual gala dinner",
            "电话联系{org}，确认茶话会名单",
        ],
        without_org: &[
            "Video call to confirm attendance at the 侨博会",
            "电话回访: updated the family's contact details",
            "Call about an invitation letter for the summer camp",
        ],
    },
    KindOf {
        kind: "email",
        share: 10,
        with_org: &[
            "Sent {org} the invitation to the World Jiangmen Youth Friendship Conference",
            "Emailed {org} photos from the anniversary banquet",
        ],
        without_org: &[
            "Sent the talent programme call for applications",
            "Emailed the 侨乡 newsletter (English edition)",
            "Sent the receipt and thanks for a donation",
        ],
    },
    KindOf {
        kind: "wechat",
        share: 15,
        with_org: &[
            "WeChat group notice to {org}: 联谊活动 schedule",
            "微信联系{org}秘书处，收集理事名单",
        ],
        without_org: &[
            "WeChat: asked about 侨批 letters for the archive",
            "微信问候: festival greetings",
            "WeChat: shared the 寻根 application form",
        ],
    },
    KindOf {
        kind: "letter",
        share: 5,
        with_org: &[
            "Letter of thanks to {org} for the 侨捐 project",
            "致{org}贺信: anniversary congratulations",
        ],
        without_org: &[
            "慰问信 to an elderly member of the family association",
            "Letter confirming the ancestral village record",
            "Letter of thanks for books given to the village library",
        ],
    },
    KindOf {
        kind: "event",
        share: 20,
        with_org: &[
            "{org} delegation attended the 侨乡文化节 opening",
            "联谊晚会 (gala dinner) co-hosted with {org}",
            "{org} youth group joined the summer camp (夏令营)",
        ],
        without_org: &[
            "Attended the 侨界联谊会 in Jiangmen",
            "Guest at the 侨博会 opening ceremony",
            "Joined the 寻根之旅 group visit to the Kaiping diaolou",
        ],
    },
    KindOf {
        kind: "other",
        share: 3,
        with_org: &[
            "Updated the board list of {org} after its election (换届)",
            "Recorded the new address of {org}",
        ],
        without_org: &["Updated contact details", "Merged duplicate contact records"],
    },
];

/// Staff of the overseas-affairs office.
#[rustfmt::skip]
const OFFICERS: &[&str] =
    &["陈晓红", "李建华", "黄志强", "梁嘉欣", "伍颖", "谭伟明", "周敏", "甄子聪", "司徒文静", "关国栋", "余丽萍", "吴家豪"];

/// Writes `count` interactions in date order and returns how many were written.
pub fn write<W: Write>(
    out: &mut W,
    roster: &Roster,
    members: &Members,
    people: usize,
    count: usize,
    rng: &mut StdRng,
) -> io::Result<usize> {
    if people == 0 && roster.ids.is_empty() {
        return Ok(0);
    }
    let first = REFERENCE_DAY.checked_sub_months(Months::new(36)).expect("a valid date");
    let span = (REFERENCE_DAY - first).num_days();
    let shares = WeightedIndex::new(KINDS.iter().map(|k| k.share)).expect("positive shares");
    for n in 0..count {
        // One random day in each n-th part of the span: in date order without holding them all.
        let day = (n as i64 * span + rng.random_range(0..span)) / count as i64;
        let date = first + Duration::days(day);
        let record = interaction(roster, members, people, n, date, &KINDS[shares.sample(rng)], rng);
        write_line(out, &record)?;
    }
    Ok(count)
}

/// An interaction with an association and some of its members, or with one to three people.
fn interaction<'a>(
    roster: &'a Roster,
    members: &Members,
    people: usize,
    n: usize,
    date: NaiveDate,
    kind: &KindOf,
    rng: &mut StdRng,
) -> Interaction<'a> {
    let with_org = !roster.ids.is_empty() && (people == 0 || rng.random_bool(0.5));
    let mut orgs: Vec<usize> = Vec::new();
    let mut person_numbers: Vec<u32> = Vec::new();
    if with_org {
        let org = rng.random_range(0..roster.ids.len());
        orgs.push(org);
        let wanted = rng.random_range(0..=2);
        person_numbers.extend(members.sample[org].sample(rng, wanted).copied());
        if rng.random_bool(0.1) {
            // Associations of one country often come together.
            let other = roster.general[roster.country[org]].choose(rng).map(|&o| o as usize);
            orgs.extend(other.filter(|&o| o != org));
        }
    } else {
        for _ in 0..rng.random_range(1..=3) {
            let p = rng.random_range(0..people) as u32;
            if !person_numbers.contains(&p) {
                person_numbers.push(p);
            }
        }
    }
    let summary = match orgs.first() {
        Some(&org) => kind
            .with_org
            .choose(rng)
            .copied()
            .unwrap_or_default()
            .replace("{org}", &roster.labels[org]),
        None => kind.without_org.choose(rng).copied().unwrap_or_default().to_string(),
    };
    Interaction {
        record: "interaction",
        external_id: format!("i-{:06}", n + 1),
        date: date.to_string(),
        kind: kind.kind,
        summary,
        people: person_numbers.into_iter().map(|p| format!("p-{:07}", p + 1)).collect(),
        organizations: orgs.into_iter().map(|o| roster.ids[o].as_str()).collect(),
        officer: OFFICERS.choose(rng).copied().unwrap_or_default(),
        follow_up: rng
            .random_bool(0.25)
            .then(|| (date + Duration::days(rng.random_range(14..=90))).to_string()),
    }
}
