//! Lines in Japanese (credit last, `… を報告してくださった [Org] の Name 氏`)
//! and Chinese (credit first, `感謝 [Org] 的 Name 回報 …`).

use super::*;

pub(super) fn japanese(text: &str) -> Vec<Credit> {
    let words = credit_words(Lang::Ja);
    // Partner: "HP の Zero Day Initiative と協力して …"
    let mut partner = String::new();
    let reason_at = words
        .reason
        .iter()
        .filter_map(|m| text.rfind(m))
        .max()
        .unwrap_or(text.len());
    for marker in words.partner {
        // "…マイクロソフトと協力してくださった" thanks for working with Microsoft:
        // a reason, not a programme.
        let is_reason = |at: usize| {
            let after = &text[at + marker.len()..];
            after
                .char_indices()
                .take(3)
                .any(|(i, _)| words.reason.iter().any(|r| after[i..].starts_with(r)))
        };
        if let Some(at) = text
            .find(marker)
            .filter(|&at| at < reason_at && !is_reason(at))
        {
            let before = &text[..at];
            let start = before.rfind(['、', '。', ')']).map_or(0, |p| {
                p + before[p..].chars().next().map_or(1, char::len_utf8)
            });
            partner = before[start..].trim().to_string();
            break;
        }
    }
    // The credit is what follows the last "… してくださった".
    let credit = words
        .reason
        .iter()
        .filter_map(|m| text.rfind(m).map(|at| at + m.len()))
        .max()
        .map_or(text, |end| &text[end..]);
    let credit = credit
        .trim()
        .trim_start_matches(['、', ','])
        .trim_end_matches(['。', '.'])
        .trim();
    // Asides holding a list ("(以前は、VeriSign iDefense Labs)") are no parties.
    let credit = &drop_list_asides(credit);
    // Japanese names people with 氏; a party without it is an organisation
    // ("日本 IBM", "Symantec の Security Intelligence Analysis Team", "Arnaud
    // Dovi 氏および TippingPoint") unless it reads as a name ("VulnHunt の Dark Son").
    let credit = credit.replace("氏と", "氏、");
    let mut out = Vec::new();
    for party in split_any(&credit, &["および", "、", " と ", "及び", "ならびに"]) {
        let mut party = party.trim();
        // A role in parentheses after the name ("Husheng Zhou 氏 (大学院生)").
        if party.ends_with([')', '）'])
            && let Some(open) = party.rfind(['(', '（'])
            && !party[open..].chars().any(|c| c.is_ascii_alphabetic())
        {
            party = party[..open].trim();
        }
        let party = party.trim_end_matches([')', '）']).trim();
        let title = crate::vocab::JA_HONORIFICS
            .iter()
            .find(|h| party.ends_with(*h));
        let honorific = title.is_some();
        let mut party = title.map_or(party, |h| party.trim_end_matches(h)).trim();
        let mut partner = partner.clone();
        // "Zero Day Initiative に協力している Name"
        for marker in words.partner {
            if let Some(at) = party.find(marker) {
                partner = party[..at].trim().to_string();
                party = party[at + marker.len()..].trim();
                break;
            }
        }
        if party.is_empty() {
            continue;
        }
        let mut c = Credit {
            partner,
            ..Default::default()
        };
        if party.contains("匿名") {
            c.anonymous = true;
        } else if let Some(at) = party.rfind(" の ").or_else(|| party.rfind('の')) {
            let sep = if party[at..].starts_with(" の ") {
                " の ".len()
            } else {
                'の'.len_utf8()
            };
            let (org, name) = (party[..at].trim(), party[at + sep..].trim());
            if (honorific || looks_like_person(name)) && !looks_like_org(name, &[]) {
                c.organisation = org.trim_end_matches('社').trim().to_string();
                c.researcher = name.to_string();
            } else {
                c.organisation = name.to_string();
            }
        } else if (!honorific && !looks_like_person(party))
            || looks_like_org(party, &[])
            || party.ends_with('社')
        {
            c.organisation = party.trim_end_matches('社').trim().to_string();
        } else {
            // "[Org] の A 氏および B 氏": B shares A's organisation.
            if c.partner.is_empty() {
                c.organisation = out
                    .last()
                    .map(|p: &Credit| p.organisation.clone())
                    .unwrap_or_default();
            }
            c.researcher = party.to_string();
        }
        out.push(c);
    }
    out
}

pub(super) fn chinese(text: &str) -> Vec<Credit> {
    let words = credit_words(Lang::Zh);
    // "以及" (as well as) separates parties; its "以" is no reason.
    let text = text
        .replace(",以及", "、")
        .replace("，以及", "、")
        .replace("以及", "、");
    let text = text
        .trim_start_matches("感謝")
        .trim_start_matches("感谢")
        .trim();
    let mut clause = text;
    // The credit comes first; the reason names the bulletin, so the clause
    // ends at the first reason word or bulletin id.
    let first_id = crate::extract::ids::first_bulletin_at(clause);
    if let Some(at) = words
        .reason
        .iter()
        .filter_map(|m| clause.find(m))
        .chain(first_id)
        .filter(|&a| a > 0)
        .min()
    {
        clause = &clause[..at];
    }
    let mut partner = String::new();
    if let Some(at) = clause.find("合作的") {
        partner = clause[..at].to_string();
        clause = &clause[at + "合作的".len()..];
    } else if let (Some(with), Some(coop)) = (
        clause.find('與').or_else(|| clause.find('与')),
        clause.rfind("合作"),
    ) && with < coop
    {
        partner = clause[with + '與'.len_utf8()..coop].to_string();
        clause = &clause[..with];
    }
    // "A 和 [HP] 的 [ZDI] 合作": the last party is the partner.
    let trimmed = clause.trim().trim_end_matches([',', '，']).trim();
    // "…(BKIS),合作回報": after a comma, 合作 is "together", not a programme.
    let together = trimmed
        .trim_end_matches("合作")
        .trim_end()
        .ends_with([',', '，']);
    let trimmed = if together {
        trimmed
            .trim_end_matches("合作")
            .trim_end()
            .trim_end_matches([',', '，'])
    } else {
        trimmed
    };
    let mut parties = split_any(trimmed, &["和", "及", "、", "與"]);
    if partner.is_empty() && parties.len() > 1 && trimmed.ends_with("合作") && !together {
        let last = parties.pop().unwrap_or_default();
        partner = last.trim().trim_end_matches("合作").trim().to_string();
    }
    let mut out = Vec::new();
    for party in parties {
        let party = party.trim().trim_end_matches([',', '，', '。']).trim();
        if party.is_empty() {
            continue;
        }
        let mut c = Credit {
            partner: partner.clone(),
            ..Default::default()
        };
        if party.contains("匿名") {
            c.anonymous = true;
        } else if let Some(at) = party.rfind('的') {
            let name = party[at + '的'.len_utf8()..].trim();
            let quoted = name.starts_with(['"', '「', '“']);
            if quoted {
                // "David Lindsay 的 \"thornmaker\"": a person's handle.
                c.researcher = party[..at].trim().to_string();
            } else if looks_like_org(name, &[]) {
                // "賽門鐵克的 Security Intelligence Analysis Team": a team is an organisation.
                c.organisation = name.to_string();
            } else {
                c.organisation = party[..at].trim().to_string();
                c.researcher = name.to_string();
            }
        } else if looks_like_org(party, &[]) || words.org_words.iter().any(|w| party.contains(w)) {
            // "河內技術大學 … 網際網路資訊安全中心": Han words run together.
            c.organisation = party.to_string();
        } else {
            // "[Org] 的 A 和 B": B shares A's organisation.
            c.organisation = out
                .last()
                .map(|p: &Credit| p.organisation.clone())
                .unwrap_or_default();
            c.researcher = party.to_string();
        }
        out.push(c);
    }
    out
}
