//! A locale's credit frame, learned from its own thanks lines, and the
//! reader that uses it: no word list is needed for a language.
//!
//! Every thanks line is a frame around names: `Tavis Ormandy van [Google
//! Inc.] voor het melden van …`, `感謝 [Google Inc.] 的 Tavis Ormandy 回報 …`,
//! `… を報告してくださった [Google Inc.] の Tavis Ormandy 氏`. The names are
//! the same in every locale; the frame is what recurs across one locale's
//! lines with different names. Learning takes the names the other locales
//! credit for the same bulletin (the anchors), finds them verbatim in the
//! line, and counts what is left:
//!
//! - **frame words**: tokens that recur outside the anchors in many lines;
//! - **gaps**: the frame between two anchors, with how the two relate (a
//!   person and the organisation after it, an organisation and the person
//!   after it, two of a list, a person and the programme they worked with);
//! - **openers and closers**: the frame just before the first anchor and
//!   just after the last one, where the reason is (`voor het melden …`
//!   after the names; `… を報告してくださった` before them).
//!
//! Reading a line marks the anchors, calls every other run of non-frame
//! tokens a party, starts after the last opener and stops at the first
//! closer, and gives each party the role its gap predicts (else the role its
//! shape suggests: a link text is an organisation, two to four capitalised
//! words a person). A caseless script (Han, kana, Hangul) is never a name
//! unless an anchor says so: those names are transliterated, not copied.

use std::collections::{HashMap, HashSet};

use super::fold;
use crate::extract::credits::Credit;

mod read;
mod tokens;

use read::*;
use tokens::*;

/// A party's role in a credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Person,
    Organisation,
    Partner,
}

/// How two neighbouring parties relate, as the gap between them says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    /// A person, then their organisation (`A van X`).
    Affiliation,
    /// An organisation, then its person (`X 的 A`, `X の A 氏`).
    AffiliationFirst,
    /// Two of a list (`A en B`, `A 氏、B 氏`).
    List,
    /// A party, then the programme it worked with.
    Partner,
    /// A programme, then the person who worked with it (`[ZDI] に協力
    /// している Ivan Fratric 氏`).
    PartnerFirst,
}

/// Where a gap stood in a learned line.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// Before the first name.
    Opener,
    /// After the last name.
    Closer,
    /// Between two names.
    Inner,
}

/// How often a gap stood where, and how the names it stood between related.
#[derive(Debug, Default, Clone)]
struct GapStats {
    opener: usize,
    closer: usize,
    inner: usize,
    relations: [usize; 5],
}

impl GapStats {
    fn relation(&self) -> Option<Relation> {
        let total: usize = self.relations.iter().sum();
        let (i, &n) = self.relations.iter().enumerate().max_by_key(|(_, n)| **n)?;
        (total >= 2 && n * 2 > total).then_some(
            [
                Relation::Affiliation,
                Relation::AffiliationFirst,
                Relation::List,
                Relation::Partner,
                Relation::PartnerFirst,
            ][i],
        )
    }
}

/// One locale's frame.
#[derive(Debug, Default)]
struct Frame {
    lines: usize,
    outside: HashMap<String, usize>,
    inside: HashMap<String, usize>,
    words: HashSet<String>,
    gaps: HashMap<String, GapStats>,
}

/// A name the other locales credit, to find in a line.
#[derive(Clone)]
pub(super) struct Anchor<'a> {
    pub role: Role,
    pub text: &'a str,
    pub credit: &'a Credit,
    /// The folded words of `text`, the way a line's are compared.
    keys: Vec<String>,
    /// `text` folded.
    pub folded: String,
    /// How many copies of it the anchor stands for: the other locales that
    /// state the same credit count once each in a role vote, but are
    /// matched against a line once (see `contest::read_by_frames`).
    pub weight: u32,
}

impl Anchor<'_> {
    /// Whether `other` is the same anchor: the same party, in the same role,
    /// of the same credit.
    pub fn same(&self, other: &Anchor) -> bool {
        self.role == other.role && self.text == other.text && self.credit == other.credit
    }
}

/// The anchors of a credit: its person, organisation and programme.
pub(super) fn anchors_of(c: &Credit) -> impl Iterator<Item = Anchor<'_>> {
    [
        (Role::Person, c.researcher.as_str()),
        (Role::Organisation, c.organisation.as_str()),
        (Role::Partner, c.partner.as_str()),
    ]
    .into_iter()
    .filter(|(_, t)| !t.is_empty())
    .map(move |(role, text)| Anchor {
        role,
        text,
        credit: c,
        folded: fold(text),
        weight: 1,
        keys: tokens(text)
            .into_iter()
            .filter(|t| t.kind != Kind::Punct)
            .map(|t| t.key)
            .collect(),
    })
}

/// The frames of every locale, learned from their lines.
#[derive(Debug, Default)]
pub(super) struct Frames {
    frames: HashMap<String, Frame>,
}

/// A line to learn from: its locale key, text and the other locales' anchors.
pub(super) struct Sample<'a> {
    pub key: &'a str,
    pub text: &'a str,
    pub anchors: Vec<&'a Anchor<'a>>,
}

impl Frame {
    fn is_frame(&self, t: &Tok) -> bool {
        match t.kind {
            Kind::Punct => true,
            Kind::Id => false,
            Kind::Word => t.caseless || self.words.contains(&t.key),
        }
    }

    fn stats(&self, key: &str) -> Option<&GapStats> {
        self.gaps.get(key)
    }
}

impl Frames {
    /// Learns each locale's frame from `samples`.
    pub fn learn(samples: &[Sample]) -> Frames {
        let mut frames: HashMap<String, Frame> = HashMap::new();
        let mut marked: Vec<(Vec<Tok>, Vec<Span>)> = Vec::with_capacity(samples.len());
        // A line repeated word for word (one credit on every row of a
        // yearly table) counts once: frame words recur with different names.
        let mut texts: HashSet<(&str, &str)> = HashSet::new();
        for s in samples {
            let toks = tokens(s.text);
            let spans = mark(&toks, &s.anchors);
            let f = frames.entry(s.key.to_string()).or_default();
            if !texts.insert((s.key, s.text)) {
                marked.push((toks, spans));
                continue;
            }
            f.lines += 1;
            let mut inside = vec![false; toks.len()];
            for sp in &spans {
                inside[sp.from..sp.to].iter_mut().for_each(|t| *t = true);
            }
            let mut seen: HashSet<(&str, bool)> = HashSet::new();
            for (t, inside) in toks.iter().zip(&inside) {
                if t.kind == Kind::Word && seen.insert((t.key.as_str(), *inside)) {
                    let counts = if *inside {
                        &mut f.inside
                    } else {
                        &mut f.outside
                    };
                    *counts.entry(t.key.clone()).or_default() += 1;
                }
            }
            marked.push((toks, spans));
        }
        for f in frames.values_mut() {
            let floor = (f.lines / 100).max(3);
            f.words = f
                .outside
                .iter()
                .filter(|(w, n)| **n >= floor && **n > 3 * f.inside.get(*w).copied().unwrap_or(0))
                .map(|(w, _)| w.clone())
                .collect();
        }
        for (s, (toks, spans)) in samples.iter().zip(&marked) {
            let Some(f) = frames.get_mut(s.key) else {
                continue;
            };
            let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
                continue;
            };
            let frame_run_back = |end: usize| {
                let mut from = end;
                while from > 0 && f.is_frame(&toks[from - 1]) {
                    from -= 1;
                }
                from
            };
            // Frame words after a line's opening words, none of them frame,
            // join a party the other locales spell otherwise (`Тэвису
            // Орманди из Google`) to the first anchor: they open nothing.
            let opens = frame_run_back(first.from);
            let unknown_first = opens > 0
                && toks[..opens]
                    .iter()
                    .all(|t| t.kind == Kind::Word && !f.is_frame(t));
            let before = if unknown_first {
                &toks[first.from..first.from]
            } else {
                &toks[opens..first.from]
            };
            let mut after_end = last.to;
            while after_end < toks.len() && f.is_frame(&toks[after_end]) {
                after_end += 1;
            }
            let after = &toks[last.to..after_end];
            let mut updates: Vec<(String, Place, Option<Relation>)> = Vec::new();
            if !before.is_empty() {
                for k in gap_keys(before) {
                    updates.push((k, Place::Opener, None));
                }
            }
            if !after.is_empty() {
                for k in gap_keys(after) {
                    updates.push((k, Place::Closer, None));
                }
            }
            for pair in spans.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let gap = &toks[a.to..b.from];
                if !gap.iter().all(|t| f.is_frame(t)) {
                    continue;
                }
                let relation = relate(&a, &b);
                for k in gap_keys(gap) {
                    updates.push((k, Place::Inner, relation));
                }
            }
            for (k, place, relation) in updates {
                let g = f.gaps.entry(k).or_default();
                match place {
                    Place::Opener => g.opener += 1,
                    Place::Closer => g.closer += 1,
                    Place::Inner => g.inner += 1,
                }
                if let Some(r) = relation {
                    g.relations[r as usize] += 1;
                }
            }
        }
        Frames { frames }
    }

    /// `party` without the frame words of `key`'s locale at its edges, when
    /// it has any: a name neither opens nor ends with the words that frame
    /// names (`die`, a trailing `og`). Only lower-case words count, as the
    /// line writes them; one inside a name is a connective of it (`Zero Day
    /// Initiative von HP`, `Jeffrey van der Stad`) and stays.
    pub fn trim_edges(&self, key: &str, party: &str) -> Option<String> {
        let f = self.frames.get(key)?;
        let toks = tokens(party);
        let framing = |t: &Tok| {
            t.kind != Kind::Id
                && (t.kind == Kind::Punct
                    || (!t.caseless
                        && !t.capital
                        && t.key.chars().any(char::is_alphabetic)
                        && f.words.contains(&t.key)))
        };
        let from = toks.iter().position(|t| !framing(t)).unwrap_or(toks.len());
        let to = toks
            .iter()
            .rposition(|t| !framing(t))
            .map_or(from, |i| i + 1);
        let words = |r: &[Tok]| r.iter().any(|t| t.kind == Kind::Word);
        if !words(&toks[..from]) && !words(&toks[to..]) {
            return None;
        }
        if from >= to {
            return Some(String::new());
        }
        Some(party[toks[from].start..toks[to - 1].end].to_string())
    }

    /// How many frame words each locale's frame has.
    pub fn sizes(&self) -> std::collections::BTreeMap<String, usize> {
        self.frames
            .iter()
            .map(|(k, f)| (k.clone(), f.words.len()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credit(r: &str, o: &str, p: &str) -> Credit {
        Credit {
            researcher: r.into(),
            organisation: o.into(),
            partner: p.into(),
            anonymous: false,
        }
    }

    #[test]
    fn tokens_split_at_spaces_punctuation_and_between_cased_and_caseless_scripts() {
        let keys: Vec<String> = tokens("感謝 [Google, Inc.] 的 Tavis Ormandy 回報 (CVE-2010-0233)")
            .into_iter()
            .map(|t| t.key)
            .collect();
        assert_eq!(
            keys,
            [
                "感謝",
                "[",
                "google",
                ",",
                "inc",
                "]",
                "的",
                "tavis",
                "ormandy",
                "回報",
                "(",
                "cve 2010 0233",
                ")"
            ]
        );
        let keys: Vec<String> = tokens("MS10-026에서 설명한 Palo Alto Networks의 Yamata Li")
            .into_iter()
            .map(|t| t.key)
            .collect();
        // Folding decomposes Hangul syllables, on both sides of a comparison.
        let want = [
            "MS10-026",
            "에서",
            "설명한",
            "Palo",
            "Alto",
            "Networks",
            "의",
            "Yamata",
            "Li",
        ];
        assert_eq!(keys, want.map(fold));
    }

    /// A made-up language: the frame is learned from lines whose names the
    /// other locales state, then reads a line with names it has not seen.
    #[test]
    fn a_frame_learned_from_anchored_lines_reads_a_line_with_new_names() {
        let people = [
            ("Ann Lee", "Acme Labs"),
            ("Bo Kim", "Zeta Corp"),
            ("Cy Roe", "Nova Security"),
            ("Di Fox", "Orbit Group"),
        ];
        let anchors: Vec<Credit> = people.iter().map(|(r, o)| credit(r, o, "")).collect();
        let reasons = ["Word", "Excel", "Outlook", "Paint"];
        let lines: Vec<String> = people
            .iter()
            .zip(reasons)
            .map(|((r, o), why)| format!("{r} zil {o} wor blen {why} sorn"))
            .collect();
        let marks: Vec<Vec<Anchor>> = anchors.iter().map(|c| anchors_of(c).collect()).collect();
        let samples: Vec<Sample> = lines
            .iter()
            .zip(&marks)
            .map(|(text, m)| Sample {
                key: "xx",
                text,
                anchors: m.iter().collect(),
            })
            .collect();
        let frames = Frames::learn(&samples);
        assert_eq!(
            frames.sizes()["xx"],
            4,
            "zil, wor, blen, sorn; not the reasons"
        );
        let read = frames
            .read(
                "xx",
                "Eve Park zil Helix Works wor blen Win32k sorn",
                &[],
                &[],
            )
            .expect("a frame");
        assert_eq!(read, vec![credit("Eve Park", "Helix Works", "")]);
    }

    /// The made-up language's frame, from four lines with different names
    /// and, for `repeated`, one more line copied that many times (a credit on
    /// every row of a yearly table) whose organisation no other locale names.
    fn made_up_frames(repeated: usize) -> Frames {
        let people = [
            ("Ann Lee", "Acme Labs"),
            ("Bo Kim", "Zeta Corp"),
            ("Cy Roe", "Nova Security"),
            ("Di Fox", "Orbit Group"),
        ];
        let mut lines: Vec<(String, Credit)> = people
            .iter()
            .zip(["Word", "Excel", "Outlook", "Paint"])
            .map(|((r, o), why)| (format!("{r} zil {o} wor blen {why} sorn"), credit(r, o, "")))
            .collect();
        for _ in 0..repeated {
            lines.push((
                "Nils Sommer zil bytegeist wor blen Word sorn".to_string(),
                credit("Nils Sommer", "", ""),
            ));
        }
        learned("xx", &lines)
    }

    /// The frame of `key` learned from lines, each anchored by its credit.
    fn learned(key: &str, lines: &[(String, Credit)]) -> Frames {
        let marks: Vec<Vec<Anchor>> = lines.iter().map(|(_, c)| anchors_of(c).collect()).collect();
        let samples: Vec<Sample> = lines
            .iter()
            .zip(&marks)
            .map(|((text, _), m)| Sample {
                key,
                text,
                anchors: m.iter().collect(),
            })
            .collect();
        Frames::learn(&samples)
    }

    /// A line repeated word for word counts once: its unanchored handle
    /// recurs in it, not across names, and is no frame word.
    #[test]
    fn a_repeated_line_teaches_no_frame_words() {
        let frames = made_up_frames(6);
        assert_eq!(
            frames.sizes()["xx"],
            4,
            "zil, wor, blen, sorn; not bytegeist"
        );
        assert_eq!(frames.trim_edges("xx", "bytegeist"), None);
    }

    /// A party is trimmed of the frame words at its edges, in lower case
    /// only; one inside a name stays, and a party of frame words alone is none.
    #[test]
    fn frame_words_at_a_partys_edges_are_trimmed() {
        let frames = made_up_frames(0);
        let trim = |p: &str| frames.trim_edges("xx", p);
        assert_eq!(trim("zil Helix Works"), Some("Helix Works".to_string()));
        assert_eq!(trim("Helix Works wor,"), Some("Helix Works".to_string()));
        assert_eq!(trim("sorn"), Some(String::new()));
        assert_eq!(trim("Helix zil Works"), None);
        assert_eq!(trim("Zil Works"), None, "a capital opens a name");
        assert_eq!(trim("Qihoo 360"), None, "a number is no frame word");
        assert_eq!(
            frames.trim_edges("yy", "zil Helix"),
            None,
            "no frame for yy"
        );
    }

    /// Organisation first, reason first, in a caseless script: the frame
    /// learned from anchored lines reads a caseless organisation in the
    /// organisation's slot, and the list after the person shares it.
    #[test]
    fn an_organisation_first_frame_reads_the_slot_before_its_person() {
        let lines: Vec<(String, Vec<Credit>)> = [
            ("甲", "Acme Labs", "Ann Lee", "Al Ng"),
            ("乙", "Zeta Corp", "Bo Kim", "Bea Hu"),
            ("丙", "Nova Security", "Cy Roe", "Cal Wu"),
            ("丁", "Orbit Group", "Di Fox", "Dee Yu"),
        ]
        .into_iter()
        .flat_map(|(why, o, a, b)| {
            [
                (
                    format!("{why}の問題 を報告した {o} の {a} 氏"),
                    vec![credit(a, o, "")],
                ),
                (
                    format!("{why}の件 を報告した {o} の {a} 氏 、 {b} 氏"),
                    vec![credit(a, o, ""), credit(b, o, "")],
                ),
            ]
        })
        .collect();
        let marks: Vec<Vec<Anchor>> = lines
            .iter()
            .map(|(_, cs)| cs.iter().flat_map(anchors_of).collect())
            .collect();
        let samples: Vec<Sample> = lines
            .iter()
            .zip(&marks)
            .map(|((text, _), m)| Sample {
                key: "yy",
                text,
                anchors: m.iter().collect(),
            })
            .collect();
        let frames = Frames::learn(&samples);
        let read = frames
            .read(
                "yy",
                "戊の問題 を報告した 三井 の Eve Park 氏 、 Fay Ray 氏",
                &[],
                &[],
            )
            .expect("a frame");
        assert_eq!(
            read,
            vec![
                credit("Eve Park", "三井", ""),
                credit("Fay Ray", "三井", "")
            ]
        );
    }

    /// `感謝 [Corelan] 的 Peter 與 [HP][Zero Day Initiative] 合作`: a
    /// programme the others spell `HP's Zero Day Initiative` stands as two
    /// links, and an organisation the others credit alone, in the slot of
    /// the programme worked with, is that programme; across a caseless list
    /// word the first programme of two stands.
    #[test]
    fn a_programme_stands_by_its_possessive_and_in_the_partner_slot() {
        let lines: Vec<(String, Credit)> = [
            ("Ann Lee", "Acme Labs", "Zeta Corp"),
            ("Bo Kim", "Nova Security", "Orbit Group"),
            ("Cy Roe", "Helix Works", "Zeta Corp"),
            ("Di Fox", "Acme Labs", "Orbit Group"),
        ]
        .into_iter()
        .map(|(r, o, p)| (format!("感謝 {o} 的 {r} 與 {p} 合作回報"), credit(r, o, p)))
        .collect();
        let frames = learned("zz", &lines);
        assert_eq!(tokens("HP's")[0].key, "hp");
        let theirs = [
            credit("Eve Park", "Corelan", "HP's Zero Day Initiative"),
            credit("", "TippingPoint", ""),
        ];
        let anchors: Vec<Anchor> = theirs.iter().flat_map(anchors_of).collect();
        let anchors: Vec<&Anchor> = anchors.iter().collect();
        let read = |line: &str| frames.read("zz", line, &[], &anchors).expect("a frame");
        assert_eq!(
            read("感謝 Corelan 的 Eve Park 與 HP Zero Day Initiative 合作回報"),
            vec![credit("Eve Park", "Corelan", "HP Zero Day Initiative")]
        );
        assert_eq!(
            read("感謝 Corelan 的 Eve Park 與 TippingPoint 和 Zero Day Initiative 合作回報"),
            vec![credit("Eve Park", "Corelan", "TippingPoint")]
        );
    }
}
