//! Scoring the proposed pairs against a list of known duplicate pairs: precision, recall
//! and F1, overall and for the hard pairs. Records linked by listed pairs are one person,
//! so a pair the list implies (A–B and A–C listed: B–C) is correct too.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct KnownPair {
    pub a: String,
    pub b: String,
    #[serde(default)]
    pub hard: bool,
}

/// A pair the system proposes, by external ids.
#[derive(Clone, Debug)]
pub struct Proposed {
    pub a: String,
    pub b: String,
    pub score: f32,
}

#[derive(Debug, Default, PartialEq)]
pub struct Scores {
    pub proposed: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub hard_proposed: usize,
    pub hard_precision: f64,
    pub hard_recall: f64,
}

/// Union-find over external ids.
#[derive(Default)]
struct Groups(HashMap<String, String>);

impl Groups {
    fn root(&mut self, x: &str) -> String {
        let parent = self.0.get(x).cloned().unwrap_or_else(|| x.to_string());
        if parent == x {
            return parent;
        }
        let root = self.root(&parent);
        self.0.insert(x.to_string(), root.clone());
        root
    }

    fn join(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.0.insert(ra, rb);
        }
    }
}

/// The open candidate pairs, by external ids.
pub async fn proposed(conn: &mut diesel_async::AsyncPgConnection) -> diesel::QueryResult<Vec<Proposed>> {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        a: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        b: String,
        #[diesel(sql_type = diesel::sql_types::Float4)]
        score: f32,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT pa.external_id AS a, pb.external_id AS b, c.score FROM duplicate_candidates c \
         JOIN people pa ON pa.id = c.person_a JOIN people pb ON pb.id = c.person_b \
         WHERE c.status = 'open' AND pa.external_id IS NOT NULL AND pb.external_id IS NOT NULL",
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| Proposed { a: r.a, b: r.b, score: r.score }).collect())
}

pub fn evaluate(known: &[KnownPair], proposed: &[Proposed], threshold: f32) -> Scores {
    let mut truth = Groups::default();
    for k in known {
        truth.join(&k.a, &k.b);
    }
    let proposed: Vec<&Proposed> = proposed.iter().filter(|p| p.score >= threshold).collect();
    let mut found = Groups::default();
    let mut correct = 0;
    for p in &proposed {
        if truth.root(&p.a) == truth.root(&p.b) {
            correct += 1;
            found.join(&p.a, &p.b);
        }
    }
    let hard_b: HashSet<&str> = known.iter().filter(|k| k.hard).map(|k| k.b.as_str()).collect();
    let hard_proposed: Vec<&&Proposed> = proposed
        .iter()
        .filter(|p| hard_b.contains(p.a.as_str()) || hard_b.contains(p.b.as_str()))
        .collect();
    let hard_correct = hard_proposed.iter().filter(|p| truth.root(&p.a) == truth.root(&p.b)).count();
    let mut recalled = |pairs: &mut dyn Iterator<Item = &KnownPair>| {
        let (mut total, mut hit) = (0, 0);
        for k in pairs {
            total += 1;
            if found.root(&k.a) == found.root(&k.b) {
                hit += 1;
            }
        }
        ratio(hit, total)
    };
    let recall = recalled(&mut known.iter());
    let hard_recall = recalled(&mut known.iter().filter(|k| k.hard));
    let precision = ratio(correct, proposed.len());
    Scores {
        proposed: proposed.len(),
        correct,
        precision,
        recall,
        f1: if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 },
        hard_proposed: hard_proposed.len(),
        hard_precision: ratio(hard_correct, hard_proposed.len()),
        hard_recall,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The report printed by `qiaolink duplicates --eval`, one line per threshold.
pub fn report(known: &[KnownPair], proposed: &[Proposed], thresholds: &[f32]) -> String {
    let mut out = format!(
        "{} known pairs ({} hard), {} proposed\n\
         threshold  proposed  precision  recall  F1     hard: proposed  precision  recall\n",
        known.len(),
        known.iter().filter(|k| k.hard).count(),
        proposed.len()
    );
    for &t in thresholds {
        let s = evaluate(known, proposed, t);
        out.push_str(&format!(
            "{t:<9.2}  {:<8}  {:<9.3}  {:<6.3}  {:<5.3}        {:<8}  {:<9.3}  {:.3}\n",
            s.proposed, s.precision, s.recall, s.f1, s.hard_proposed, s.hard_precision, s.hard_recall
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(a: &str, b: &str, hard: bool) -> KnownPair {
        KnownPair { a: a.into(), b: b.into(), hard }
    }

    fn proposed(a: &str, b: &str, score: f32) -> Proposed {
        Proposed { a: a.into(), b: b.into(), score }
    }

    #[test]
    fn implied_pairs_count_and_wrong_pairs_do_not() {
        let list = [known("p1", "d1", false), known("p1", "d2", true), known("p2", "d3", false)];
        // d1–d2 is implied by the list; p2–d1 is wrong; p2–d3 is missed
        let got = evaluate(&list, &[proposed("d1", "d2", 0.9), proposed("p1", "d1", 0.8), proposed("p2", "d1", 0.6)], 0.5);
        assert_eq!((got.proposed, got.correct), (3, 2));
        // p1–d2 is found through p1–d1–d2
        assert!((got.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((got.hard_recall - 1.0).abs() < 1e-9);
        assert_eq!(got.hard_proposed, 1);
        let strict = evaluate(&list, &[proposed("p1", "d1", 0.8), proposed("p2", "d1", 0.6)], 0.7);
        assert_eq!((strict.proposed, strict.correct), (1, 1));
    }
}
